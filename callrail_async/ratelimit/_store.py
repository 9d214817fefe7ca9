"""Bucket storage: the shared algorithm and the in-memory store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .limits import BucketSpec

__all__ = ["BucketState", "BucketStore", "MemoryBucketStore", "refill", "take_plan"]

# A token counts as whole within this much: admitted counts are integers, so the slack can
# never let a window exceed its limit, and it keeps float rounding at epoch-sized times
# (where one ulp is ~2e-7 s) from stalling a waiter forever.
TOKEN_EPSILON = 1e-6
# Never ask a caller to sleep less than this: no busy loops.
MIN_WAIT = 0.001


@dataclass(frozen=True)
class BucketState:
    """A bucket's tokens and pause as of ``updated`` (seconds since the epoch)."""

    tokens: float
    updated: float
    paused_until: float = 0.0


class BucketStore(Protocol):
    """Where bucket state lives. Each operation on a list of buckets is atomic."""

    async def take(self, buckets: Sequence[BucketSpec], now: float) -> float:
        """Take one token from every bucket if all have one and none is paused: return 0.
        Otherwise take nothing and return the seconds to wait before trying again."""
        ...

    async def pause(self, buckets: Sequence[BucketSpec], now: float, until: float) -> None:
        """Empty the buckets and admit nothing from them before ``until`` (after a 429)."""
        ...

    async def peek(self, buckets: Sequence[BucketSpec], now: float) -> list[BucketState]:
        """The buckets' current state, refilled to ``now``."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


def refill(spec: BucketSpec, state: BucketState | None, now: float) -> BucketState:
    """A bucket's state at ``now`` (a missing bucket is full)."""
    if state is None:
        return BucketState(spec.capacity, now)
    elapsed = max(0.0, now - state.updated)
    tokens = min(spec.capacity, state.tokens + elapsed * spec.rate)
    return BucketState(tokens, max(now, state.updated), state.paused_until)


def take_plan(
    buckets: Sequence[BucketSpec], states: Sequence[BucketState | None], now: float
) -> tuple[float, list[BucketState]]:
    """The pure take: ``(0, new_states)`` if admitted, else ``(wait, refreshed_states)``."""
    fresh = [refill(spec, state, now) for spec, state in zip(buckets, states, strict=True)]
    wait = 0.0
    for spec, state in zip(buckets, fresh, strict=True):
        if state.paused_until > now:
            wait = max(wait, state.paused_until - now)
        elif state.tokens < 1.0 - TOKEN_EPSILON:
            wait = max(wait, (1.0 - state.tokens) / spec.rate)
    if wait > 0:
        return max(wait, MIN_WAIT), fresh
    return 0.0, [BucketState(s.tokens - 1.0, s.updated, s.paused_until) for s in fresh]


class MemoryBucketStore:
    """Buckets in this process's memory: the default; fast and safe for many tasks."""

    def __init__(self) -> None:
        # key -> [tokens, updated, paused_until]; lists, not objects, on the hot path.
        self._state: dict[str, list[float]] = {}

    def __repr__(self) -> str:
        return f"MemoryBucketStore(buckets={len(self._state)})"

    async def take(self, buckets: Sequence[BucketSpec], now: float) -> float:
        """See :meth:`BucketStore.take`."""
        state = self._state
        rows = []
        wait = 0.0
        for spec in buckets:
            row = state.get(spec.key)
            if row is None:
                row = state[spec.key] = [spec.capacity, now, 0.0]
            elif now > row[1]:
                row[0] = min(spec.capacity, row[0] + (now - row[1]) * spec.rate)
                row[1] = now
            if row[2] > now:
                wait = max(wait, row[2] - now)
            elif row[0] < 1.0 - TOKEN_EPSILON:
                wait = max(wait, (1.0 - row[0]) / spec.rate)
            rows.append(row)
        if wait > 0:
            return max(wait, MIN_WAIT)
        for row in rows:
            row[0] -= 1.0
        return 0.0

    async def pause(self, buckets: Sequence[BucketSpec], now: float, until: float) -> None:
        """See :meth:`BucketStore.pause`."""
        for spec in buckets:
            self._state[spec.key] = [0.0, now, max(until, self._paused(spec.key))]

    def _paused(self, key: str) -> float:
        row = self._state.get(key)
        return row[2] if row else 0.0

    async def peek(self, buckets: Sequence[BucketSpec], now: float) -> list[BucketState]:
        """See :meth:`BucketStore.peek`."""
        result = []
        for spec in buckets:
            row = self._state.get(spec.key)
            state = None if row is None else BucketState(row[0], row[1], row[2])
            result.append(refill(spec, state, now))
        return result

    async def close(self) -> None:
        """Nothing to release."""
