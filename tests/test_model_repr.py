"""Model and body reprs show what is set, not 85 fields of None, and never a person's data
(names, phone numbers, emails, transcripts, messages, passwords)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import msgspec
import pytest

from callrail_async.models import Call, decoder
from callrail_async.models.bodies import OutboundCallCreate, UserCreate, UserUpdate
from callrail_async.pagination import envelope_decoder
from callrail_async.webhooks import parse_event

from .test_models import FIXTURE_DIRS, LISTS, SINGLE

PERSONAL = re.compile(r"@|\+?\d[\d ()-]{8,}\d")
"""An email address or a phone number, in any of CallRail's formats."""


def test_a_call_repr_shows_only_the_fields_it_has() -> None:
    body = b'{"id": "CAL1", "duration": "27", "answered": "false", "source": null, "tags": []}'
    call = decoder(Call)(body)
    text = repr(call)
    assert text.startswith("Call(") and "id='CAL1'" in text and "duration=27" in text
    assert "answered=False" in text  # a False that was sent is shown
    assert "source" not in text and "customer_name" not in text
    assert len(text) < 120


def _texts(value: object) -> list[str]:
    """Every string inside a decoded JSON value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _records() -> list[tuple[str, msgspec.Struct]]:
    found: list[tuple[str, msgspec.Struct]] = []
    for directory in FIXTURE_DIRS:
        for name, model in SINGLE.items():
            found.append((name, decoder(model)((directory / name).read_bytes())))
        for name, (model, key) in LISTS.items():
            page = envelope_decoder(model, key)((directory / name).read_bytes())
            found += [(name, item) for item in page.items]
    return found


@pytest.mark.parametrize(
    ("name", "record"), _records(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_no_documented_email_or_phone_number_reaches_a_repr(
    name: str, record: msgspec.Struct
) -> None:
    personal = [t for t in _texts(msgspec.to_builtins(record)) if PERSONAL.search(t)]
    shown = repr(record) + str(record) + repr(record.__rich_repr__())
    leaked = [t for t in personal if t in shown and not t.startswith(("CAL", "ACC", "COM"))]
    assert leaked == [], f"{name}: {leaked}"


def test_the_documented_callers_name_and_number_are_hidden_and_the_rest_is_shown() -> None:
    call = decoder(Call)((FIXTURE_DIRS[0] / "call_get.json").read_bytes())
    assert call.customer_name and call.customer_phone_number and call.customer_city
    text = repr(call)
    for private in (call.customer_name, call.customer_phone_number, call.customer_city):
        assert private not in text
    assert f"id={call.id!r}" in text and "direction='inbound'" in text
    assert f"duration={call.duration!r}" in text


def test_request_bodies_hide_passwords_emails_and_numbers() -> None:
    bodies: list[msgspec.Struct] = [
        UserUpdate(current_password="hunter2-secret", email="jane@example.com"),
        UserCreate(first_name="Jane", last_name="Roe", email="jane@example.com", role="admin"),
        OutboundCallCreate(
            caller_id="+15555550100",
            customer_phone_number="+15555550199",
            business_phone_number="+15555550100",
            outbound_greeting_text="Hi Jane, about your loan",
        ),
    ]
    for body in bodies:
        shown = repr(body) + repr(body.__rich_repr__())
        for secret in ("hunter2", "jane@", "Jane", "Roe", "5555550199", "loan"):
            assert secret not in shown, shown
    assert "role='admin'" in repr(bodies[1])
    assert "current_password='…'" in repr(bodies[0])  # what is set is still visible


def test_a_webhook_event_repr_hides_the_caller() -> None:
    payload: dict[str, Any] = json.loads((FIXTURE_DIRS[0] / "call_get.json").read_text())
    event = parse_event(json.dumps({**payload, "resource_id": payload["id"]}).encode())
    text = repr(event)
    assert payload["customer_name"] not in text and payload["customer_phone_number"] not in text


def test_the_fixture_directory_is_the_documented_one() -> None:
    assert any(isinstance(d, Path) and (d / "call_get.json").exists() for d in FIXTURE_DIRS)


def test_a_legacy_kissmetrics_identity_is_hidden() -> None:
    """Kissmetrics identifies a person by their email address or name: an ``_id`` in name only."""
    payload: dict[str, Any] = json.loads((FIXTURE_DIRS[0] / "call_get.json").read_text())
    payload |= {"resource_id": payload["id"], "kissmetrics_id": "jane.roe@example.com"}
    event = parse_event(json.dumps(payload).encode())
    assert event.kissmetrics_id == "jane.roe@example.com"  # type: ignore[union-attr]
    shown = repr(event) + repr(event.__rich_repr__())
    assert "jane.roe" not in shown and "kissmetrics_id='…'" in shown


def test_the_outbound_caller_id_is_a_phone_number_and_hidden() -> None:
    body = OutboundCallCreate(
        caller_id="+15555550100",
        customer_phone_number="+15555550199",
        business_phone_number="+15555550123",
    )
    shown = repr(body) + repr(body.__rich_repr__())
    assert "5555550100" not in shown and "caller_id='…'" in shown


@pytest.mark.parametrize(
    "value", ["jane.roe@example.com", "+1 (555) 555-0199", "555-555-0199", "+15555550199"]
)
def test_an_email_or_phone_number_in_a_shown_field_is_hidden(value: str) -> None:
    """``source``/``medium`` come from the visitor's utm parameters, ids from whoever set them:
    the field's name does not make an email or a phone number in it safe to show."""
    body = json.dumps(
        {
            "id": "CAL1",
            "source": value,
            "medium": value,
            "person_id": value,
            "milestones": {"first_touch": {"source": value, "medium": value}},
        }
    )
    call = decoder(Call)(body.encode())
    shown = repr(call) + repr(call.__rich_repr__()) + repr(call.milestones)
    assert "555" not in shown and "jane" not in shown, shown
    assert "id='CAL1'" in shown and "source='…'" in shown


def test_vocabulary_and_ids_are_still_shown() -> None:
    body = (
        b'{"id": "CAL8154748ae6bd4e278a7cddd38a662f4f", "source": "Google Paid",'
        b' "medium": "cpc", "tracker_id": "5b7d0e1c-1234-4567-8901-234567890123",'
        b' "company_id": 213472384, "person_id": "PERabc123", "company_time_zone":'
        b' "America/New_York", "good_lead_call_id": "766970532"}'
    )
    text = repr(decoder(Call)(body))
    for shown in (
        "'CAL8154748ae6bd4e278a7cddd38a662f4f'",
        "'Google Paid'",
        "'cpc'",
        "'5b7d0e1c-1234-4567-8901-234567890123'",
        "213472384",
        "'PERabc123'",
        "'America/New_York'",
        "'766970532'",
    ):
        assert shown in text, text
