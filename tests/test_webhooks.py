"""Webhooks: CallRail's published signature vector, tampering, staleness, every event kind."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from callrail_async import ManualClock
from callrail_async.webhooks import (
    CallModifiedEvent,
    ConvertAssistEvent,
    FormSubmissionEvent,
    OutboundCallModifiedEvent,
    OutboundPostCallEvent,
    PostCallEvent,
    PreCallEvent,
    TextReceivedEvent,
    TextSentEvent,
    WebhookError,
    WebhookEvent,
    parse_event,
    sign,
    verify_signature,
    webhook_handler,
)

from .conftest import FIXTURES

VECTOR_KEY = "072e77e426f92738a72fe23c4d1953b4"
VECTOR_SIGNATURE = "UZAHbUdfm3GqL7qzilGozGzWV64="
VECTOR_BODY = (FIXTURES / "webhooks" / "post_call_signed.json").read_bytes()


def test_callrails_published_vector() -> None:
    assert sign(VECTOR_BODY, VECTOR_KEY) == VECTOR_SIGNATURE
    assert verify_signature(VECTOR_BODY, VECTOR_SIGNATURE, VECTOR_KEY)


@pytest.mark.parametrize(
    "signature", ["", "bad", "AAAA", VECTOR_SIGNATURE[:-1], "ÜZAH", sign(b"{}", VECTOR_KEY)]
)
def test_wrong_or_malformed_signatures_fail(signature: str) -> None:
    assert not verify_signature(VECTOR_BODY, signature, VECTOR_KEY)


def test_a_tampered_body_fails() -> None:
    tampered = VECTOR_BODY.replace(b'"duration":"13"', b'"duration":"14"')
    assert not verify_signature(tampered, VECTOR_SIGNATURE, VECTOR_KEY)
    assert not verify_signature(VECTOR_BODY + b"\n", VECTOR_SIGNATURE, VECTOR_KEY)
    assert not verify_signature(VECTOR_BODY, VECTOR_SIGNATURE, "another-key")


def test_the_documented_post_call_body_decodes_with_loose_types() -> None:
    event = parse_event(VECTOR_BODY)
    assert isinstance(event, PostCallEvent)
    assert event.duration == 13 and event.recording_duration == 8  # "13" on the wire
    assert event.answered is False and event.voicemail is True
    assert event.id == 766970532 and event.company_id == 155920786
    assert event.start_time == dt.datetime(2018, 2, 19, 18, 41, 0, 236000, tzinfo=dt.UTC)
    assert event.datetime == dt.datetime(2018, 2, 19, 18, 41, tzinfo=dt.UTC)  # legacy, UTC
    assert event.value == "" and event.tags == []


CALL = json.loads(VECTOR_BODY)
BODIES: list[tuple[str | None, dict[str, Any], type]] = [
    (None, {**CALL, "changes": ["tags", "note"], "tags": ["Hot"]}, CallModifiedEvent),
    (None, {**CALL, "direction": "outbound", "type": "outboundpostcall", "answered": "true"},
     OutboundPostCallEvent),
    (None, {**CALL, "direction": "outbound", "changes": ["value"]}, OutboundCallModifiedEvent),
    ("pre_call", {**CALL, "duration": "", "answered": ""}, PreCallEvent),
    (None, {"id": 71, "resource_id": "SCI1", "source_number": "770-555-5555",
            "destination_number": "+14045551234", "content": "Hi", "message_type": "sms",
            "media_urls": [], "timestamp": "2026-01-02T03:04:05.000-05:00",
            "conversation_id": "KZaGR"}, TextReceivedEvent),
    (None, {"id": 72, "resource_id": "SCI2", "source_number": "+14045551234",
            "destination_number": "770-555-5555", "content": "Hello", "message_type": "mms",
            "media_urls": ["https://x/y.png"], "timestamp": "2026-01-02T03:04:05.000-05:00",
            "agent": "Kevin Mann"}, TextSentEvent),
    (None, {"id": 901, "company_id": 155920786, "form_data": {"name": "A", "phone": "404"},
            "form_url": "https://e.com/f", "submitted_at": "2026-01-02T08:04:05.000Z",
            "first_form": "true", "source": "Google Ads"}, FormSubmissionEvent),
    (None, {"person_resource_id": "PER1", "last_interaction_resource_id": "CAL1",
            "last_interaction_type": "Call", "answers": [{"answer_key": "budget",
            "answer_text": "$5k"}], "interaction_count": "3",
            "timestamp": "2026-01-02T03:04:05-05:00"}, ConvertAssistEvent),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "payload", "expected"), BODIES)
def test_every_event_kind_decodes(kind: Any, payload: dict[str, Any], expected: type) -> None:
    event = parse_event(json.dumps(payload).encode(), kind)
    assert type(event) is expected
    if isinstance(event, CallModifiedEvent):
        assert event.changes
    if isinstance(event, FormSubmissionEvent):
        assert event.first_form is True and event.form_data == {"name": "A", "phone": "404"}
    if isinstance(event, ConvertAssistEvent):
        assert event.interaction_count == 3
    if isinstance(event, PreCallEvent):
        assert event.duration is None and event.answered is None  # "" means absent


@pytest.mark.parametrize("body", [b"", b"not json", b"[1,2]", b'{"duration": {"x": 1}}'])
def test_garbage_bodies_are_webhook_errors(body: bytes) -> None:
    with pytest.raises(WebhookError):
        parse_event(body, "post_call")


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[WebhookEvent], ManualClock]]:
    received: list[WebhookEvent] = []
    clock = ManualClock(start=dt.datetime(2018, 2, 19, 18, 50, tzinfo=dt.UTC).timestamp())

    async def on_event(event: WebhookEvent) -> None:
        received.append(event)

    app = web.Application()
    app.router.add_post(
        "/hooks", webhook_handler(signing_key=VECTOR_KEY, on_event=on_event, clock=clock)
    )
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/hooks", received, clock
    await runner.cleanup()


async def _post(url: str, body: bytes, signature: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["signature"] = signature  # CallRail's own tests send it lower-case
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as r,
    ):
        return r.status


async def test_handler_accepts_a_signed_webhook(
    receiver: tuple[str, list[WebhookEvent], ManualClock],
) -> None:
    url, received, _ = receiver
    assert await _post(url, VECTOR_BODY, VECTOR_SIGNATURE) == 200
    assert len(received) == 1 and isinstance(received[0], PostCallEvent)


async def test_handler_rejects_bad_signatures_and_tampering(
    receiver: tuple[str, list[WebhookEvent], ManualClock],
) -> None:
    url, received, _ = receiver
    assert await _post(url, VECTOR_BODY, None) == 401
    assert await _post(url, VECTOR_BODY, "bad") == 401
    assert await _post(url, VECTOR_BODY.replace(b"Kaylah", b"Mallory"), VECTOR_SIGNATURE) == 401
    assert received == []


async def test_handler_rejects_stale_timestamps(
    receiver: tuple[str, list[WebhookEvent], ManualClock],
) -> None:
    url, received, clock = receiver
    clock.advance(2 * 3600)  # two hours after the call: a replay
    assert await _post(url, VECTOR_BODY, VECTOR_SIGNATURE) == 401
    assert received == []


async def test_handler_rejects_signed_garbage(
    receiver: tuple[str, list[WebhookEvent], ManualClock],
) -> None:
    url, received, _ = receiver
    body = b'{"duration": {"not": "a number"}}'
    assert await _post(url, body, sign(body, VECTOR_KEY)) == 400
    assert received == []


def test_handler_needs_a_key() -> None:
    async def ignore(event: WebhookEvent) -> None:
        return None

    with pytest.raises(ValueError, match="signing_key"):
        webhook_handler(signing_key="", on_event=ignore)
