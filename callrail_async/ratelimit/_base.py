"""The limiter interface the transport depends on, and the no-op implementation."""

from __future__ import annotations

from typing import Literal, Protocol

RateClass = Literal["general", "sms", "outbound_call"]
"""CallRail's endpoint classes, each with its own hourly and daily budget."""


class Limiter(Protocol):
    """Admission control around every request. ``key`` names whose budget it is (an account)."""

    async def acquire(self, key: str, rate_class: RateClass) -> None:
        """Wait until a request of ``rate_class`` may be sent, then count it against the budget."""
        ...

    async def rate_limited(
        self, key: str, rate_class: RateClass, retry_after: float | None
    ) -> None:
        """Tell the limiter the server answered 429, so every task backs off together."""
        ...


class NoLimiter:
    """Admits every request at once."""

    async def acquire(self, key: str, rate_class: RateClass) -> None:
        """Return immediately."""

    async def rate_limited(
        self, key: str, rate_class: RateClass, retry_after: float | None
    ) -> None:
        """Do nothing: the retry policy's backoff handles the wait."""

    def __repr__(self) -> str:
        return "NoLimiter()"
