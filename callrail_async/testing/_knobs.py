"""The sandbox's knobs: faults, rate-limit enforcement, live traffic, error shapes."""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

from ._calls import CallStore

FaultKind = Literal[
    "500", "502", "503", "429", "429_retry_after", "reset", "truncate", "latency", "slow_body"
]
ALL_FAULTS: tuple[FaultKind, ...] = (
    "500",
    "502",
    "503",
    "429",
    "429_retry_after",
    "reset",
    "truncate",
    "latency",
    "slow_body",
)
ErrorStyle = Literal["error", "errors", "text", "html"]


@dataclass
class Faults:
    """Injected failures, deterministic from ``seed``.

    ``rate`` of API responses fail, each with a kind drawn from ``kinds``. A ``429`` starts a
    burst of ``burst`` consecutive 429s. ``latency`` delays a response by ``latency_seconds``;
    ``slow_body`` sends the body in pieces over ``latency_seconds``; ``reset`` drops the
    connection mid-body; ``truncate`` sends a 200 with half a JSON body.
    """

    rate: float = 0.0
    kinds: tuple[FaultKind, ...] = ALL_FAULTS
    seed: int = 0
    burst: int = 3
    latency_seconds: float = 0.5
    retry_after: float = 1.0
    _rng: random.Random = field(init=False, repr=False)
    _burst_left: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0:
            raise ValueError(f"rate must be within 0..1, got {self.rate!r}")
        unknown = set(self.kinds) - set(ALL_FAULTS)
        if unknown or not self.kinds:
            raise ValueError(f"kinds must be drawn from {ALL_FAULTS}, got {self.kinds!r}")
        self._rng = random.Random(self.seed)

    def draw(self) -> FaultKind | None:
        """The fault for the next response, if any."""
        if self._burst_left > 0:
            self._burst_left -= 1
            return "429"
        if self.rate <= 0 or self._rng.random() >= self.rate:
            return None
        kind = self._rng.choice(self.kinds)
        if kind in ("429", "429_retry_after"):
            self._burst_left = max(0, self.burst - 1)
        return kind


@dataclass
class RateLimitWindows:
    """Budgets the sandbox enforces, per account and endpoint class, over rolling windows.

    Each entry is ``(limit, seconds)``. ``maton_per_second`` applies per Maton key in
    gateway mode. ``retry_after`` adds a ``Retry-After`` header to 429s (CallRail sends none).
    """

    general: list[tuple[int, float]] = field(default_factory=lambda: [(1000, 3600), (10000, 86400)])
    sms: list[tuple[int, float]] = field(default_factory=lambda: [(150, 3600), (1000, 86400)])
    outbound_call: list[tuple[int, float]] = field(
        default_factory=lambda: [(100, 3600), (2000, 86400)]
    )
    maton_per_second: int | None = 10
    retry_after: bool = False

    def windows(self, rate_class: str) -> list[tuple[int, float]]:
        """The windows of a class."""
        return list(getattr(self, rate_class))


class RollingCounter:
    """Timestamps of admitted requests for one (key, window), for exact rolling counts."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._times: deque[float] = deque()

    def _trim(self, now: float) -> None:
        cutoff = now - self.seconds
        while self._times and self._times[0] <= cutoff:
            self._times.popleft()

    def would_exceed(self, now: float) -> bool:
        """Whether one more request now would exceed the limit."""
        self._trim(now)
        return len(self._times) >= self.limit

    def wait_time(self, now: float) -> float:
        """Seconds until one more request fits."""
        self._trim(now)
        if len(self._times) < self.limit:
            return 0.0
        return self._times[len(self._times) - self.limit] + self.seconds - now

    def add(self, now: float) -> None:
        """Record an admitted request."""
        self._times.append(now)


@dataclass
class LiveTraffic:
    """Changes made while clients paginate: new calls and calls marked spam.

    Before serving every ``every``-th call-list request, ``inserts_per_request`` new calls
    arrive (at the sandbox's "now") and ``spam_per_request`` visible calls are marked spam,
    chosen from a seeded RNG. ``max_inserts``/``max_spam`` bound the totals.
    """

    inserts_per_request: int = 0
    spam_per_request: int = 0
    max_inserts: int | None = None
    max_spam: int | None = None
    every: int = 1
    seed: int = 0
    inserted: int = 0
    marked_spam: int = 0
    requests: int = 0
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError(f"every must be >= 1, got {self.every!r}")
        self._rng = random.Random(self.seed)

    def due(self) -> bool:
        """Count a call-list request; True when this one brings changes."""
        self.requests += 1
        return self.requests % self.every == 0

    def inserts_due(self) -> int:
        """How many calls to insert now."""
        n = self.inserts_per_request
        if self.max_inserts is not None:
            n = max(0, min(n, self.max_inserts - self.inserted))
        self.inserted += n
        return n

    def spam_due(self) -> int:
        """How many calls to mark spam now."""
        n = self.spam_per_request
        if self.max_spam is not None:
            n = max(0, min(n, self.max_spam - self.marked_spam))
        return n

    def pick(self, upper: int) -> int:
        """A random index below ``upper``."""
        return self._rng.randrange(upper)

    def apply(self, store: CallStore, now: float) -> None:
        """Before a call-list request: insert new calls and mark calls spam, when due."""
        if not self.due():
            return
        for _ in range(self.inserts_due()):
            store.append(now)
        for _ in range(self.spam_due()):
            if len(store) - len(store.spam) <= 1:
                break
            if store.mark_spam(self.pick(len(store))):
                self.marked_spam += 1
