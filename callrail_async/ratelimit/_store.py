"""Window logs: the store contract every backend keeps, and the in-memory store.

Each window keeps a log of admission times, oldest first, never more than ``limit`` entries.
A request is admitted when every window of its class has fewer than ``limit`` entries newer
than ``now - span``; it then appends ``now`` to each log. A 429 tops every log up to
``limit`` as if the window were spent evenly: the first entry expires when the pause ends,
the others one by one after it (see :func:`paused_log`).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from typing import Protocol

from .limits import WindowSpec

__all__ = ["BucketStore", "MemoryBucketStore", "paused_log"]

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
        window's span), then one at a time: each log becomes :func:`paused_log`."""
        ...

    async def peek(self, windows: Sequence[WindowSpec], now: float) -> list[list[float]]:
        """Each window's live log (admission times newer than ``now - span``), oldest first."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


def paused_log(window: WindowSpec, now: float, seconds: float, live: list[float]) -> list[float]:
    """A window's log after a 429: ``limit`` entries, as if the window were spent evenly
    (the server counts it as spent, by whom and when it does not say). The oldest expires
    ``seconds`` from ``now``, the next ones one by one after it, every ``span / limit`` (or
    every ``seconds`` if shorter: one request probes per pause); a live entry keeps its
    own later time, spaced as much from the one before. None is after ``now``, so a pause
    never outlasts the window's span. A negative or non-finite pause is no pause (the
    limiter clamps before it gets here)."""
    if not 0 <= seconds < math.inf:
        seconds = 0.0
    wait = min(seconds, window.span)
    first, gap = now + wait - window.span, min(window.span / window.limit, wait)
    newest = sorted(live)[-window.limit :]
    offset = window.limit - len(newest)
    log: list[float] = []
    for i in range(window.limit):
        stamp = first + i * gap
        if i >= offset:
            stamp = max(stamp, newest[i - offset], log[-1] + gap if log else stamp)
        log.append(min(now, stamp))
    return log


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
            self._logs[window.key] = deque(paused_log(window, now, seconds, list(log)))

    async def peek(self, windows: Sequence[WindowSpec], now: float) -> list[list[float]]:
        """See :meth:`BucketStore.peek`."""
        return [list(self._live(window, now)) for window in windows]

    async def close(self) -> None:
        """Nothing to release."""
