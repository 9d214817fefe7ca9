"""Rate limiting: exact rolling windows for CallRail's hourly and daily limits.

``RateLimits``/``Window`` configure the budgets, ``RateLimiter`` admits requests, and the
stores decide who shares a budget: ``MemoryBucketStore`` (one process, the default),
``SqliteBucketStore`` (processes of one machine, survives restarts), ``RedisBucketStore``
(many machines; ``callrail_async.ratelimit.redis``). ``completion_time`` estimates how long
a job will take from a window's state.
"""

from ._base import Limiter, NoLimiter, RateClass
from ._store import BucketStore, MemoryBucketStore
from .estimate import WindowLog, completion_time
from .limiter import RateLimiter, WindowStatus, binding_window
from .limits import RateLimits, Window, WindowSpec
from .sqlite import SqliteBucketStore

__all__ = [
    "BucketStore",
    "Limiter",
    "MemoryBucketStore",
    "NoLimiter",
    "RateClass",
    "RateLimiter",
    "RateLimits",
    "SqliteBucketStore",
    "Window",
    "WindowLog",
    "WindowSpec",
    "WindowStatus",
    "binding_window",
    "completion_time",
]
