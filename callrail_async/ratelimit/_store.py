"""Window logs: the store contract every backend keeps, and the in-memory store.

Each window keeps a log of admission times, oldest first, never more than ``limit`` entries.
A request is admitted when every window of its class has fewer than ``limit`` entries newer
than ``now - span``; it then appends ``now`` to each log. A 429 tops every log up to
``limit`` with entries that expire when the pause ends (see :func:`pause_stamp`).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from typing import Protocol

from .limits import WindowSpec

__all__ = ["BucketStore", "MemoryBucketStore", "pause_stamp"]

# An entry counts as expired this close to its expiry, so float rounding at epoch-sized times
# (one ulp is ~2e-7 s) can never leave a waiter one ulp short, sleeping again. A microsecond
# is far inside the safety margin (RateLimits.margin, 0.1 s at least).
EPSILON = 1e-6
# A shared store's newest entry this far in the future means the wall clock stepped back
# (or another machine's clock is ahead): the log is shifted so its newest entry is "now".
CLOCK_STEP_TOLERANCE = 1.0


class BucketStore(Protocol):
    """Where window logs live. Each operation on a list of windows is atomic.

    ``shared`` stores (SQLite, Redis) are read by several processes, so their times are wall
    clock (``Clock.time``) and they tolerate a clock that steps back; the in-memory store
    gets the monotonic clock.
    """

    shared: bool

    async def take(self, windows: Sequence[WindowSpec], now: float) -> float:
        """Admit one request if every window has room: log ``now`` in each and return 0.
        Otherwise log nothing and return the seconds until the fullest window frees a slot."""
        ...

    async def pause(self, windows: Sequence[WindowSpec], now: float, seconds: float) -> None:
        """After a 429: admit nothing from these windows for ``seconds`` (at most each
        window's span) by filling their logs with entries that expire then."""
        ...

    async def peek(self, windows: Sequence[WindowSpec], now: float) -> list[list[float]]:
        """Each window's live log (admission times newer than ``now - span``), oldest first."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


def pause_stamp(window: WindowSpec, now: float, seconds: float) -> float:
    """The time a log entry must carry to expire ``seconds`` from ``now`` (never after
    ``now``: a pause is bounded by the window's span, and no entry is in the future).
    A negative or non-finite pause is no pause (the limiter clamps before it gets here)."""
    if not 0 <= seconds < math.inf:
        seconds = 0.0
    return now + min(seconds, window.span) - window.span


class MemoryBucketStore:
    """Window logs in this process's memory: the default; fast and safe for many tasks."""

    shared = False

    def __init__(self) -> None:
        self._logs: dict[str, deque[float]] = {}

    def __repr__(self) -> str:
        return f"MemoryBucketStore(windows={len(self._logs)})"

    def _live(self, window: WindowSpec, now: float) -> deque[float]:
        log = self._logs.get(window.key)
        if log is None:
            log = self._logs[window.key] = deque()
        cutoff = now - window.span + EPSILON
        while log and log[0] <= cutoff:
            log.popleft()
        return log

    async def take(self, windows: Sequence[WindowSpec], now: float) -> float:
        """See :meth:`BucketStore.take`."""
        # The hot path: _live inlined.
        all_logs = self._logs
        logs = []
        wait = 0.0
        for window in windows:
            log = all_logs.get(window.key)
            if log is None:
                log = all_logs[window.key] = deque()
            cutoff = now - window.span + EPSILON
            while log and log[0] <= cutoff:
                log.popleft()
            full = len(log) - window.limit
            if full >= 0:
                wait = max(wait, log[full] + window.span - now, EPSILON)
            logs.append(log)
        if wait > 0:
            return wait
        for log in logs:
            log.append(now)
        return 0.0

    async def pause(self, windows: Sequence[WindowSpec], now: float, seconds: float) -> None:
        """See :meth:`BucketStore.pause`."""
        for window in windows:
            log = self._live(window, now)
            stamp = pause_stamp(window, now, seconds)
            fill = [stamp] * max(0, window.limit - len(log))
            self._logs[window.key] = deque(fill + [max(s, stamp) for s in log])

    async def peek(self, windows: Sequence[WindowSpec], now: float) -> list[list[float]]:
        """See :meth:`BucketStore.peek`."""
        return [list(self._live(window, now)) for window in windows]

    async def close(self) -> None:
        """Nothing to release."""
