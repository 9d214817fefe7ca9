"""Rate-limit configuration: the rolling windows of each endpoint class, and their specs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import ConfigurationError
from ..options import safe_repr
from ..retry import finite
from ._base import RateClass


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


__all__ = ["DEFAULT_MATON_WINDOW", "RateLimits", "Window", "WindowSpec"]


@dataclass(frozen=True)
class Window:
    """At most ``limit`` requests in any rolling ``seconds``.

    ``burst`` (optional) also paces the window: at most ``burst`` requests in any
    ``seconds * burst / limit``, i.e. the window's average rate with bursts of ``burst``.
    ``RateLimits(smooth=True)`` paces every window that way with ``burst=1``.
    """

    limit: int
    seconds: float
    burst: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.limit, bool) or not isinstance(self.limit, int) or self.limit < 1:
            raise ConfigurationError(
                f"Window limit must be a positive integer, got {safe_repr(self.limit)}"
            )
        if not (_number(self.seconds) and self.seconds > 0 and finite(self.seconds)):
            raise ConfigurationError(
                f"Window seconds must be positive and finite, got {safe_repr(self.seconds)}"
            )
        if self.burst is not None and not (
            isinstance(self.burst, int) and 1 <= self.burst <= self.limit
        ):
            raise ConfigurationError(
                f"Window burst must be within 1..limit, got {safe_repr(self.burst)}"
            )


@dataclass(frozen=True, slots=True)
class WindowSpec:
    """One rolling window as the stores enforce it.

    ``key`` names its log in the store; ``span`` is the window's length plus the safety
    margin (see :class:`RateLimits`): at most ``limit`` admissions in any ``span``.
    """

    key: str
    limit: int
    span: float
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

    A request of a class is admitted when, for every window of its class, fewer than ``limit``
    requests were admitted in the last ``seconds + slack``, where the safety margin
    ``slack = max(margin, seconds * margin_ratio)`` (3.6 s for an hour, 86.4 s for a day by
    default) absorbs clock skew and the delay between a request leaving the limiter and
    reaching CallRail (network jitter, a busy event loop). ``maton`` is the Maton gateway's
    extra window (per Maton key, all classes).

    ``smooth=True`` paces each window at its average rate (one request every
    ``seconds / limit``) instead of admitting bursts up to the limit. After a 429 the class
    pauses for ``Retry-After`` (without one: ``default_pause``, by default one request's
    share of the class's tightest window, 8.6 s for ``general``), never longer than
    ``max_pause`` nor than the class's longest window.
    """

    general: list[Window] = field(default_factory=_general)
    sms: list[Window] = field(default_factory=_sms)
    outbound_call: list[Window] = field(default_factory=_outbound)
    maton: Window | None = DEFAULT_MATON_WINDOW
    margin: float = 0.1
    margin_ratio: float = 0.001
    smooth: bool = False
    default_pause: float | None = None
    max_pause: float = 300.0
    enabled: bool = True

    def __post_init__(self) -> None:
        for name in ("general", "sms", "outbound_call"):
            windows = getattr(self, name)
            if not isinstance(windows, list | tuple) or not all(
                isinstance(w, Window) for w in windows
            ):
                raise ConfigurationError(f"{name} must be a list of Window")
        if self.maton is not None and not isinstance(self.maton, Window):
            raise ConfigurationError("maton must be a Window or None")
        numbers = (self.margin, self.margin_ratio, self.max_pause)
        if not all(_number(n) and n >= 0 and finite(n) for n in numbers) or not (
            self.margin_ratio < 0.5
        ):
            raise ConfigurationError("margin must be finite and >= 0, margin_ratio within [0, 0.5)")
        if not (
            self.default_pause is None
            or (_number(self.default_pause) and 0 <= self.default_pause <= self.max_pause)
        ):
            raise ConfigurationError("need 0 <= default_pause <= max_pause < inf")

    @classmethod
    def unlimited(cls) -> RateLimits:
        """No limiting at all (for the sandbox and tests)."""
        return cls(general=[], sms=[], outbound_call=[], maton=None, enabled=False)

    def windows(self, rate_class: RateClass) -> list[Window]:
        """The windows of a class."""
        return list(getattr(self, rate_class))

    def specs(self, scope: str, rate_class: RateClass) -> list[WindowSpec]:
        """The windows one budget owner (an account) must respect for a class."""
        specs: dict[str, WindowSpec] = {}  # a window given twice is one window
        for window in self.windows(rate_class):
            for spec in self._specs(f"{scope}:{rate_class}", window, rate_class):
                specs.setdefault(spec.key, spec)
        return list(specs.values())

    def maton_specs(self, scope: str) -> list[WindowSpec]:
        """The gateway's per-key window, if any."""
        return [] if self.maton is None else self._specs(f"{scope}:maton", self.maton, "maton")

    def span(self, window: Window) -> float:
        """The window's length plus the safety margin."""
        return window.seconds + max(self.margin, window.seconds * self.margin_ratio)

    def pause(self, retry_after: float | None, windows: Sequence[WindowSpec]) -> float:
        """The pause after a 429 on ``windows``: ``Retry-After`` clamped to
        ``[0, max_pause]``; when it is missing, negative or non-finite, ``default_pause`` or
        else the average spacing of the tightest window (``span / limit``, at most
        ``max_pause``)."""
        if retry_after is not None and 0 <= retry_after < math.inf:
            return min(retry_after, self.max_pause)
        if self.default_pause is not None:
            return self.default_pause
        return min(max((w.span / w.limit for w in windows), default=0.0), self.max_pause)

    def _specs(self, prefix: str, window: Window, label: str) -> list[WindowSpec]:
        span = self.span(window)
        key = f"{prefix}:{window.limit}/{window.seconds:g}s"
        specs = [WindowSpec(key, window.limit, span, window, label)]
        burst = window.burst if window.burst is not None else (1 if self.smooth else None)
        if burst is not None and burst < window.limit:
            pace = Window(burst, window.seconds * burst / window.limit)
            # No margin here: pacing is a preference, the window above keeps the guarantee.
            specs.append(WindowSpec(f"{key}:pace{burst}", burst, pace.seconds, pace, label))
        return specs


def check_types(rate_limits: object, store: object) -> None:
    """``CallRail(rate_limits=, rate_limit_store=)``: a RateLimits and a BucketStore, or None."""
    if rate_limits is not None and not isinstance(rate_limits, RateLimits):
        raise ConfigurationError(
            "rate_limits must be a RateLimits (e.g. RateLimits() or RateLimits.unlimited()) "
            f"or None, got {type(rate_limits).__name__}"
        )
    methods = ("shared", "take", "pause", "peek", "close")
    if store is not None and not all(hasattr(store, name) for name in methods):
        raise ConfigurationError(
            "rate_limit_store must be a BucketStore (e.g. SqliteBucketStore(path)) or None, "
            f"got {type(store).__name__}"
        )
