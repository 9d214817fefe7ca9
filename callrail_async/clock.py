"""Time sources. Everything that waits or reads the time takes a :class:`Clock`, so tests
(and the sandbox) can simulate hours in milliseconds."""

from __future__ import annotations

import time
from typing import Protocol

import anyio
import anyio.lowlevel

__all__ = ["Clock", "ManualClock", "SystemClock"]


class Clock(Protocol):
    """What the SDK needs of time: the wall clock, a monotonic clock and a sleep."""

    def time(self) -> float:
        """Seconds since the epoch (wall clock)."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start, never going backwards."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` (cancellable)."""
        ...


class SystemClock:
    """The real clock."""

    def time(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """``anyio.sleep``."""
        await anyio.sleep(max(0.0, seconds))

    def __repr__(self) -> str:
        return "SystemClock()"


class ManualClock:
    """A simulated clock: ``sleep`` advances time instantly instead of waiting.

    ``sleeps`` records every requested sleep, so tests can assert on backoff.
    """

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._now = start
        self._elapsed = 0.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        """The simulated wall clock."""
        return self._now

    def monotonic(self) -> float:
        """The simulated monotonic clock (seconds since construction)."""
        return self._elapsed

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds``."""
        step = max(0.0, seconds)
        self._now += step
        self._elapsed += step

    def step_wall_clock(self, seconds: float) -> None:
        """Step the wall clock alone by ``seconds`` (negative: back), as an NTP correction
        or a manual change does; the monotonic clock does not move."""
        self._now += seconds

    async def sleep(self, seconds: float) -> None:
        """Advance the clock by ``seconds`` and yield to the event loop once."""
        self.sleeps.append(seconds)
        self.advance(seconds)
        await anyio.lowlevel.checkpoint()

    def __repr__(self) -> str:
        return f"ManualClock(time={self._now})"
