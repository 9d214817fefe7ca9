"""The exception tree: every error the SDK raises is a :class:`CallRailError`."""

from __future__ import annotations

__all__ = [
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "CallRailError",
    "ConfigurationError",
    "ConflictError",
    "NotAcceptableError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "ServerError",
    "TransportError",
    "UnprocessableEntityError",
    "UnsafeURLError",
]


class CallRailError(Exception):
    """Base class of every exception raised by callrail_async."""


class ConfigurationError(CallRailError, ValueError):
    """The client was configured wrongly (missing credentials, unsafe base URL, ...)."""


class UnsafeURLError(CallRailError):
    """A URL (a ``next_page`` link or a redirect) points away from the configured API host.

    The request is refused before it is sent, so credentials never leave the configured host.
    """

    def __init__(self, message: str, url: str) -> None:
        super().__init__(message)
        self.url = url


class APIError(CallRailError):
    """CallRail (or the Maton gateway) answered with an error status.

    Attributes:
        status: the HTTP status code.
        message: the error text taken from the body (``error``, ``errors``, ``message``,
            or a bounded snippet of a non-JSON body).
        method: the HTTP method of the request.
        url: the request URL (it never carries credentials).
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
        super().__init__(self._describe())

    def _describe(self) -> str:
        text = f"{self.status} on {self.method} {self.url}: {self.message}"
        if self.retries:
            text += f" (after {self.retries} retries)"
        return text


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

    ``retry_after`` is the server's ``Retry-After`` in seconds when it sent one
    (CallRail documents none), else ``None``.
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
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(message, status=status, method=method, url=url, body=body, retries=retries)


class ServerError(APIError):
    """5xx: the server failed."""


class TransportError(CallRailError):
    """The request did not produce a usable response: a network failure, a timeout,
    or a body that could not be decoded.

    Attributes:
        method, url: the request (no credentials).
        retries: how many retries were spent before giving up.
        body: a bounded snippet of the body when it could not be decoded.
    """

    def __init__(
        self, message: str, *, method: str, url: str, retries: int = 0, body: str = ""
    ) -> None:
        self.method = method
        self.url = url
        self.retries = retries
        self.body = body
        text = f"{message} on {method} {url}"
        if retries:
            text += f" (after {retries} retries)"
        super().__init__(text)
