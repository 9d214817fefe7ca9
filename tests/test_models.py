"""Every documented example decodes into our structs; lenient fields convert."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec
import pytest

from callrail_async.models import (
    Account,
    BulkUpdateResult,
    Call,
    CallSummary,
    CallTimeseries,
    Company,
    Recording,
    Tag,
    Tracker,
    User,
)
from callrail_async.pagination import envelope_decoder

from .conftest import FIXTURES

SINGLE: dict[str, type[Any]] = {
    "account_get.json": Account,
    "call_get.json": Call,
    "call_get_fields.json": Call,
    "call_field_selection.json": Call,
    "call_update.json": Call,
    "call_outbound_create.json": Call,
    "call_recording.json": Recording,
    "call_recording_hipaa.json": Recording,
    "calls_summary_grouped.json": CallSummary,
    "calls_timeseries.json": CallTimeseries,
    "calls_timeseries_hourly.json": CallTimeseries,
    "companies_bulk_update.json": BulkUpdateResult,
    "company_create.json": Company,
    "company_get.json": Company,
    "company_update.json": Company,
    "tag_create.json": Tag,
    "tag_update.json": Tag,
    "tracker_create_session.json": Tracker,
    "tracker_create_source.json": Tracker,
    "tracker_get.json": Tracker,
    "tracker_update_session.json": Tracker,
    "tracker_update_source.json": Tracker,
    "user_create.json": User,
    "user_get.json": User,
    "user_update.json": User,
}
LISTS: dict[str, tuple[type[Any], str]] = {
    "accounts_list.json": (Account, "accounts"),
    "calls_list.json": (Call, "calls"),
    "companies_list.json": (Company, "companies"),
    "companies_filtered.json": (Company, "companies"),
    "tags_list.json": (Tag, "tags"),
    "trackers_list.json": (Tracker, "trackers"),
    "users_list.json": (User, "users"),
    "users_sorted.json": (User, "users"),
}


def test_every_fixture_is_covered() -> None:
    names = {p.name for p in FIXTURES.glob("*.json")}
    known = set(SINGLE) | set(LISTS) | {"calls_relative_page.json", "pagination_offset_meta.json"}
    assert names - known == set()


@pytest.mark.parametrize(("name", "model"), sorted(SINGLE.items()))
def test_single_object_fixtures_decode(name: str, model: type[Any]) -> None:
    obj = msgspec.json.decode((FIXTURES / name).read_bytes(), type=model)
    assert isinstance(obj, model)


@pytest.mark.parametrize(("name", "spec"), sorted(LISTS.items()))
def test_list_fixtures_decode_without_dropping_items(
    name: str, spec: tuple[type[Any], str]
) -> None:
    model, key = spec
    raw = msgspec.json.decode((FIXTURES / name).read_bytes())
    page = envelope_decoder(model, key)((FIXTURES / name).read_bytes())
    # The docs reuse ids inside one list: every item must survive, duplicates included.
    assert len(page.items) == len(raw[key])
    assert page.total_records == raw["total_records"]
    assert all(isinstance(item, model) for item in page.items)


def test_calls_list_types() -> None:
    page = envelope_decoder(Call, "calls")((FIXTURES / "calls_list.json").read_bytes())
    first, second = page.items
    assert first.recording_duration == 27  # "27" on the wire
    assert second.recording_duration is None
    assert first.start_time == dt.datetime(
        2017, 1, 24, 11, 27, 48, 119000, tzinfo=dt.timezone(dt.timedelta(hours=-5))
    )
    assert page.total_records == 9 and len(page.items) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-10T00:45:19.781-08:00", dt.datetime(2026, 2, 10, 8, 45, 19, 781000, dt.UTC)),
        ("2026-02-10 03:43:50 -0500", dt.datetime(2026, 2, 10, 8, 43, 50, tzinfo=dt.UTC)),
        ("2016-06-06T07:06:01.000Z", dt.datetime(2016, 6, 6, 7, 6, 1, tzinfo=dt.UTC)),
        ("2011-07-05T19:06:10Z", dt.datetime(2011, 7, 5, 19, 6, 10, tzinfo=dt.UTC)),
        ("2016-10-10T00:00:00-0000", dt.datetime(2016, 10, 10, tzinfo=dt.UTC)),
        ("2018-02-19 18:41:00", dt.datetime(2018, 2, 19, 18, 41, tzinfo=dt.UTC)),
    ],
)
def test_both_timestamp_formats_decode_to_aware_datetimes(text: str, expected: dt.datetime) -> None:
    call = msgspec.json.decode(
        msgspec.json.encode({"id": "CAL1", "start_time": text, "created_at": text}), type=Call
    )
    assert call.start_time is not None and call.start_time.tzinfo is not None
    assert call.start_time == expected
    assert call.created_at == expected


def test_account_ruby_timestamp() -> None:
    account = msgspec.json.decode(
        b'{"id": "ACC1", "name": "A", "created_at": "2026-02-10 03:43:50 -0500"}', type=Account
    )
    assert account.created_at == dt.datetime(
        2026, 2, 10, 3, 43, 50, tzinfo=dt.timezone(dt.timedelta(hours=-5))
    )


def test_unknown_fields_are_ignored() -> None:
    call = msgspec.json.decode(
        b'{"id": "CAL1", "brand_new_field": {"x": 1}, "duration": 3}', type=Call
    )
    assert call.duration == 3


def test_loose_webhook_style_values() -> None:
    call = msgspec.json.decode(
        b'{"id": 123, "duration": "13", "answered": "false", "voicemail": "true",'
        b' "first_call": "", "start_time": ""}',
        type=Call,
    )
    assert call.id == 123
    assert call.duration == 13
    assert call.answered is False
    assert call.voicemail is True
    assert call.first_call is None
    assert call.start_time is None


def test_bad_timestamp_is_a_validation_error() -> None:
    with pytest.raises(msgspec.ValidationError, match="timestamp"):
        msgspec.json.decode(b'{"id": "CAL1", "start_time": "not a time"}', type=Call)


def test_fixture_directory_exists() -> None:
    assert isinstance(FIXTURES, Path) and (FIXTURES / "README.md").exists()
