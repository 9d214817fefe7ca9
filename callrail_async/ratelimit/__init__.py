"""Rate limiting: token buckets tuned to CallRail's hourly and daily limits.

``RateLimits``/``Window`` configure the budgets, ``RateLimiter`` admits requests, and the
bucket stores decide who shares a budget: ``MemoryBucketStore`` (one process, the default),
``SqliteBucketStore`` (processes of one machine, survives restarts), ``RedisBucketStore``
(many machines; ``callrail_async.ratelimit.redis``).
"""

from ._base import Limiter, NoLimiter, RateClass
from ._store import BucketState, BucketStore, MemoryBucketStore
from .limiter import RateLimiter, WindowStatus
from .limits import BucketSpec, RateLimits, Window
from .sqlite import SqliteBucketStore

__all__ = [
    "BucketSpec",
    "BucketState",
    "BucketStore",
    "Limiter",
    "MemoryBucketStore",
    "NoLimiter",
    "RateClass",
    "RateLimiter",
    "RateLimits",
    "SqliteBucketStore",
    "Window",
    "WindowStatus",
]
