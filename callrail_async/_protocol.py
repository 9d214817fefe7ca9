"""Pure functions of the CallRail wire protocol: no I/O, no event loop.

URLs, auth headers, query encoding, ``next_page`` rebasing, error bodies, ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import math
import re
from collections.abc import Iterable, Mapping
from typing import Literal

import msgspec
from yarl import URL

from .errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotAcceptableError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnprocessableEntityError,
    UnsafeURLError,
)

DIRECT_BASE_URL = "https://api.callrail.com/v3/"
MATON_BASE_URL = "https://api.maton.ai/callrail/v3/"
CALLRAIL_API_HOST = "api.callrail.com"
REQUEST_FROM = "callrail_async"
SNIPPET_LIMIT = 500

AuthMode = Literal["direct", "maton"]
QueryValue = str | int | float | bool | dt.date | Iterable[str | int] | None
Query = list[tuple[str, str]]


def auth_headers(mode: AuthMode, key: str, connection_id: str | None = None) -> dict[str, str]:
    """Headers that authenticate a request: CallRail's token, or Maton's bearer + connection."""
    if mode == "direct":
        return {"Authorization": f'Token token="{key}"'}
    headers = {"Authorization": f"Bearer {key}"}
    if connection_id:
        headers["Maton-Connection"] = connection_id
    return headers


def is_loopback(host: str | None) -> bool:
    """True for ``localhost`` and addresses in 127.0.0.0/8 or ``::1``."""
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalize_base_url(base_url: str | URL, *, allow_insecure_http: bool = False) -> URL:
    """Validate a base URL and give it a trailing slash (so relative paths join under it)."""
    url = URL(str(base_url))
    if url.user is not None or url.password is not None:
        # Never shown (a password), and aiohttp cannot send it beside our Authorization.
        raise ValueError("base_url must not carry credentials (user:password@)")
    if url.scheme not in ("https", "http") or not url.host:
        raise ValueError(f"base_url must be an absolute http(s) URL, got {str(url)!r}")
    if url.scheme == "http" and not (allow_insecure_http or is_loopback(url.host)):
        raise ValueError(
            f"base_url {str(url)!r} uses plain http to a non-loopback host; "
            "use https, or pass allow_insecure_http=True"
        )
    if url.query_string or url.fragment:
        raise ValueError(f"base_url must not carry a query or fragment, got {str(url)!r}")
    if not url.path.endswith("/"):
        url = url.with_path(url.path + "/")
    return url


def _format_scalar(value: str | int | float | bool | dt.date) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def encode_query(params: Mapping[str, QueryValue]) -> Query:
    """Encode parameters as CallRail (Rails) expects: arrays as ``key[]=a&key[]=b``,
    booleans as ``true``/``false``, dates in ISO-8601; ``None`` is left out."""
    query: Query = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, (str, int, float, bool, dt.date)):
            query.append((key, _format_scalar(value)))
        else:
            query.extend((f"{key}[]", _format_scalar(item)) for item in value)
    return query


def rebase_next_page(next_page: str, base_url: URL) -> URL:
    """Map CallRail's absolute ``next_page`` link onto the configured base URL.

    CallRail links to ``https://api.callrail.com/v3/...`` even when the request went through
    the Maton gateway or a sandbox. A link on that host, or on the configured host (same
    scheme and port), has its path after ``/v3/`` and its query moved onto ``base_url``.
    Any other host, scheme or port raises :class:`UnsafeURLError`, so credentials are never
    sent elsewhere.
    """
    shown = without_query(next_page)
    try:
        link: URL | None = URL(next_page)
    except (ValueError, TypeError):
        link = None
    if link is None:  # raised outside `except`: yarl's error would chain the full link
        raise UnsafeURLError(f"next_page is not a URL: {shown!r}", next_page)
    if not link.is_absolute():
        raise UnsafeURLError(f"next_page is not an absolute URL: {shown!r}", next_page)
    same_as_base = (link.scheme, link.host, link.port) == (
        base_url.scheme,
        base_url.host,
        base_url.port,
    )
    is_callrail = link.scheme == "https" and link.host == CALLRAIL_API_HOST and link.port == 443
    if not (same_as_base or is_callrail):
        raise UnsafeURLError(
            f"refusing to follow next_page to {link.scheme}://{link.host}:{link.port}: "
            f"only {base_url.scheme}://{base_url.host}:{base_url.port} "
            f"or https://{CALLRAIL_API_HOST} are allowed",
            next_page,
        )
    path = link.raw_path
    marker = path.find("/v3/")
    if marker < 0:
        raise UnsafeURLError(f"next_page has no /v3/ path: {shown!r}", next_page)
    rest = path[marker + len("/v3/") :]
    if ".." in rest.split("/"):
        raise UnsafeURLError(f"next_page path escapes /v3/: {shown!r}", next_page)
    query = f"?{link.raw_query_string}" if link.raw_query_string else ""
    return URL(str(base_url) + rest + query, encoded=True)


def without_query(url: str, limit: int = 200) -> str:
    """A URL as text for messages: no query (it may carry search terms, names, an access
    key), no fragment, at most ``limit`` characters."""
    text = url.split("?", 1)[0].split("#", 1)[0]
    return text if len(text) <= limit else text[:limit] + "…"


def body_snippet(body: bytes, limit: int = SNIPPET_LIMIT) -> str:
    """A bounded, printable prefix of a response body for error messages."""
    text = body[: limit * 4].decode("utf-8", errors="replace")
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


class _ErrorBody(msgspec.Struct):
    error: object = None
    errors: object = None
    message: object = None


_error_body_decoder = msgspec.json.Decoder(_ErrorBody)
_ERROR_DEPTH = 8  # nesting levels of ``errors`` shown in a message
_ERROR_ITEMS = 50  # entries per level shown


def _flatten_errors(value: object, depth: int = 0) -> str:
    if isinstance(value, str):
        return value
    if depth >= _ERROR_DEPTH:
        return "…"
    if isinstance(value, list):
        return "; ".join(_flatten_errors(item, depth + 1) for item in value[:_ERROR_ITEMS])
    if isinstance(value, dict):
        items = list(value.items())[:_ERROR_ITEMS]
        return "; ".join(f"{key} {_flatten_errors(item, depth + 1)}" for key, item in items)
    if isinstance(value, int) and abs(value) >= 10**50:
        return "(a number too large to show)"
    return str(value)


def error_message(body: bytes, limit: int = SNIPPET_LIMIT) -> str:
    """CallRail's error text from an error body, whichever shape it has.

    ``{"error": "..."}`` (documented), ``{"errors": ...}`` or ``{"message": ...}``;
    otherwise (plain text, an HTML page from a proxy, empty) a bounded snippet of the body.
    """
    if not body.strip():
        return "(empty body)"
    try:
        parsed = _error_body_decoder.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return body_snippet(body, limit)
    for value in (parsed.error, parsed.errors, parsed.message):
        if value not in (None, "", [], {}):
            text = _flatten_errors(value)
            return text if len(text) <= limit else text[:limit] + "…"
    return body_snippet(body, limit)


_STATUS_ERRORS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    406: NotAcceptableError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class(status: int) -> type[APIError]:
    """The exception class for an HTTP error status."""
    if status >= 500:
        return ServerError
    return _STATUS_ERRORS.get(status, APIError)


_DELTA_SECONDS = re.compile(r"\d{1,15}(?:\.\d{1,9})?")
_HUGE_WAIT = 1e15  # seconds; any policy's maximum is far below, so clamping gives the maximum


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date.

    Returns ``None`` when absent or unusable (``inf``, ``nan``, ``1e309``, negative numbers,
    text); otherwise a finite number >= 0 (a date in the past gives 0). A wait too long to
    represent (more than 15 digits, a date in the year 9999) gives 1e15 seconds: the caller
    clamps it to its policy's maximum.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if _DELTA_SECONDS.fullmatch(value):
        return float(value)
    if value.isdigit():
        return _HUGE_WAIT
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = when.timestamp() - now
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if not math.isfinite(seconds):
        return None
    return min(max(0.0, seconds), _HUGE_WAIT)
