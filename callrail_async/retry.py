"""Retry policy: small, pure decisions about whether and how long to wait before a retry."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import ConfigurationError

__all__ = ["IDEMPOTENT_METHODS", "RETRYABLE_STATUSES", "RetryPolicy"]

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class RetryPolicy:
    """When to retry and how long to wait.

    Exponential backoff with full jitter (``uniform(0, min(max_backoff, base * 2**attempt))``),
    honouring ``Retry-After`` when present, capped at ``max_retry_after`` (the cap also
    applies to the pause a 429 puts on the shared rate limiter). Only idempotent
    methods are retried after a 5xx, a network error or an undecodable body: CallRail has no
    idempotency keys, so a repeated POST could place a second call or send a second SMS.
    Every method is retried on 429, which CallRail sends before doing anything.
    """

    max_retries: int = 5
    backoff_base: float = 0.5
    max_backoff: float = 30.0
    max_retry_after: float = 300.0
    jitter: Callable[[float, float], float] = field(default=random.uniform, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise ConfigurationError(
                f"max_retries must be an integer >= 0, got {self.max_retries!r}"
            )
        if self.max_retries < 0:
            raise ConfigurationError(f"max_retries must be >= 0, got {self.max_retries!r}")
        for name in ("backoff_base", "max_backoff", "max_retry_after"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and value >= 0 and finite(value)):
                raise ConfigurationError(
                    f"{name} must be a finite number of seconds >= 0, got {value!r}"
                )

    def bounded_retry_after(self, seconds: float | None) -> float | None:
        """A server-supplied wait clamped to ``[0, max_retry_after]``; ``None`` (and any
        non-finite value) stays ``None``: the limiter and the backoff use their own waits."""
        if seconds is None or not math.isfinite(seconds):
            return None
        return min(max(0.0, seconds), self.max_retry_after)

    def should_retry_status(self, method: str, status: int, attempt: int) -> bool:
        """Whether a response with ``status`` to ``method`` may be retried after ``attempt``."""
        if attempt >= self.max_retries or status not in RETRYABLE_STATUSES:
            return False
        return status == 429 or method.upper() in IDEMPOTENT_METHODS

    def should_retry_failure(self, method: str, attempt: int) -> bool:
        """Whether a network error, timeout or undecodable body may be retried."""
        return attempt < self.max_retries and method.upper() in IDEMPOTENT_METHODS

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before retry number ``attempt + 1``."""
        bounded = self.bounded_retry_after(retry_after)
        if bounded is not None:
            return bounded
        ceiling = min(self.max_backoff, self.backoff_base * (2**attempt))
        return self.jitter(0.0, ceiling)


def finite(value: float) -> bool:
    """``math.isfinite`` that also answers for an int beyond any float (False)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False
