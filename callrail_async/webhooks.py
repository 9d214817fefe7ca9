"""CallRail webhooks: signature verification, typed events, and an aiohttp handler.

CallRail signs each webhook with the company's signing key: the ``Signature`` header is the
Base64 of HMAC-SHA1 over the raw request body. Verify before parsing, then decode into the
event type of the endpoint you configured (or let :func:`parse_event` infer it)::

    from aiohttp import web
    from callrail_async.webhooks import PostCallEvent, webhook_handler

    async def on_event(event):
        if isinstance(event, PostCallEvent):
            print(event.resource_id, event.duration)

    app = web.Application()
    app.router.add_post("/callrail", webhook_handler(signing_key=KEY, on_event=on_event))
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import re
import time
import typing
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Literal

import msgspec
from aiohttp import web

from .clock import Clock, SystemClock
from .errors import CallRailError
from .models import Call, ConvertAssistAnswer, FormSubmission
from .models._decode import repair
from .models._types import FlexBool, FlexInt, Id, Model, Timestamp

__all__ = [
    "CallEvent",
    "CallModifiedEvent",
    "CallRoutingCompleteEvent",
    "ConvertAssistEvent",
    "EventKind",
    "FormSubmissionEvent",
    "InvalidSignatureError",
    "OutboundCallModifiedEvent",
    "OutboundPostCallEvent",
    "PostCallEvent",
    "PreCallEvent",
    "StaleWebhookError",
    "TextReceivedEvent",
    "TextSentEvent",
    "WebhookError",
    "WebhookEvent",
    "parse_event",
    "sign",
    "verify_and_parse",
    "verify_signature",
    "webhook_handler",
]

logger = logging.getLogger("callrail_async.webhooks")
MAX_BODY = 1024 * 1024


class WebhookError(CallRailError):
    """A webhook to refuse; ``status`` is the HTTP status to answer it with.

    This class itself means a body that is not the event it claims to be (400).
    """

    status = 400


class InvalidSignatureError(WebhookError):
    """The ``Signature`` header is missing or is not CallRail's for this body (401)."""

    status = 401


class StaleWebhookError(WebhookError):
    """An event whose own delivery time is further from now than the tolerance (401)."""

    status = 401


def sign(body: bytes, signing_key: str) -> str:
    """The ``Signature`` CallRail sends for ``body``: Base64 of HMAC-SHA1 with the key."""
    digest = hmac.new(signing_key.encode(), body, hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def verify_signature(body: bytes, signature: str, signing_key: str) -> bool:
    """Whether ``signature`` is CallRail's for these exact bytes (constant-time compare)."""
    if not signature or not signing_key:
        return False
    try:
        given = base64.b64decode(signature.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return False
    expected = hmac.new(signing_key.encode(), body, hashlib.sha1).digest()
    return hmac.compare_digest(expected, given)


class CallEvent(Call):
    """A call webhook: every field of :class:`~callrail_async.models.Call` (CallRail sends
    "the call object as specified in Retrieving a Single Call"), plus the masked ids and the
    legacy keys its webhooks add.

    Numbers and booleans arrive as strings in webhooks (``"13"``, ``"false"``) and empty
    values as ``""``: they decode to ``int``/``bool``/``None``.
    """

    id: Id | None = None  # type: ignore[assignment]  # webhooks may leave it out
    resource_id: str | None = None
    company_resource_id: str | None = None
    tracker_resource_id: str | None = None
    person_resource_id: str | None = None
    type: str | None = None
    spam: FlexBool | None = None
    detail_tags: list[Any] | None = None
    recording_redirect: str | None = None
    timestamp: Timestamp | None = None
    # Legacy keys (CallRail's pre-v3 webhook names).
    callercity: str | None = None
    callercountry: str | None = None
    callername: str | None = None
    callernum: str | None = None
    callerstate: str | None = None
    callsource: str | None = None
    datetime: Timestamp | None = None
    destinationnum: str | None = None
    ip: str | None = None
    kissmetrics_id: str | None = None
    landingpage: str | None = None
    referrer: str | None = None
    referrermedium: str | None = None
    score: Any = None
    tag: Any = None
    trackingnum: str | None = None


class PreCallEvent(CallEvent):
    """``pre_call_webhook``: a call was received, before it connects."""


class CallRoutingCompleteEvent(CallEvent):
    """``answered_call_webhook``: the call was routed to its destination."""


class PostCallEvent(CallEvent):
    """``post_call_webhook``: after hang-up, with recording, transcript and summary."""


class CallModifiedEvent(CallEvent):
    """``updated_call_webhook``: a finished call changed; ``changes`` names what."""

    changes: list[str] | None = None


class OutboundPostCallEvent(CallEvent):
    """``post_outbound_call_webhook``: an outbound call ended."""


class OutboundCallModifiedEvent(CallModifiedEvent):
    """``updated_outbound_call_webhook``: a finished outbound call changed."""


class TextReceivedEvent(Model):
    """``sms_received_webhook``: a text message arrived."""

    id: Id | None = None
    resource_id: str | None = None
    source_number: str | None = None
    destination_number: str | None = None
    content: str | None = None
    message_type: str | None = None
    media_urls: list[str] | None = None
    timestamp: Timestamp | None = None
    lead_status: str | None = None
    conversation_id: str | None = None
    company_resource_id: str | None = None
    person_resource_id: str | None = None


class TextSentEvent(TextReceivedEvent):
    """``sms_sent_webhook``: a text message was sent (by ``agent``)."""

    agent: str | None = None


class FormSubmissionEvent(FormSubmission):
    """``form_captured_webhook``: a form was submitted (the API's fields, plus these)."""

    id: Id | None = None  # type: ignore[assignment]  # webhooks may leave it out
    timestamp: Timestamp | None = None


class ConvertAssistEvent(Model):
    """Convert Assist complete: the answers collected for a lead."""

    person_resource_id: str | None = None
    last_interaction_resource_id: str | None = None
    last_interaction_type: str | None = None
    answers: list[ConvertAssistAnswer] | None = None
    interaction_count: FlexInt | None = None
    timestamp: Timestamp | None = None


WebhookEvent = CallEvent | TextReceivedEvent | FormSubmissionEvent | ConvertAssistEvent
EventKind = Literal[
    "pre_call",
    "call_routing_complete",
    "post_call",
    "call_modified",
    "outbound_post_call",
    "outbound_call_modified",
    "text_received",
    "text_sent",
    "form_submission",
    "convert_assist",
]
EVENT_TYPES: dict[str, type[Any]] = {
    "pre_call": PreCallEvent,
    "call_routing_complete": CallRoutingCompleteEvent,
    "post_call": PostCallEvent,
    "call_modified": CallModifiedEvent,
    "outbound_post_call": OutboundPostCallEvent,
    "outbound_call_modified": OutboundCallModifiedEvent,
    "text_received": TextReceivedEvent,
    "text_sent": TextSentEvent,
    "form_submission": FormSubmissionEvent,
    "convert_assist": ConvertAssistEvent,
}
_peek = msgspec.json.Decoder(dict[str, Any])


def infer_kind(payload: dict[str, Any]) -> str:
    """The event kind a payload's shape implies (pre-call and routing-complete bodies look
    like post-call ones: pass ``kind`` for those endpoints)."""
    if "answers" in payload:
        return "convert_assist"
    if "form_data" in payload:
        return "form_submission"
    if "content" in payload and ("source_number" in payload or "message_type" in payload):
        return "text_sent" if payload.get("agent") else "text_received"
    outbound = payload.get("direction") == "outbound" or "outbound" in str(payload.get("type"))
    if "changes" in payload:
        return "outbound_call_modified" if outbound else "call_modified"
    return "outbound_post_call" if outbound else "post_call"


def parse_event(body: bytes, kind: EventKind | None = None) -> WebhookEvent:
    """Decode a webhook body into its typed event (``WebhookError`` if it is not one).

    Lenient, because CallRail does not resend a refused webhook: ``""`` is ``None`` for
    fields that are not text, and a field whose value has an unexpected shape is dropped
    (logged at WARNING by name, never by value) rather than losing the whole event.
    """
    try:
        payload = _peek.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError) as exc:
        raise WebhookError(f"not a CallRail webhook body (a JSON object): {exc}") from None
    name = kind or infer_kind(payload)
    event_type = EVENT_TYPES.get(name)
    if event_type is None:
        raise WebhookError(f"unknown webhook kind {name!r}; one of {', '.join(EVENT_TYPES)}")
    if not any(payload.get(key) not in (None, "") for key in _IDENTITY[name]):
        raise WebhookError(f"not a CallRail {name} body: none of {', '.join(_IDENTITY[name])}")
    event: WebhookEvent = _lenient_convert(payload, event_type, name)
    return event


# The keys of which a genuine event of each kind carries at least one.
_CALL_IDENTITY = ("id", "resource_id")
_IDENTITY: dict[str, tuple[str, ...]] = {
    **{name: _CALL_IDENTITY for name in EVENT_TYPES},
    "text_received": ("id", "resource_id"),
    "text_sent": ("id", "resource_id"),
    "form_submission": ("id", "form_data"),
    "convert_assist": ("person_resource_id", "answers"),
}
_FAILED_KEY = re.compile(r"at `\$\.([A-Za-z0-9_]+)")


def _lenient_convert(payload: dict[str, Any], event_type: type[Any], name: str) -> Any:
    for key in _NON_TEXT[name] & payload.keys():
        if payload[key] == "":
            payload[key] = None
    dropped: list[str] = []
    while True:
        try:
            # repair: Ruby and naive timestamps, "yes", numbers as text (it too may refuse)
            event = msgspec.convert(repair(payload, event_type), event_type, strict=False)
        except _CONVERT_ERRORS as exc:
            failed = _failed_key(payload, event_type, exc)
            if failed is None:
                raise WebhookError(f"not a CallRail {name} body: {exc}") from None
            dropped.append(failed)
            del payload[failed]
            continue
        if dropped:
            logger.warning(
                "webhook %s: kept the event without %d field(s) of unexpected shape: %s",
                name,
                len(dropped),
                ", ".join(dropped),
            )
        return event


# What converting a payload can raise: msgspec's refusal, or an error a field's conversion
# after decoding lets through (``int(float("inf"))`` is an OverflowError).
_CONVERT_ERRORS = (msgspec.ValidationError, ArithmeticError, ValueError, TypeError)


def _failed_key(payload: dict[str, Any], event_type: type[Any], exc: Exception) -> str | None:
    """The payload key whose value ``exc`` refused. A value converted after decoding (a
    number, boolean or timestamp sent as text) fails at ``$`` with no key named: found by
    converting the event's keys one at a time (every event field is optional)."""
    found = _FAILED_KEY.search(str(exc))
    if found is not None and found.group(1) in payload:
        return found.group(1)
    for key in payload.keys() & set(event_type.__struct_encode_fields__):
        try:
            msgspec.convert(repair({key: payload[key]}, event_type), event_type, strict=False)
        except _CONVERT_ERRORS:
            return key
    return None


def _non_text_fields(event_type: type[Any]) -> frozenset[str]:
    """Fields whose type has no string form, where CallRail's ``""`` means "no value"."""
    hints = typing.get_type_hints(event_type)
    return frozenset(name for name, hint in hints.items() if not _accepts_text(hint))


def _accepts_text(hint: Any) -> bool:
    if hint is str or hint is Any:
        return True
    return any(_accepts_text(arg) for arg in typing.get_args(hint))


_NON_TEXT = {name: _non_text_fields(event_type) for name, event_type in EVENT_TYPES.items()}


def delivery_time(event: WebhookEvent) -> float | None:
    """When CallRail produced this event, where the payload says so; else ``None``.

    Only text and Convert Assist events carry such a time (``timestamp``: when the text was
    sent or received, when the answers were processed). A call event's ``timestamp`` and
    ``start_time`` are the call's start, which a Call Modified event may follow by days, and
    a form's ``submitted_at`` is not promised to precede delivery closely: those are not
    checked.
    """
    if isinstance(event, TextReceivedEvent | ConvertAssistEvent) and event.timestamp:
        return float(event.timestamp.timestamp())
    return None


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
    if not signing_key:
        raise ValueError("signing_key is required: unsigned webhooks would be an open door")
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
    if not signing_key:
        raise ValueError("signing_key is required: unsigned webhooks would be an open door")
    if signing_key != signing_key.strip():
        raise ValueError(
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
