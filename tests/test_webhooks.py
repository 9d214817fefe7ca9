"""Webhooks: CallRail's published signature vector, tampering, staleness, every event kind."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from callrail_async import ManualClock
from callrail_async.models import Call
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
    assert event.value == "" and event.tags == []  # text stays text; "" is None elsewhere


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


async def test_call_events_are_never_refused_as_stale(
    receiver: tuple[str, list[WebhookEvent], ManualClock],
) -> None:
    # A call's timestamp is its start: a Call Modified event for a call tagged a day later,
    # or the post-call event of a 65-minute call, is genuine and must be accepted.
    url, received, clock = receiver
    clock.advance(26 * 3600)
    modified = json.dumps({**CALL, "changes": ["tags"], "tags": ["Hot"]}).encode()
    assert await _post(url, modified, sign(modified, VECTOR_KEY)) == 200
    assert await _post(url, VECTOR_BODY, VECTOR_SIGNATURE) == 200
    form = json.dumps({"id": 123456789, "company_id": 987654321, "form_data": {"a": "b"},
                       "submitted_at": "2018-02-19T13:41:00.000-05:00"}).encode()  # fmt: skip
    assert await _post(url, form, sign(form, VECTOR_KEY)) == 200
    assert [type(e) for e in received] == [CallModifiedEvent, PostCallEvent, FormSubmissionEvent]


TEXT = {"id": 879204976, "resource_id": "SCI0c14896tw1b64fb970ab62aaf4fbefd9",
        "source_number": "770-555-5555", "destination_number": "770-123-4567",
        "content": "CallRail is the best! ", "message_type": "sms", "media_urls": [],
        "timestamp": "2018-02-19T13:45:00.000-05:00", "lead_status": None,
        "conversation_id": "crpLH"}  # fmt: skip


async def test_text_events_older_than_tolerance_are_refused_and_logged(
    receiver: tuple[str, list[WebhookEvent], ManualClock], caplog: pytest.LogCaptureFixture
) -> None:
    url, received, clock = receiver
    body = json.dumps(TEXT).encode()
    assert await _post(url, body, sign(body, VECTOR_KEY)) == 200  # 5 minutes old
    clock.advance(2 * 3600)  # the text's own send time is now two hours old: a replay
    with caplog.at_level(logging.WARNING, logger="callrail_async.webhooks"):
        assert await _post(url, body, sign(body, VECTOR_KEY)) == 401
    assert len(received) == 1
    [record] = caplog.records
    assert record.levelno == logging.WARNING and "stale timestamp" in record.getMessage()
    assert "CallRail is the best" not in record.getMessage()


@pytest.mark.parametrize(
    ("body", "signature", "status", "reason"),
    [
        (VECTOR_BODY, "bad", 401, "invalid signature"),
        (b'{"duration": {"x": 1}}', sign(b'{"duration": {"x": 1}}', VECTOR_KEY), 400, "id"),
    ],
)
async def test_every_refusal_is_logged_without_personal_data(
    receiver: tuple[str, list[WebhookEvent], ManualClock],
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    signature: str,
    status: int,
    reason: str,
) -> None:
    url, _, _ = receiver
    with caplog.at_level(logging.WARNING, logger="callrail_async.webhooks"):
        assert await _post(url + "?callername=Kaylah+Mills", body, signature) == status
    [record] = caplog.records
    message = record.getMessage()
    assert record.levelno == logging.WARNING and reason in message and str(status) in message
    assert "Kaylah" not in message and "2148654559" not in message


def test_call_events_keep_every_call_field_and_the_legacy_keys() -> None:
    event = parse_event(VECTOR_BODY)
    assert isinstance(event, PostCallEvent) and isinstance(event, Call)
    assert (event.utm_source, event.utm_medium, event.utm_campaign) == (
        "google", "cpc", "Google AdWords"
    )  # fmt: skip
    assert event.formatted_tracking_source == "Google Paid"
    assert event.formatted_duration == "13s" and event.formatted_value == "--"
    assert event.good_lead_call_id == 715587840
    assert event.good_lead_call_time == "2016-06-17T10:23:33.363-04:00"
    assert event.call_highlights == [] and event.gclid == "" and event.ga == ""
    assert event.device_type == "" and event.last_requested_url == ""
    assert event.referrer_domain == "" and event.custom == ""
    assert event.conversational_transcript is None and event.keywords_spotted is None  # ""
    assert event.integration_data == [{"integration": "Webhooks", "data": None}]
    legacy = {"callercity": "Rochester", "callercountry": "US", "callername": "Kaylah Mills",
              "callernum": "+12148654559", "callerstate": "PA", "callsource": "google_paid",
              "destinationnum": "", "ip": "", "kissmetrics_id": "", "landingpage": "",
              "referrer": "", "referrermedium": "", "score": 1, "tag": "",
              "trackingnum": "+14045558514"}  # fmt: skip
    assert {key: getattr(event, key) for key in legacy} == legacy
    # Every key of CallRail's signed sample lands in a field: nothing is dropped.
    assert set(CALL) <= set(PostCallEvent.__struct_fields__)


def test_a_field_of_unexpected_shape_loses_the_field_not_the_event(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = json.dumps({**CALL, "milestones": "soon", "waveforms": {"x": 1}}).encode()
    with caplog.at_level(logging.WARNING, logger="callrail_async.webhooks"):
        event = parse_event(body, "post_call")
    assert isinstance(event, PostCallEvent) and event.id == 766970532
    assert event.milestones is None and event.waveforms is None
    message = caplog.records[0].getMessage()
    assert "milestones" in message and "waveforms" in message and "soon" not in message


async def _chunked() -> AsyncIterator[bytes]:  # no Content-Length to check up front
    for _ in range(64):
        yield b" " * (64 * 1024)


@pytest.mark.parametrize(
    ("data", "headers"),
    [
        (_chunked, {}),
        (lambda: gzip.compress(b" " * 4 * 1024 * 1024), {"Content-Encoding": "gzip"}),  # 4 KiB
    ],
    ids=["chunked", "gzip"],
)
async def test_the_handler_limits_the_body_it_reads_whatever_the_app_allows(
    caplog: pytest.LogCaptureFixture, data: Any, headers: dict[str, str]
) -> None:
    received: list[WebhookEvent] = []

    async def on_event(event: WebhookEvent) -> None:
        received.append(event)

    app = web.Application(client_max_size=64 * 1024 * 1024)  # the app would take 64 MiB
    handler = webhook_handler(signing_key=VECTOR_KEY, on_event=on_event, max_body_bytes=64 * 1024)
    app.router.add_post("/hooks", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hooks"
    statuses: list[int] = []
    try:
        async with aiohttp.ClientSession() as session:
            with caplog.at_level(logging.WARNING, logger="callrail_async.webhooks"):
                try:
                    async with session.post(url, data=data(), headers=headers) as response:
                        statuses.append(response.status)
                except aiohttp.ClientError:
                    pass  # the server may answer and close before the client finishes sending
            async with session.post(
                url, data=VECTOR_BODY, headers={"Signature": VECTOR_SIGNATURE}
            ) as response:
                assert response.status == 200  # under the limit: accepted
    finally:
        await runner.cleanup()
    assert statuses in ([], [413]) and len(received) == 1
    [refusal] = caplog.records
    assert "413" in refusal.getMessage() and "65536 bytes" in refusal.getMessage()


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
