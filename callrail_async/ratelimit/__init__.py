"""Rate limiting: the interface the transport acquires through before every request."""

from ._base import Limiter, NoLimiter, RateClass

__all__ = ["Limiter", "NoLimiter", "RateClass"]
