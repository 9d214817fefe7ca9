"""``verify_and_parse``: the framework-neutral check, on CallRail's published signed sample."""

from __future__ import annotations

import json

import pytest

from callrail_async.webhooks import (
    InvalidSignatureError,
    PostCallEvent,
    StaleWebhookError,
    TextReceivedEvent,
    WebhookError,
    sign,
    verify_and_parse,
)

from .conftest import FIXTURES

KEY = "072e77e426f92738a72fe23c4d1953b4"
SIGNATURE = "UZAHbUdfm3GqL7qzilGozGzWV64="
BODY = (FIXTURES / "webhooks" / "post_call_signed.json").read_bytes()


@pytest.mark.parametrize("name", ["Signature", "signature", "SIGNATURE"])
def test_published_sample_verifies_with_any_header_case(name: str) -> None:
    event = verify_and_parse(BODY, {name: SIGNATURE}, KEY, kind="post_call")
    assert isinstance(event, PostCallEvent)
    # A post-call event of a call that started long ago is not stale: its times are the call's.
    assert verify_and_parse(BODY, {name: SIGNATURE}, KEY, kind="post_call", now=4e9)


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (BODY, {}),
        (BODY, {"Signature": ""}),
        (BODY + b" ", {"Signature": SIGNATURE}),
        (b"not json at all", {"Signature": SIGNATURE}),
        (BODY, {"Signature": "not base64 !"}),
    ],
)
def test_the_signature_is_checked_before_anything_is_parsed(
    body: bytes, headers: dict[str, str]
) -> None:
    with pytest.raises(InvalidSignatureError) as caught:
        verify_and_parse(body, headers, KEY)
    assert caught.value.status == 401


def test_a_signed_body_that_is_not_an_event_is_a_400() -> None:
    body = b'{"hello": "world"}'
    with pytest.raises(WebhookError) as caught:
        verify_and_parse(body, {"Signature": sign(body, KEY)}, KEY, kind="post_call")
    assert caught.value.status == 400 and not isinstance(caught.value, InvalidSignatureError)


def test_text_events_are_checked_for_freshness() -> None:
    sent_at = "2026-11-27T10:00:00.000-05:00"
    body = json.dumps(
        {"id": "SMS1", "resource_id": "SMS1", "content": "hi", "timestamp": sent_at}
    ).encode()
    headers = {"Signature": sign(body, KEY)}
    moment = 1795791600.0  # 2026-11-27T15:00:00Z, the same instant
    event = verify_and_parse(body, headers, KEY, kind="text_received", now=moment + 60)
    assert isinstance(event, TextReceivedEvent)
    with pytest.raises(StaleWebhookError) as caught:
        verify_and_parse(body, headers, KEY, kind="text_received", now=moment + 7200)
    assert caught.value.status == 401
    assert verify_and_parse(body, headers, KEY, kind="text_received", tolerance=None)


def test_an_empty_signing_key_is_refused_up_front() -> None:
    with pytest.raises(ValueError, match="signing_key"):
        verify_and_parse(BODY, {"Signature": SIGNATURE}, "")
