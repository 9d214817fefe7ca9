"""The typed webhook events, one class per kind CallRail sends."""

from __future__ import annotations

from typing import Any, Literal

from ..models import Call, ConvertAssistAnswer, FormSubmission
from ..models._types import FlexBool, FlexInt, Id, Model, Timestamp


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
