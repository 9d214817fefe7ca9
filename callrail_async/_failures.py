"""Turning what went wrong on the wire into the SDK's exceptions, with nothing secret in them.

Every text built here carries the method, the path without its query, the status and
CallRail's message: never the query string (search terms, names, phone numbers), never a
header. aiohttp's exceptions (whose ``str()`` shows the full URL and whose ``request_info``
holds the request headers, ``Authorization`` included) are described, never chained.
"""

from __future__ import annotations

import asyncio
import re

import aiohttp
from yarl import URL

from . import _protocol
from .errors import (
    APIError,
    APIErrorContext,
    RateLimitError,
    ResponseTooLargeError,
    TransportError,
)

ERROR_BODY_BYTES = 1 << 20
"""At most this much of an error response's body is read (its message is near the start)."""

REASON_LIMIT = 300
# The query of any other URL a failure names (a redirect's Location: a storage URL signed in
# its query): a path, then '?' and what follows up to whitespace or a fragment.
_OTHER_QUERY = re.compile(r"(/[^\s?#]*)\?[^\s#]+")

NETWORK_FAILURES = (
    aiohttp.ClientError,
    asyncio.IncompleteReadError,
    OSError,
    ValueError,  # aiohttp: a header or URL it cannot send
    RuntimeError,  # aiohttp: "Session is closed" when the client closes mid-request
)
"""What a request to aiohttp may raise besides timeouts (and our own errors)."""


class BodyTooLarge(Exception):
    """Raised by :func:`read_body` (internal; becomes :class:`ResponseTooLargeError`)."""


async def read_body(response: aiohttp.ClientResponse, limit: int, *, truncate: bool) -> bytes:
    """The response body as decoded (gzip, deflate, brotli undone), counted as it is read.

    Over ``limit`` bytes: raise :class:`BodyTooLarge`, or with ``truncate`` return the first
    ``limit`` bytes. Either way nothing past the limit is read.
    """
    if not truncate and response.content_length is not None and response.content_length > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_any():
        size += len(chunk)
        if size > limit:
            if not truncate:
                raise BodyTooLarge
            chunks.append(chunk[: len(chunk) - (size - limit)])
            break
        chunks.append(chunk)
    return b"".join(chunks)


def describe(exc: BaseException, url: URL) -> str:
    """``TypeName: message`` of an aiohttp or OS failure, without the URL's query."""
    # A ClientResponseError's str() adds the full URL: take its message alone.
    text = exc.message if isinstance(exc, aiohttp.ClientResponseError) else str(exc)
    text = text.replace(str(url), str(url.with_query(None)))
    for secret in {url.raw_query_string, url.query_string, url.human_repr()}:
        if secret:
            text = text.replace(secret, "…")
    text = _OTHER_QUERY.sub(r"\1?…", text)
    text = " ".join(text.split())
    if len(text) > REASON_LIMIT:
        text = text[:REASON_LIMIT] + "…"
    return f"{type(exc).__name__}: {text}".rstrip(": ")


def network_error(exc: BaseException, url: URL, method: str, retries: int) -> TransportError:
    """A :class:`TransportError` describing an aiohttp/OS failure (not chained to it)."""
    return TransportError(describe(exc, url), method=method, url=_shown(url), retries=retries)


def too_large(
    limit: int, url: URL, method: str, retries: int, option: str = "max_body_bytes"
) -> ResponseTooLargeError:
    """The error for a body over ``max_body_bytes`` (or a download over ``option``)."""
    return ResponseTooLargeError(
        limit=limit, method=method, url=_shown(url), retries=retries, option=option
    )


def api_error(
    status: int, body: bytes, method: str, url: URL, retry_after: float | None, retries: int
) -> APIError:
    """The :class:`APIError` subclass for an error status, with CallRail's message."""
    message = _protocol.error_message(body)
    if 300 <= status < 400:
        message = f"unexpected redirect ({status}); the CallRail API does not redirect"
    cls = _protocol.error_class(status)
    context: APIErrorContext = {
        "status": status,
        "method": method,
        "url": _shown(url),
        "body": _protocol.body_snippet(body),
        "retries": retries,
    }
    if cls is RateLimitError:
        return RateLimitError(message, retry_after=retry_after, **context)
    return cls(message, **context)


def short_reason(failure: Exception) -> str:
    """A few words for the retry log line."""
    if isinstance(failure, APIError):
        return f"HTTP {failure.status}"
    return str(failure.args[0]).split(" on ", 1)[0] if failure.args else type(failure).__name__


def _shown(url: URL) -> str:
    return str(url.with_query(None))
