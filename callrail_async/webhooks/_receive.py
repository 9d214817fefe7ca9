"""Receiving webhooks: the framework-free :func:`verify_and_parse` and the aiohttp handler."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from ..clock import Clock, SystemClock
from ..errors import ConfigurationError
from ._errors import InvalidSignatureError, StaleWebhookError, WebhookError
from ._events import EventKind, WebhookEvent
from ._parse import delivery_time, parse_event
from ._signature import verify_signature

logger = logging.getLogger("callrail_async.webhooks")
MAX_BODY = 1024 * 1024


async def read_body(request: web.Request, limit: int) -> bytes | None:
    """The request body, or ``None`` once it grows past ``limit`` bytes: counted on the
    (decoded) stream as it is read, whatever ``Content-Length`` or the app's
    ``client_max_size`` say."""
    if request.content_length is not None and request.content_length > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def verify_and_parse(
    body: bytes,
    headers: Mapping[str, str],
    signing_key: str,
    *,
    kind: EventKind | None = None,
    tolerance: float | None = 3600.0,
    now: float | None = None,
) -> WebhookEvent:
    """Check a webhook's signature, parse it, and check its freshness: for any framework.

    ``body`` is the raw request body (read it with a size limit of your own); ``headers``
    any mapping of header names (in any case) to values. Raises
    :class:`InvalidSignatureError` before parsing anything, :class:`WebhookError` for a
    body that is not the event, :class:`StaleWebhookError` for a text or Convert Assist
    event whose ``timestamp`` is more than ``tolerance`` seconds from ``now`` (default: the
    system clock; ``tolerance=None`` turns it off; see :func:`delivery_time`). Each error's
    ``status`` is the HTTP status to answer with.
    """
    _check_options(signing_key, tolerance)
    if not callable(getattr(headers, "items", None)):  # werkzeug's Headers is no Mapping
        raise ConfigurationError(f"headers must be a mapping, got {type(headers).__name__}")
    signature = next((v for k, v in headers.items() if k.lower() == "signature"), "")
    if not verify_signature(body, signature, signing_key):
        raise InvalidSignatureError("invalid signature")
    event = parse_event(body, kind)
    moment = delivery_time(event)
    if tolerance is not None and moment is not None:
        drift = (time.time() if now is None else now) - moment
        if abs(drift) > tolerance:
            raise StaleWebhookError(f"stale timestamp ({round(drift)} s from now)")
    return event


def webhook_handler(
    *,
    signing_key: str,
    on_event: Callable[[WebhookEvent], Awaitable[None]],
    kind: EventKind | None = None,
    tolerance: float | None = 3600.0,
    max_body_bytes: int = MAX_BODY,
    clock: Clock | None = None,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """An ``aiohttp.web`` handler that verifies, parses and hands each event to ``on_event``.

    Answers 413 to a body over ``max_body_bytes`` (1 MiB; enforced while reading), 401 to a
    missing or wrong ``Signature`` (checked before parsing), 400 to a body that is not the
    event, 401 to a text or Convert Assist event whose ``timestamp`` is more than
    ``tolerance`` seconds from now (``None`` disables it; call events carry no delivery
    time and are never refused as stale: see :func:`delivery_time`), 500 if ``on_event``
    fails (logged at ERROR with the exception's type; its message, which may quote the
    event, and traceback at DEBUG). Every refusal is logged at WARNING with its reason,
    never with the body.
    """
    _check_options(signing_key, tolerance)
    if signing_key != signing_key.strip():
        raise ConfigurationError(
            "signing_key has leading or trailing whitespace (a newline from a file?): no "
            "webhook signed by CallRail would verify"
        )
    now = (clock or SystemClock()).time

    async def handle(request: web.Request) -> web.Response:
        try:
            body = await read_body(request, max_body_bytes)
        except (web.RequestPayloadError, ConnectionResetError) as exc:
            # A Content-Encoding that does not decode, or a body cut short of its length.
            request.content.feed_eof()  # nothing more can be read: no lingering drain of it
            cause = exc.__cause__ or exc
            reason = getattr(cause, "message", None) or str(cause) or type(cause).__name__
            refusal = _refuse(request, 400, f"unreadable body: {reason}"[:300])
            refusal.force_close()  # and the connection's stream is out of step: close it
            return refusal
        if body is None:
            return _refuse(request, 413, f"body over {max_body_bytes} bytes")
        try:
            event = verify_and_parse(
                body, request.headers, signing_key, kind=kind, tolerance=tolerance, now=now()
            )
        except WebhookError as exc:
            return _refuse(request, exc.status, str(exc)[:300])
        try:
            await on_event(event)
        except Exception as exc:
            # The callback's own message often quotes the event (names, numbers): the
            # traceback goes to DEBUG only.
            name, error = type(event).__name__, type(exc).__name__
            logger.error("webhook callback failed for a %s event: %s", name, error)
            logger.debug("webhook callback failure for a %s event", name, exc_info=True)
            return web.json_response({"error": "callback failed"}, status=500)
        return web.json_response({"ok": True})

    return handle


def _refuse(request: web.Request, status: int, reason: str) -> web.Response:
    # The path only: CallRail repeats call attributes (names, numbers) in the query string.
    logger.warning("webhook refused with %d at %s: %s", status, request.path, reason)
    return web.json_response({"error": reason}, status=status)


def _check_options(signing_key: object, tolerance: object) -> None:
    """A signing key as text (the one CallRail shows), and a tolerance in seconds or None."""
    if not signing_key:
        raise ConfigurationError("signing_key is required: unsigned webhooks would be an open door")
    if not isinstance(signing_key, str):
        raise ConfigurationError(
            f"signing_key must be text (str), got {type(signing_key).__name__}"
        )
    if tolerance is not None and (
        isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0
    ):
        raise ConfigurationError("tolerance must be seconds >= 0, or None")
