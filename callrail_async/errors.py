"""The exception tree: every error the SDK raises is a :class:`CallRailError`.

::

    CallRailError
    ├── ConfigurationError (also ValueError)     the client was configured wrongly
    ├── InvalidArgumentError (also ValueError)   a method argument was refused before sending
    ├── UnsafeURLError                           a URL would leave the configured host
    ├── ClientClosedError (also RuntimeError)    the client was closed
    ├── WrongEventLoopError (also RuntimeError)  the client was used from a second event loop
    ├── RateLimitStoreError                      a shared rate-limit store failed
    ├── PaginationError                          a list's pages lead in a circle
    ├── APIError                                 the server answered with an error status
    │   └── BadRequestError, AuthenticationError, ..., RateLimitError, ServerError
    ├── ResponseDecodeError                      a response arrived but did not decode
    └── TransportError                           no usable response arrived
        ├── RequestTimeoutError                  a timeout passed (``phase`` says where)
        └── ResponseTooLargeError                the body went over ``max_body_bytes``

No exception's text, attributes or ``__cause__``/``__context__`` chain carries the request's
query string, its headers or the credentials.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict, Unpack

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "CallRailError",
    "ClientClosedError",
    "ConfigurationError",
    "ConflictError",
    "InvalidArgumentError",
    "NotAcceptableError",
    "NotFoundError",
    "PaginationError",
    "PermissionDeniedError",
    "Phase",
    "RateLimitError",
    "RateLimitStoreError",
    "RequestTimeoutError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "ServerError",
    "TransportError",
    "UnprocessableEntityError",
    "UnsafeURLError",
    "WrongEventLoopError",
]

Phase = Literal[
    "rate-limit wait",
    "connection wait",
    "waiting for response",
    "reading body",
    "retry backoff",
    "account discovery",
]
"""What a request was waiting for when a timeout passed."""


class CallRailError(Exception):
    """Base class of every exception raised by callrail_async."""


class ConfigurationError(CallRailError, ValueError):
    """The client was configured wrongly (missing credentials, unsafe base URL, ...)."""


class InvalidArgumentError(CallRailError, ValueError):
    """An argument was refused before any request was sent; the text names the argument."""


class ClientClosedError(CallRailError, RuntimeError):
    """The client (or the client a ``with_connection()`` child shares its session with) was
    closed: it sends nothing more. Create a new client."""


class WrongEventLoopError(CallRailError, RuntimeError):
    """The client was used from an event loop other than the one it first ran in (its HTTP
    session belongs to that loop). Create one client per event loop."""


class RateLimitStoreError(CallRailError):
    """A shared rate-limit store (SQLite, Redis) failed or did not answer in time."""


class UnsafeURLError(CallRailError):
    """A URL (a ``next_page`` link or a redirect) points away from the configured API host.

    The request is refused before it is sent, so credentials never leave the configured host.
    ``url`` is the refused URL without its query (which may carry personal data or a key).
    """

    def __init__(self, message: str, url: str) -> None:
        super().__init__(message)
        self.url = url.split("?", 1)[0].split("#", 1)[0]


class APIErrorContext(TypedDict):
    """The request an :class:`APIError` is about (keyword arguments of its constructor)."""

    status: int
    method: str
    url: str
    body: NotRequired[str]
    retries: NotRequired[int]


class PaginationError(CallRailError):
    """A list's pages lead in a circle: a ``next_page`` link points back to a page already
    read (the first page included). Following it would repeat records without end."""


class APIError(CallRailError):
    """CallRail (or the Maton gateway) answered with an error status.

    Attributes:
        status: the HTTP status code.
        message: the error text taken from the body (``error``, ``errors``, ``message``,
            or a bounded snippet of a non-JSON body).
        method: the HTTP method of the request.
        url: the request URL without its query (it never carries credentials).
        body: a bounded snippet of the response body.
        retries: how many retries were spent before giving up.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        method: str,
        url: str,
        body: str = "",
        retries: int = 0,
    ) -> None:
        self.status = status
        self.message = message
        self.method = method
        self.url = url
        self.body = body
        self.retries = retries
        super().__init__(_describe(f"{status} on {method} {url}: {message}", retries))


class BadRequestError(APIError):
    """400: CallRail rejected the parameters."""


class AuthenticationError(APIError):
    """401: the API key (or Maton key) is missing or invalid."""


class PermissionDeniedError(APIError):
    """403: authenticated, but not allowed to do this."""


class NotFoundError(APIError):
    """404: the resource or endpoint does not exist."""


class NotAcceptableError(APIError):
    """406: parameters were sent in the wrong format."""


class ConflictError(APIError):
    """409: the request conflicts with the resource's current state."""


class UnprocessableEntityError(APIError):
    """422: the request was well-formed but could not be processed."""


class RateLimitError(APIError):
    """429: a CallRail (or Maton) rate limit was exceeded.

    ``retry_after`` is the server's ``Retry-After`` in seconds when it sent a usable one
    (CallRail documents none), clamped to the retry policy's ``max_retry_after``; else ``None``.
    """

    def __init__(
        self, message: str, *, retry_after: float | None = None, **context: Unpack[APIErrorContext]
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, **context)


class ServerError(APIError):
    """5xx: the server failed."""


class ResponseDecodeError(CallRailError):
    """A response arrived but its body could not be decoded into the expected type:
    malformed or truncated JSON, a shape the model does not accept (schema drift), numbers
    out of range, nesting too deep.

    Attributes:
        status: the HTTP status of the response.
        method, url: the request (without query, no credentials).
        body: empty: a 2xx body is records, which carry names and phone numbers, so none of
            it is kept (``log_bodies=True`` logs bodies at DEBUG, for local debugging).
        retries: how many retries were spent before giving up.
    """

    def __init__(
        self, message: str, *, status: int, method: str, url: str, body: str = "", retries: int = 0
    ) -> None:
        self.status = status
        self.method = method
        self.url = url
        self.body = body
        self.retries = retries
        super().__init__(_describe(f"{message} on {method} {url}", retries))


class TransportError(CallRailError):
    """The request did not produce a usable response: a network failure, a malformed HTTP
    response, a timeout, or a body over the size limit.

    Attributes:
        method, url: the request (without query, no credentials).
        retries: how many retries were spent before giving up.
    """

    def __init__(self, message: str, *, method: str, url: str, retries: int = 0) -> None:
        self.method = method
        self.url = url
        self.retries = retries
        super().__init__(_describe(f"{message} on {method} {url}", retries))


class RequestTimeoutError(TransportError):
    """A timeout passed: the per-attempt ``timeout`` (retried like a network failure) or the
    call's ``total_timeout`` (never retried). ``phase`` says what the request was waiting
    for; ``timeout`` is the limit in seconds that passed; ``total`` tells which one it was.
    """

    def __init__(
        self,
        *,
        phase: Phase,
        timeout: float,
        total: bool,
        method: str,
        url: str,
        retries: int = 0,
    ) -> None:
        self.phase: Phase = phase
        self.timeout = timeout
        self.total = total
        which = "total_timeout" if total else "timeout"
        message = f"{which} of {timeout:g}s passed during {phase}"
        super().__init__(message, method=method, url=url, retries=retries)


class ResponseTooLargeError(TransportError):
    """The response body, as decoded (after gzip/deflate/brotli), went over ``limit`` bytes;
    reading stopped there and the connection was dropped."""

    def __init__(
        self,
        *,
        limit: int,
        method: str,
        url: str,
        retries: int = 0,
        option: str = "max_body_bytes",
    ) -> None:
        self.limit = limit
        message = f"response body over {option} ({limit} bytes)"
        super().__init__(message, method=method, url=url, retries=retries)


def _describe(text: str, retries: int) -> str:
    return f"{text} (after {retries} retries)" if retries else text
