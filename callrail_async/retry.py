"""Retry policy: small, pure decisions about whether and how long to wait before a retry."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["IDEMPOTENT_METHODS", "RETRYABLE_STATUSES", "RetryPolicy"]

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class RetryPolicy:
    """When to retry and how long to wait.

    Exponential backoff with full jitter (``uniform(0, min(max_backoff, base * 2**attempt))``),
    honouring ``Retry-After`` when present, capped at ``max_retry_after``. Only idempotent
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
            raise ValueError(f"max_retries must be an integer >= 0, got {self.max_retries!r}")
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {self.max_retries!r}")
        if self.backoff_base < 0 or self.max_backoff < 0 or self.max_retry_after < 0:
            raise ValueError("backoff_base, max_backoff and max_retry_after must be >= 0")

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
        if retry_after is not None:
            return min(max(0.0, retry_after), self.max_retry_after)
        ceiling = min(self.max_backoff, self.backoff_base * (2**attempt))
        return self.jitter(0.0, ceiling)
