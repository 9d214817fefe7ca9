"""Rate-limit configuration: windows per endpoint class, and how buckets are tuned to them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ._base import RateClass

__all__ = ["DEFAULT_MATON_WINDOW", "BucketSpec", "RateLimits", "Window"]


@dataclass(frozen=True)
class Window:
    """At most ``limit`` requests in any rolling ``seconds``.

    ``burst`` is how many requests a fresh budget admits at once (the bucket's capacity);
    by default it is tuned by :class:`RateLimits` (see there).
    """

    limit: int
    seconds: float
    burst: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 1:
            raise ValueError(f"Window limit must be a positive integer, got {self.limit!r}")
        if not self.seconds > 0:
            raise ValueError(f"Window seconds must be positive, got {self.seconds!r}")
        if self.burst is not None and not 1 <= self.burst < self.limit:
            raise ValueError(f"Window burst must be within 1..limit-1, got {self.burst!r}")


@dataclass(frozen=True)
class BucketSpec:
    """One token bucket: its storage key, capacity (burst) and refill rate (tokens/second)."""

    key: str
    capacity: float
    rate: float
    window: Window
    label: str


DEFAULT_MATON_WINDOW = Window(limit=10, seconds=1.0)


def _general() -> list[Window]:
    return [Window(limit=1000, seconds=3600), Window(limit=10000, seconds=86400)]


def _sms() -> list[Window]:
    return [Window(limit=150, seconds=3600), Window(limit=1000, seconds=86400)]


def _outbound() -> list[Window]:
    return [Window(limit=100, seconds=3600), Window(limit=2000, seconds=86400)]


@dataclass(frozen=True)
class RateLimits:
    """The budgets to stay within; CallRail's published limits by default.

    Each request of a class takes a token from every window of its class. A bucket for a
    window holds ``capacity`` tokens and refills at ``(limit - capacity) / (seconds + slack)``
    per second, so no rolling window can ever see more than ``limit`` requests. The slack,
    ``max(margin, seconds * margin_ratio)``, absorbs the delay between a request leaving the
    limiter and reaching CallRail's clock (network jitter, a busy event loop).

    Capacity (the burst a fresh budget allows) is tuned per class: the window that binds in the
    long run (the smallest limit/seconds) keeps ``binding_burst`` of its limit, so steady
    throughput reaches ``1 - binding_burst`` of it; every other window gets the largest burst
    (up to half its limit) that does not make it the bottleneck. ``Window(burst=...)`` overrides.
    ``maton`` is the Maton gateway's extra window (per Maton key, all classes).
    """

    general: list[Window] = field(default_factory=_general)
    sms: list[Window] = field(default_factory=_sms)
    outbound_call: list[Window] = field(default_factory=_outbound)
    maton: Window | None = DEFAULT_MATON_WINDOW
    margin: float = 0.1
    margin_ratio: float = 0.001
    binding_burst: float = 0.005
    enabled: bool = True

    def __post_init__(self) -> None:
        if self.margin < 0 or not 0 <= self.margin_ratio < 0.5:
            raise ValueError("margin must be >= 0 and margin_ratio within [0, 0.5)")
        if not 0 < self.binding_burst < 1:
            raise ValueError(f"binding_burst must be within (0, 1), got {self.binding_burst!r}")

    @classmethod
    def unlimited(cls) -> RateLimits:
        """No limiting at all (for the sandbox and tests)."""
        return cls(general=[], sms=[], outbound_call=[], maton=None, enabled=False)

    def windows(self, rate_class: RateClass) -> list[Window]:
        """The windows of a class."""
        return list(getattr(self, rate_class))

    def buckets(self, scope: str, rate_class: RateClass) -> list[BucketSpec]:
        """The tuned buckets for one budget owner (an account) and class."""
        windows = self.windows(rate_class)
        if not windows:
            return []
        binding = min(w.limit / self.span(w) for w in windows)
        return [self._spec(f"{scope}:{rate_class}", w, binding, rate_class) for w in windows]

    def maton_bucket(self, scope: str) -> BucketSpec | None:
        """The gateway's per-key bucket, if any."""
        if self.maton is None:
            return None
        return self._spec(f"{scope}:maton", self.maton, 0.0, "maton")

    def span(self, window: Window) -> float:
        """The window's length plus the slack the refill rate is computed over."""
        return window.seconds + max(self.margin, window.seconds * self.margin_ratio)

    def _spec(self, prefix: str, window: Window, binding_rate: float, label: str) -> BucketSpec:
        span = self.span(window)
        if window.burst is not None:
            capacity = float(window.burst)
        elif window.limit / span <= binding_rate * (1 + 1e-9):
            capacity = float(max(1, math.ceil(window.limit * self.binding_burst)))
        else:
            room = window.limit - binding_rate * span
            capacity = float(max(1, min(math.floor(room), window.limit // 2)))
        capacity = min(capacity, window.limit - 1) if window.limit > 1 else 1.0
        rate = (window.limit - capacity) / span
        if rate <= 0:  # a limit of 1: one request per window, no burst beyond it
            capacity, rate = 1.0, 1.0 / span
        key = f"{prefix}:{window.limit}/{window.seconds:g}s"
        return BucketSpec(key=key, capacity=capacity, rate=rate, window=window, label=label)
