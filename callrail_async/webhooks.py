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
from collections.abc import Awaitable, Callable
from typing import Any, Literal

import msgspec
from aiohttp import web

from .clock import Clock, SystemClock
from .errors import CallRailError
from .models import FormSubmission
from .models._types import FlexBool, FlexInt, Id, Model, Timestamp

__all__ = [
    "CallEvent",
    "CallModifiedEvent",
    "CallRoutingCompleteEvent",
    "ConvertAssistEvent",
    "EventKind",
    "FormSubmissionEvent",
    "OutboundCallModifiedEvent",
    "OutboundPostCallEvent",
    "PostCallEvent",
    "PreCallEvent",
    "TextReceivedEvent",
    "TextSentEvent",
    "WebhookError",
    "WebhookEvent",
    "parse_event",
    "sign",
    "verify_signature",
    "webhook_handler",
]

logger = logging.getLogger("callrail_async.webhooks")
MAX_BODY = 1024 * 1024


class WebhookError(CallRailError):
    """A webhook body that is not the event it claims to be."""


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


class CallEvent(Model):
    """A call webhook: the call's fields, flattened, with CallRail's legacy keys.

    Numbers and booleans arrive as strings in webhooks (``"13"``, ``"false"``) and empty
    values as ``""``: they decode to ``int``/``bool``/``None``.
    """

    id: Id | None = None
    resource_id: str | None = None
    company_id: Id | None = None
    company_resource_id: str | None = None
    company_name: str | None = None
    company_time_zone: str | None = None
    tracker_id: Id | None = None
    tracker_resource_id: str | None = None
    person_resource_id: str | None = None
    answered: FlexBool | None = None
    voicemail: FlexBool | None = None
    first_call: FlexBool | None = None
    spam: FlexBool | None = None
    duration: FlexInt | None = None
    recording_duration: FlexInt | None = None
    prior_calls: FlexInt | None = None
    total_calls: FlexInt | None = None
    direction: str | None = None
    call_type: str | None = None
    type: str | None = None
    customer_name: str | None = None
    customer_phone_number: str | None = None
    customer_city: str | None = None
    customer_state: str | None = None
    customer_country: str | None = None
    tracking_phone_number: str | None = None
    business_phone_number: str | None = None
    start_time: Timestamp | None = None
    created_at: Timestamp | None = None
    timestamp: Timestamp | None = None
    datetime: Timestamp | None = None
    lead_status: str | None = None
    note: str | None = None
    value: str | int | float | None = None
    tags: list[Any] | None = None
    recording: str | None = None
    recording_player: str | None = None
    transcription: str | None = None
    source: str | None = None
    source_name: str | None = None
    medium: str | None = None
    keywords: str | None = None
    campaign: str | None = None
    landing_page_url: str | None = None
    referring_url: str | None = None
    agent_email: str | None = None
    callsource: str | None = None
    trackingnum: str | None = None
    callernum: str | None = None
    speaker_percent: Any = None
    keywords_spotted: Any = None
    conversational_transcript: Any = None
    integration_data: Any = None
    milestones: Any = None
    score: Any = None


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
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    timestamp: Timestamp | None = None


class ConvertAssistEvent(Model):
    """Convert Assist complete: the answers collected for a lead."""

    person_resource_id: str | None = None
    last_interaction_resource_id: str | None = None
    last_interaction_type: str | None = None
    answers: list[dict[str, Any]] | None = None
    interaction_count: FlexInt | None = None
    timestamp: Timestamp | None = None


WebhookEvent = CallEvent | TextReceivedEvent | FormSubmissionEvent | ConvertAssistEvent
EventKind = Literal[
    "pre_call", "call_routing_complete", "post_call", "call_modified", "outbound_post_call",
    "outbound_call_modified", "text_received", "text_sent", "form_submission", "convert_assist",
]  # fmt: skip
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
    """Decode a webhook body into its typed event (``WebhookError`` if it is not one)."""
    try:
        if kind is None:
            kind = infer_kind(_peek.decode(body))  # type: ignore[assignment]
        event_type = EVENT_TYPES.get(kind or "")
        if event_type is None:
            raise WebhookError(f"unknown webhook kind {kind!r}; one of {', '.join(EVENT_TYPES)}")
        event: WebhookEvent = msgspec.json.decode(body, type=event_type)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError) as exc:
        raise WebhookError(f"not a CallRail {kind or 'webhook'} body: {exc}") from None
    return event


def _event_time(event: WebhookEvent) -> float | None:
    for name in ("timestamp", "submitted_at", "start_time"):
        moment = getattr(event, name, None)
        if moment is not None:
            return float(moment.timestamp())
    return None


def webhook_handler(
    *,
    signing_key: str,
    on_event: Callable[[WebhookEvent], Awaitable[None]],
    kind: EventKind | None = None,
    tolerance: float | None = 3600.0,
    clock: Clock | None = None,
) -> Callable[[web.Request], Awaitable[web.Response]]:
    """An ``aiohttp.web`` handler that verifies, parses and hands each event to ``on_event``.

    Answers 401 to a missing or wrong ``Signature`` (before parsing) and to an event whose
    timestamp is more than ``tolerance`` seconds from now (a replay; ``None`` disables the
    check; CallRail can send post-call webhooks up to 20 minutes after the call), 400 to a
    body that is not the event, 413 to a body over 1 MiB, 500 if ``on_event`` fails.
    """
    if not signing_key:
        raise ValueError("signing_key is required: unsigned webhooks would be an open door")
    now = (clock or SystemClock()).time

    async def handle(request: web.Request) -> web.Response:
        if request.content_length is not None and request.content_length > MAX_BODY:
            return web.json_response({"error": "body too large"}, status=413)
        body = await request.read()
        if not verify_signature(body, request.headers.get("Signature", ""), signing_key):
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            event = parse_event(body, kind)
        except WebhookError as exc:
            return web.json_response({"error": str(exc)[:300]}, status=400)
        moment = _event_time(event)
        if tolerance is not None and moment is not None and abs(now() - moment) > tolerance:
            return web.json_response({"error": "stale timestamp"}, status=401)
        try:
            await on_event(event)
        except Exception:
            logger.exception("webhook callback failed for a %s event", type(event).__name__)
            return web.json_response({"error": "callback failed"}, status=500)
        return web.json_response({"ok": True})

    return handle
