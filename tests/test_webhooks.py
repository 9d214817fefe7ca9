"""Webhooks: CallRail's published signature vector, tampering, staleness, every event kind."""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import hashlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import msgspec
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


@pytest.mark.parametrize(
    ("key", "value"),
    [("duration", "13 seconds"), ("answered", "maybe"), ("start_time", "Kaylah's call"),
     ("prior_calls", "Kaylah"), ("spam", "Kaylah"), ("duration", "inf"),
     ("total_calls", "-Infinity")],
)  # fmt: skip
async def test_a_lenient_field_of_unexpected_text_loses_the_field_not_the_event(
    receiver: tuple[str, list[WebhookEvent], ManualClock],
    caplog: pytest.LogCaptureFixture,
    key: str,
    value: str,
) -> None:
    # Numbers, booleans and timestamps are converted after decoding: a value CallRail sends
    # in a shape we do not expect must cost that field (logged by name), never the event,
    # and the value (caller data may land anywhere) must not reach the log or the answer.
    url, received, _ = receiver
    body = json.dumps({**CALL, key: value}).encode()
    with caplog.at_level(logging.WARNING, logger="callrail_async.webhooks"):
        assert await _post(url, body, sign(body, VECTOR_KEY)) == 200
    [event] = received
    assert isinstance(event, PostCallEvent) and event.customer_name == "Kaylah Mills"
    assert getattr(event, key) is None and event.id == 766970532
    [record] = caplog.records
    assert key in record.getMessage() and "Kaylah" not in record.getMessage()


async def test_an_undecodable_compressed_body_is_a_logged_400_not_a_server_error(
    receiver: tuple[str, list[WebhookEvent], ManualClock], caplog: pytest.LogCaptureFixture
) -> None:
    # A body whose Content-Encoding does not decode is not an event: refused like any other
    # bad body (400, one WARNING with the reason), not a 500 with a traceback at ERROR.
    url, received, _ = receiver
    headers = {"Content-Encoding": "gzip", "Signature": VECTOR_SIGNATURE}
    with caplog.at_level(logging.WARNING):
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=b"\x1f\x8b\x08 not gzip" * 8, headers=headers) as response,
        ):
            assert response.status == 400
    assert received == []
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "400" in caplog.records[0].getMessage()


async def test_a_body_cut_short_of_its_content_length_is_a_logged_refusal(
    receiver: tuple[str, list[WebhookEvent], ManualClock], caplog: pytest.LogCaptureFixture
) -> None:
    # The sender promises 1000 bytes, sends 8 and hangs up: a WARNING with the reason, not
    # an ERROR traceback from the server.
    url, received, _ = receiver
    port = int(url.split(":")[2].split("/")[0])
    with caplog.at_level(logging.WARNING):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b'POST /hooks HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"id":1}')
        await writer.drain()
        writer.write_eof()
        await asyncio.wait_for(reader.read(), 5)
        writer.close()
        for _ in range(50):  # the handler runs on after the client has gone
            if caplog.records:
                break
            await asyncio.sleep(0.02)
    assert received == []
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "unreadable body" in caplog.records[0].getMessage()


async def test_a_failing_callback_is_a_500_logged_without_the_callers_details(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A receiver's own error message commonly quotes the event ("no contact for Kaylah
    # Mills"): the handler's ERROR record names the failure, the message stays at DEBUG.
    async def on_event(event: WebhookEvent) -> None:
        assert isinstance(event, PostCallEvent)
        raise LookupError(f"no CRM contact for {event.customer_name} {event.callernum}")

    app = web.Application()
    app.router.add_post("/hooks", webhook_handler(signing_key=VECTOR_KEY, on_event=on_event))
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/hooks"
    try:
        with caplog.at_level(logging.DEBUG, logger="callrail_async.webhooks"):
            assert await _post(url, VECTOR_BODY, VECTOR_SIGNATURE) == 500
    finally:
        await runner.cleanup()
    loud = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert [r.levelno for r in loud] == [logging.ERROR]
    assert "LookupError" in loud[0].getMessage() and "PostCallEvent" in loud[0].getMessage()
    for record in loud:
        text = record.getMessage() + (logging.Formatter().formatException(record.exc_info)
                                      if record.exc_info else "")  # fmt: skip
        assert "Kaylah" not in text and "2148654559" not in text
    assert any("Kaylah" in logging.Formatter().format(r) for r in caplog.records)  # at DEBUG


async def test_genuine_events_of_one_call_share_ids_so_only_the_body_tells_replays_apart(
    receiver: tuple[str, list[WebhookEvent], ManualClock],
) -> None:
    # The README's replay advice: the pre-call, post-call and two Call Modified events of
    # one call (the note edited twice) are four genuine deliveries, all accepted. Their ids
    # (and `changes`) repeat, so a replay is recognised only by the exact body.
    url, received, _ = receiver
    bodies = [
        json.dumps({**CALL, "duration": ""}).encode(),
        VECTOR_BODY,
        json.dumps({**CALL, "note": "call back", "changes": ["note"]}).encode(),
        json.dumps({**CALL, "note": "called back", "changes": ["note"]}).encode(),
    ]
    for body in bodies:
        assert await _post(url, body, sign(body, VECTOR_KEY)) == 200
    assert len(received) == 4
    keys = {(e.id, tuple(getattr(e, "changes", None) or ())) for e in received}
    assert len(keys) < 4  # id + changes collide for genuine events...

    def digest(event: WebhookEvent) -> bytes:  # as the README suggests
        return hashlib.sha256(msgspec.json.encode(event)).digest()

    assert len({digest(e) for e in received}) == 4  # ...whole events do not
    assert await _post(url, bodies[3], sign(bodies[3], VECTOR_KEY)) == 200  # a replay
    assert digest(received[4]) == digest(received[3])


@pytest.mark.parametrize("padded", [VECTOR_KEY + "\n", " " + VECTOR_KEY, VECTOR_KEY + "\r\n"])
def test_a_key_with_surrounding_whitespace_is_refused_up_front(padded: str) -> None:
    # A key read from a file or an environment line often keeps its newline; with it every
    # genuine webhook fails the signature check (401), and CallRail disables the
    # integration. Refuse it when the handler is built, not one lost webhook at a time.
    async def ignore(event: WebhookEvent) -> None:
        return None

    with pytest.raises(ValueError, match="whitespace"):
        webhook_handler(signing_key=padded, on_event=ignore)
