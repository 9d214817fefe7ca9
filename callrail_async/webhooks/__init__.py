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

from ._errors import InvalidSignatureError, StaleWebhookError, WebhookError
from ._events import (
    EVENT_TYPES as EVENT_TYPES,
)
from ._events import (
    CallEvent,
    CallModifiedEvent,
    CallRoutingCompleteEvent,
    ConvertAssistEvent,
    EventKind,
    FormSubmissionEvent,
    OutboundCallModifiedEvent,
    OutboundPostCallEvent,
    PostCallEvent,
    PreCallEvent,
    TextReceivedEvent,
    TextSentEvent,
    WebhookEvent,
)
from ._parse import delivery_time, parse_event
from ._parse import infer_kind as infer_kind
from ._receive import MAX_BODY as MAX_BODY
from ._receive import read_body as read_body
from ._receive import verify_and_parse, webhook_handler
from ._signature import sign, verify_signature

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
    "delivery_time",
    "parse_event",
    "sign",
    "verify_and_parse",
    "verify_signature",
    "webhook_handler",
]
