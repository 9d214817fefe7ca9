"""How long a job will take: the limiter's own schedule, computed without sending anything."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from ._store import EPSILON

__all__ = ["WindowLog", "completion_time"]


@dataclass(frozen=True)
class WindowLog:
    """One window's state for :func:`completion_time`: at most ``limit`` admissions in any
    ``span`` seconds; ``ages`` are the seconds since each live admission (any order)."""

    limit: int
    span: float
    ages: Sequence[float] = ()


def completion_time(windows: Sequence[WindowLog], requests: int) -> float:
    """Seconds from now until the last of ``requests`` back-to-back requests is admitted,
    admitting each as early as every window allows (what :class:`RateLimiter` does): 0 when
    they all fit now. Excludes the requests' own latency.

    Pure and fast: admissions at one instant are handled as one batch, so a million requests
    under CallRail's windows take a few thousand steps.
    """
    if requests <= 0 or not windows:
        return 0.0
    # Per window: [limit, span, runs of (time, count) oldest first, entries in the runs].
    state: list[tuple[int, float, deque[list[float]], list[int]]] = []
    for window in windows:
        runs: deque[list[float]] = deque()
        for stamp in sorted(-age for age in window.ages):
            if runs and runs[-1][0] == stamp:
                runs[-1][1] += 1
            else:
                runs.append([stamp, 1])
        state.append((window.limit, window.span, runs, [len(window.ages)]))
    now, left = 0.0, requests
    while True:
        room = math.inf
        for limit, span, runs, total in state:
            cutoff = now - span + EPSILON
            while runs and runs[0][0] <= cutoff:
                total[0] -= int(runs.popleft()[1])
            room = min(room, limit - total[0])
        if room > 0:
            batch = int(min(room, left))
            left -= batch
            if left == 0:
                return now
            for _, _, runs, total in state:
                runs.append([now, batch])
                total[0] += batch
        # Wait for every full window to free its oldest run.
        now = max(runs[0][0] + span for limit, span, runs, total in state if total[0] >= limit)
