"""callrail_async: an async-first, fully typed SDK for the CallRail API v3."""

from ._version import __version__
from .client import CallRail
from .clock import Clock, ManualClock, SystemClock
from .errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    CallRailError,
    ConfigurationError,
    ConflictError,
    NotAcceptableError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
    UnprocessableEntityError,
    UnsafeURLError,
)
from .models import (
    Account,
    Call,
    CallSummary,
    CallTimeseries,
    Company,
    Integration,
    Notification,
    Tag,
    Tracker,
    User,
)
from .pagination import AsyncPaginator, Page
from .ratelimit import RateLimiter, RateLimits, Window, WindowStatus
from .retry import RetryPolicy

__all__ = [
    "APIError",
    "Account",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "Call",
    "CallRail",
    "CallRailError",
    "CallSummary",
    "CallTimeseries",
    "Clock",
    "Company",
    "ConfigurationError",
    "ConflictError",
    "Integration",
    "ManualClock",
    "NotAcceptableError",
    "NotFoundError",
    "Notification",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimiter",
    "RateLimits",
    "RetryPolicy",
    "ServerError",
    "SystemClock",
    "Tag",
    "Tracker",
    "TransportError",
    "UnprocessableEntityError",
    "UnsafeURLError",
    "User",
    "Window",
    "WindowStatus",
    "__version__",
]
