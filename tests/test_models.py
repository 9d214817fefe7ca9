"""Every documented example decodes into our structs; lenient fields convert."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec
import pytest
from msgspec import inspect as mi

from callrail_async.models import (
    DECODE_STATS,
    Account,
    BulkUpdateResult,
    Call,
    CallSummary,
    CallTimeseries,
    Company,
    Model,
    Recording,
    Tag,
    Tracker,
    User,
    decoder,
)
from callrail_async.models._decode import lenient_decode
from callrail_async.pagination import envelope_decoder
from callrail_async.testing._data import generate

from . import lenient_reference
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
    obj = decoder(model)((FIXTURES / name).read_bytes())
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
    call = decoder(Call)(
        msgspec.json.encode({"id": "CAL1", "start_time": text, "created_at": text})
    )
    assert call.start_time is not None and call.start_time.tzinfo is not None
    assert call.start_time == expected
    assert call.created_at == expected


def test_account_ruby_timestamp() -> None:
    account = decoder(Account)(
        b'{"id": "ACC1", "name": "A", "created_at": "2026-02-10 03:43:50 -0500"}'
    )
    assert account.created_at == dt.datetime(
        2026, 2, 10, 3, 43, 50, tzinfo=dt.timezone(dt.timedelta(hours=-5))
    )


def test_unknown_fields_are_ignored() -> None:
    call = decoder(Call)(b'{"id": "CAL1", "brand_new_field": {"x": 1}, "duration": 3}')
    assert call.duration == 3


def test_loose_webhook_style_values() -> None:
    call = decoder(Call)(
        b'{"id": 123, "duration": "13", "answered": "false", "voicemail": "true",'
        b' "first_call": "", "start_time": ""}'
    )
    assert call.id == 123
    assert call.duration == 13
    assert call.answered is False
    assert call.voicemail is True
    assert call.first_call is None
    assert call.start_time is None


def test_bad_timestamp_is_a_validation_error() -> None:
    with pytest.raises(msgspec.ValidationError, match=r"datetime - at `\$.start_time`") as caught:
        decoder(Call)(b'{"id": "CAL1", "start_time": "not a time"}')
    assert "not a time" not in str(caught.value)  # where, not what (it may be anything)


def test_fixture_directory_exists() -> None:
    assert isinstance(FIXTURES, Path) and (FIXTURES / "README.md").exists()


# --- today's decoding against the reference (the models as they were before the fast path)

DOCS = Path("/work/shared/fixtures/callrail-docs")
FIXTURE_DIRS = [FIXTURES, *([DOCS] if DOCS.is_dir() else [])]
"""The suite's copy of the documented examples, and the shared originals when present."""


def _model_cases() -> list[tuple[Path, type[Any], str | None]]:
    cases: list[tuple[Path, type[Any], str | None]] = []
    for directory in FIXTURE_DIRS:
        cases += [(directory / name, model, None) for name, model in SINGLE.items()]
        cases += [(directory / name, model, key) for name, (model, key) in LISTS.items()]
    return cases


@pytest.mark.parametrize(
    ("path", "model", "key"), _model_cases(), ids=lambda v: getattr(v, "name", None)
)
def test_every_documented_example_decodes_to_the_same_values_as_before(
    path: Path, model: type[Any], key: str | None
) -> None:
    body = path.read_bytes()
    if key is None:
        reference = lenient_reference.decode(body, model)
        fast, slow = decoder(model)(body), lenient_decode(body, model)
    else:
        reference = lenient_reference.decode(body, dict[str, Any])[key]
        reference = [lenient_reference.decode(msgspec.json.encode(r), model) for r in reference]
        fast = envelope_decoder(model, key)(body).items
        slow = lenient_decode(msgspec.json.encode(msgspec.json.decode(body)[key]), list[model])
    assert lenient_reference.differences(fast, reference) == []
    assert lenient_reference.differences(slow, reference) == []


def _odd_page(calls: int = 60) -> tuple[bytes, int]:
    """A sandbox page with every fourth call in one of CallRail's odd formats."""
    data = generate(calls=calls, now=1_780_000_000.0, span_days=3)
    records = [data.accounts[0].calls.attrs(i) for i in range(calls)]
    oddities: list[dict[str, Any]] = [
        {"start_time": "2026-02-10 03:43:50 -0500"},  # Ruby (account created_at, webhooks)
        {"created_at": "2018-02-19 18:41:00", "answered": "t"},  # naive UTC, "t"
        {"duration": "", "recording_duration": " 27 ", "first_call": "yes", "prior_calls": "3.0"},
        {"start_time": "", "voicemail": 1, "total_calls": "12"},
    ]
    for n in range(0, calls, 4):
        records[n].update(oddities[(n // 4) % len(oddities)])
    page = {"page": 1, "per_page": calls, "total_pages": 1, "total_records": calls}
    return msgspec.json.encode({**page, "calls": records}), len(range(0, calls, 4))


def test_odd_formats_take_the_lenient_path_record_by_record() -> None:
    body, odd = _odd_page()
    DECODE_STATS.reset()
    page = envelope_decoder(Call, "calls")(body)
    stats = (DECODE_STATS.lenient_pages, DECODE_STATS.lenient, DECODE_STATS.fast)
    assert stats == (1, odd, 60 - odd)
    plain = msgspec.json.decode(body)["calls"]
    reference = [lenient_reference.decode(msgspec.json.encode(r), Call) for r in plain]
    assert lenient_reference.differences(page.items, reference) == []
    ruby = page.items[0]
    assert ruby.start_time == dt.datetime(2026, 2, 10, 8, 43, 50, tzinfo=dt.UTC)
    assert page.items[4].created_at == dt.datetime(2018, 2, 19, 18, 41, tzinfo=dt.UTC)
    assert page.items[8].duration is None and page.items[8].recording_duration == 27
    assert page.items[8].prior_calls == 3 and page.items[8].first_call is True
    assert page.items[12].start_time is None and page.items[12].voicemail is True


def test_sandbox_pages_decode_on_the_fast_path() -> None:
    body, _ = _odd_page(calls=40)
    plain = msgspec.json.decode(body)
    regular = [r for n, r in enumerate(plain["calls"]) if n % 4]
    DECODE_STATS.reset()
    envelope_decoder(Call, "calls")(msgspec.json.encode({**plain, "calls": regular}))
    assert (DECODE_STATS.fast, DECODE_STATS.lenient_pages, DECODE_STATS.lenient) == (1, 0, 0)


def _model_classes() -> list[type[Model]]:
    found: set[type[Model]] = set()
    pending: list[type[Model]] = [Model]
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub.__module__.startswith("callrail_async") and sub not in found:
                found.add(sub)
                pending.append(sub)
    return sorted(found, key=lambda c: c.__qualname__)


_DRIFT: dict[type, tuple[Any, Any]] = {
    mi.IntType: ("42", 42),
    mi.FloatType: ("1.5", 1.5),
    mi.BoolType: ("false", False),
    mi.DateTimeType: (
        "2026-02-10 03:43:50 -0500",
        dt.datetime(2026, 2, 10, 8, 43, 50, tzinfo=dt.UTC),
    ),
    mi.StrType: (1234, "1234"),
}


def _drifted(kind: mi.Type) -> tuple[Any, Any] | None:
    if isinstance(kind, mi.UnionType):
        members = [t for t in kind.types if not isinstance(t, mi.NoneType)]
        return _DRIFT.get(type(members[0])) if len(members) == 1 else None
    return _DRIFT.get(type(kind))


def _minimal(kind: mi.Type) -> Any:
    """The smallest JSON value of a type (for required fields without a drifted form)."""
    if isinstance(kind, mi.StructType):
        return {f.encode_name: _minimal(f.type) for f in kind.fields if f.required}
    if isinstance(kind, mi.UnionType):
        return _minimal(kind.types[0])
    return {mi.ListType: [], mi.DictType: {}, mi.StrType: "x"}.get(type(kind))


@pytest.mark.parametrize("model", _model_classes(), ids=lambda c: c.__qualname__)
def test_every_model_tolerates_type_drift(model: type[Model]) -> None:
    """Numbers, booleans and timestamps as strings, text as a number, "" for null."""
    info = mi.type_info(model)
    assert isinstance(info, mi.StructType)
    body: dict[str, Any] = {}
    expected: dict[str, Any] = {}
    blanks: dict[str, Any] = {}
    for field in info.fields:
        drift = _drifted(field.type)
        if drift is not None:
            body[field.encode_name], expected[field.name] = drift
            nullable = isinstance(field.type, mi.UnionType) and any(
                isinstance(t, mi.NoneType) for t in field.type.types
            )
            if nullable and not isinstance(drift[1], str):
                blanks[field.encode_name] = ""
        elif field.required:
            body[field.encode_name] = _minimal(field.type)
    decoded = decoder(model)(msgspec.json.encode(body))
    assert {name: getattr(decoded, name) for name in expected} == expected
    if blanks:
        decoded = decoder(model)(msgspec.json.encode({**body, **blanks}))
        blanked = {f.name for f in info.fields if f.encode_name in blanks}
        assert {name: getattr(decoded, name) for name in blanked} == dict.fromkeys(blanked)


def test_one_mistyped_value_does_not_lose_the_page() -> None:
    companies = [{"id": f"COM{n}", "name": f"C{n}", "swap_ppc_override": False} for n in range(5)]
    companies[2]["swap_ppc_override"] = "true"
    body = msgspec.json.encode({"page": 1, "total_pages": 1, "companies": companies})
    page = envelope_decoder(Company, "companies")(body)
    assert [c.swap_ppc_override for c in page.items] == [False, False, True, False, False]


def test_a_value_no_conversion_fits_is_still_refused() -> None:
    with pytest.raises(msgspec.ValidationError):
        decoder(Call)(b'{"id": "CAL1", "duration": "about a minute"}')
    with pytest.raises(msgspec.ValidationError):
        decoder(Call)(b'{"id": "CAL1", "milestones": "none"}')


def test_webhook_timestamps_in_every_format_are_kept() -> None:
    """Webhooks go through the same repair: a Ruby or naive timestamp is converted, not
    dropped as a field of unexpected shape."""
    from callrail_async.webhooks import PostCallEvent, parse_event

    body = {"id": 766970532, "resource_id": "CAL1", "start_time": "2026-02-10 03:43:50 -0500",
            "created_at": "2018-02-19 18:41:00", "duration": "13", "answered": "f"}  # fmt: skip
    event = parse_event(msgspec.json.encode(body), "post_call")
    assert isinstance(event, PostCallEvent)
    assert event.start_time == dt.datetime(2026, 2, 10, 8, 43, 50, tzinfo=dt.UTC)
    assert event.created_at == dt.datetime(2018, 2, 19, 18, 41, tzinfo=dt.UTC)
    assert event.duration == 13 and event.answered is False


@pytest.mark.parametrize("text", ["1.5", "27.9", "-2.5", "1e3", " 27 ", "27.0", "+5", "1_000"])
def test_numbers_in_strings_decode_as_before(text: str) -> None:
    """A numeric string the models accepted before (``int(float(text))``) is not refused
    now: the lenient path converts it to the same value."""
    body = msgspec.json.encode({"id": "CAL1", "duration": text, "recording_duration": text})
    before = msgspec.json.decode(body, type=lenient_reference.shadow(Call))
    now = decoder(Call)(body)
    assert (now.duration, now.recording_duration) == (before.duration, before.recording_duration)
