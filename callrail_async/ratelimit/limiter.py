"""``RateLimiter``: exact rolling-window admission in front of every request."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..clock import Clock, SystemClock
from ._base import RateClass
from ._store import BucketStore, MemoryBucketStore
from .estimate import WindowLog, completion_time
from .limits import RateLimits, WindowSpec

__all__ = ["RateLimiter", "WindowStatus", "binding_window"]

RATE_CLASSES: tuple[RateClass, ...] = ("general", "sms", "outbound_call")


@dataclass(frozen=True)
class WindowStatus:
    """Where one rolling window's budget stands, for dashboards and progress lines.

    ``admitted`` counts the requests in the current rolling window (plus the safety margin;
    after a 429 the window counts as full until the pause ends); ``remaining`` is what may
    go now; ``next_slot_in`` is 0 while ``remaining > 0``, else the seconds until the oldest
    admission leaves the window.
    """

    rate_class: str
    limit: int
    seconds: float
    admitted: int
    remaining: int
    next_slot_in: float

    def summary(self) -> str:
        """For a progress line: ``"9,000 of 10,000/day left"``, or when the window is
        full ``"0 of 1,000/hour left, next in 12m"``."""
        per = {3600: "hour", 86400: "day"}.get(int(self.seconds), f"{self.seconds:g}s")
        text = f"{self.remaining:,} of {self.limit:,}/{per} left"
        if self.remaining == 0:
            wait = self.next_slot_in
            shown = f"{wait:.0f}s" if wait < 120 else f"{wait / 60:.0f}m"
            text += f", next in {shown if wait < 7200 else f'{wait / 3600:.1f}h'}"
        return text


def binding_window(statuses: Sequence[WindowStatus], rate_class: str) -> WindowStatus | None:
    """The window of ``rate_class`` with the least budget left (the longer one on a tie):
    the one that decides how soon a long job can go on."""
    mine = [s for s in statuses if s.rate_class == rate_class]
    return min(mine, key=lambda s: (s.remaining, -s.seconds), default=None)


class RateLimiter:
    """Admits a request when every window of its class has had fewer than ``limit``
    requests in its last ``seconds`` (plus the safety margin of :class:`RateLimits`),
    waiting asynchronously, cancellably and without polling until the fullest window frees
    a slot: every job finishes as early as CallRail's windows allow.

    Tasks of one process queue in FIFO order per (budget owner, class); processes or machines
    sharing a :class:`SqliteBucketStore` or :class:`RedisBucketStore` share the budget.
    A 429 fills the class's windows (the first slot frees when the pause ends), so every
    task backs off together.
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
        # One process's memory: the monotonic clock, immune to wall-clock steps. A shared
        # store needs a time every process agrees on: the wall clock (the stores tolerate
        # a backward step).
        self._now: Callable[[], float] = (
            self.clock.time if self.store.shared else self.clock.monotonic
        )
        self._maton_scope = maton_scope
        self._plans: dict[tuple[str, RateClass], tuple[WindowSpec, ...]] = {}
        self._locks: dict[tuple[str, RateClass], asyncio.Lock] = {}
        self._queued: dict[tuple[str, RateClass], int] = {}  # tasks in the FIFO queue

    def __repr__(self) -> str:
        return f"RateLimiter(store={self.store!r})"

    def for_gateway(self, maton_scope: str) -> RateLimiter:
        """The same limits and store, plus the Maton gateway's per-key window."""
        return RateLimiter(self.limits, store=self.store, clock=self.clock, maton_scope=maton_scope)

    def plan(self, key: str, rate_class: RateClass) -> tuple[WindowSpec, ...]:
        """The windows a request of ``rate_class`` for ``key`` must fit in."""
        plan = self._plans.get((key, rate_class))
        if plan is None:
            windows = self.limits.specs(key, rate_class)
            if windows and self._maton_scope is not None:
                windows += self.limits.maton_specs(self._maton_scope)
            plan = self._plans[(key, rate_class)] = tuple(windows)
        return plan

    async def acquire(self, key: str, rate_class: RateClass) -> None:
        """Wait until the request may go, then log it in every window of its class."""
        queue = (key, rate_class)
        plan = self._plans.get(queue)
        if plan is None:
            plan = self.plan(key, rate_class)
        if not plan:
            return
        # Nobody of this process queued: try at once (the common, uncontended case).
        if not self._queued.get(queue) and await self.store.take(plan, self._now()) <= 0:
            return
        self._queued[queue] = self._queued.get(queue, 0) + 1
        try:
            lock = self._locks.get(queue)
            if lock is None:
                lock = self._locks[queue] = asyncio.Lock()
            async with lock:
                while True:
                    wait = await self.store.take(plan, self._now())
                    if wait <= 0:
                        return
                    await self.clock.sleep(wait)
        finally:
            self._queued[queue] -= 1

    async def rate_limited(
        self, key: str, rate_class: RateClass, retry_after: float | None
    ) -> None:
        """After a 429: the class's windows count as full for ``Retry-After`` (clamped, see
        :meth:`RateLimits.pause`), for every task and process sharing the store."""
        plan = self.plan(key, rate_class)
        if plan:
            await self.store.pause(plan, self._now(), self.limits.pause(retry_after, plan))

    async def status(self, key: str) -> list[WindowStatus]:
        """Admitted, remaining and next free slot of every window of every class."""
        now = self._now()
        result = []
        seen: set[str] = set()
        for rate_class in RATE_CLASSES:
            plan = [w for w in self.plan(key, rate_class) if w.key not in seen]
            seen.update(w.key for w in plan)
            for window, log in zip(plan, await self.store.peek(plan, now), strict=True):
                full = len(log) - window.limit
                result.append(
                    WindowStatus(
                        rate_class=window.label,
                        limit=window.limit,
                        seconds=window.window.seconds,
                        admitted=len(log),
                        remaining=max(0, -full),
                        next_slot_in=0.0 if full < 0 else max(0.0, log[full] + window.span - now),
                    )
                )
        return result

    async def estimate(self, key: str, rate_class: RateClass, requests: int) -> float:
        """Seconds until ``requests`` more requests of ``rate_class`` will have been admitted,
        sent back to back from the current state (0 if they fit now; latency excluded)."""
        plan = self.plan(key, rate_class)
        now = self._now()
        logs = await self.store.peek(plan, now) if plan else []
        windows = [
            WindowLog(w.limit, w.span, [now - t for t in log])
            for w, log in zip(plan, logs, strict=True)
        ]
        return completion_time(windows, requests)

    async def close(self) -> None:
        """Close the store."""
        await self.store.close()
