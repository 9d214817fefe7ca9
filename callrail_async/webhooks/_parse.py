"""Decoding a webhook body into its event: leniently, because CallRail does not resend a
refused webhook."""

from __future__ import annotations

import logging
import re
import typing
from typing import Any

import msgspec

from ..models._decode import repair
from ._errors import WebhookError
from ._events import (
    EVENT_TYPES,
    ConvertAssistEvent,
    EventKind,
    TextReceivedEvent,
    WebhookEvent,
)

logger = logging.getLogger("callrail_async.webhooks")
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
