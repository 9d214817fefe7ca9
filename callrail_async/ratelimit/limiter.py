"""``RateLimiter``: token buckets in front of every request, over a pluggable store."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from ..clock import Clock, SystemClock
from ._base import RateClass
from ._store import BucketStore, MemoryBucketStore
from .limits import BucketSpec, RateLimits

__all__ = ["RateLimiter", "WindowStatus"]

RATE_CLASSES: tuple[RateClass, ...] = ("general", "sms", "outbound_call")


@dataclass(frozen=True)
class WindowStatus:
    """Where one window's budget stands, for dashboards and progress lines."""

    rate_class: str
    limit: int
    seconds: float
    capacity: float
    remaining: int
    refill_per_second: float
    next_token_in: float
    paused_for: float


class RateLimiter:
    """Admits requests within every window of their class, waiting (asynchronously,
    cancellably, without polling) until all of the class's buckets have a token.

    Tasks of one process queue in FIFO order per (budget owner, class); processes or machines
    sharing a :class:`SqliteBucketStore` or :class:`RedisBucketStore` share the budget.
    A 429 empties and pauses the class's buckets, so every task backs off together.
    """

    def __init__(
        self,
        limits: RateLimits | None = None,
        *,
        store: BucketStore | None = None,
        clock: Clock | None = None,
        maton_scope: str | None = None,
    ) -> None:
        self.limits = limits or RateLimits()
        self.store: BucketStore = store or MemoryBucketStore()
        self.clock: Clock = clock or SystemClock()
        self._maton_scope = maton_scope
        self._plans: dict[tuple[str, RateClass], tuple[BucketSpec, ...]] = {}
        self._locks: dict[tuple[str, RateClass], asyncio.Lock] = {}

    def __repr__(self) -> str:
        return f"RateLimiter(store={self.store!r})"

    def for_gateway(self, maton_scope: str) -> RateLimiter:
        """The same limits and store, plus the Maton gateway's per-key window."""
        return RateLimiter(self.limits, store=self.store, clock=self.clock, maton_scope=maton_scope)

    def plan(self, key: str, rate_class: RateClass) -> tuple[BucketSpec, ...]:
        """The buckets a request of ``rate_class`` for ``key`` takes a token from."""
        plan = self._plans.get((key, rate_class))
        if plan is None:
            buckets = self.limits.buckets(key, rate_class)
            if self._maton_scope is not None:
                maton = self.limits.maton_bucket(self._maton_scope)
                if maton is not None:
                    buckets.append(maton)
            plan = self._plans[(key, rate_class)] = tuple(buckets)
        return plan

    async def acquire(self, key: str, rate_class: RateClass) -> None:
        """Wait until the request may go, then take its tokens."""
        plan = self.plan(key, rate_class)
        if not plan:
            return
        lock = self._locks.get((key, rate_class))
        if lock is None:
            lock = self._locks[(key, rate_class)] = asyncio.Lock()
        async with lock:
            while True:
                wait = await self.store.take(plan, self.clock.time())
                if wait <= 0:
                    return
                await self.clock.sleep(wait)

    async def rate_limited(
        self, key: str, rate_class: RateClass, retry_after: float | None
    ) -> None:
        """After a 429: empty the class's buckets and pause them (for ``Retry-After`` if
        given, else until the slowest bucket would refill one token)."""
        plan = self.plan(key, rate_class)
        if not plan:
            return
        pause = retry_after if retry_after is not None else max(1.0 / b.rate for b in plan)
        now = self.clock.time()
        await self.store.pause(plan, now, now + pause)

    async def status(self, key: str) -> list[WindowStatus]:
        """Remaining tokens and the next refill of every window of every class."""
        now = self.clock.time()
        result = []
        seen: set[str] = set()
        for rate_class in RATE_CLASSES:
            plan = [b for b in self.plan(key, rate_class) if b.key not in seen]
            seen.update(b.key for b in plan)
            states = await self.store.peek(plan, now)
            for spec, state in zip(plan, states, strict=True):
                missing = max(0.0, 1.0 - state.tokens)
                result.append(
                    WindowStatus(
                        rate_class=spec.label,
                        limit=spec.window.limit,
                        seconds=spec.window.seconds,
                        capacity=spec.capacity,
                        remaining=int(state.tokens),
                        refill_per_second=spec.rate,
                        next_token_in=missing / spec.rate,
                        paused_for=max(0.0, state.paused_until - now),
                    )
                )
        return result

    async def close(self) -> None:
        """Close the store."""
        await self.store.close()
