"""Attacks on the fidelity guarantees (issue 13): ids, write bodies, values, on the wire."""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import zoneinfo

import pytest

from callrail_async import CallRail, InvalidArgumentError

from .test_fidelity import ACC, ANSWERS, Seen, _path, wire

__all__ = ["wire"]  # the recording client fixture


class KnownCompany(str, enum.Enum):  # noqa: UP042  (the point: not a StrEnum)
    """A user's own table of ids: a str-mixin Enum formats as ``KnownCompany.MAIN``."""

    MAIN = "COM8154748ae6bd4e278a7cddd38a662f4f"


class KnownCall(enum.IntEnum):
    LEGACY = 444941612


async def test_an_id_that_is_a_str_or_int_subclass_is_sent_as_its_value(
    wire: tuple[CallRail, Seen],
) -> None:
    client, seen = wire
    await client.companies.get(KnownCompany.MAIN)
    await client.calls.get(KnownCall.LEGACY)
    await client.calls.list(company_id=KnownCompany.MAIN).collect()
    await client.caller_ids.create(
        company_id=KnownCompany.MAIN, phone_number="+14045551234", name="Desk"
    )
    paths = [_path(url) for _, url, _ in seen]
    assert paths[:2] == [f"companies/{KnownCompany.MAIN.value}.json", "calls/444941612.json"]
    lists = [url for method, url, _ in seen if "company_id" in url.query]
    assert lists and all(url.query["company_id"] == KnownCompany.MAIN.value for url in lists)
    [created] = [body for _, _, body in seen if body is not None]
    assert created["company_id"] == KnownCompany.MAIN.value
    assert ACC in str(seen[0][1])


async def test_legacy_numeric_tracker_ids_in_id_lists_decode_and_go_back(
    wire: tuple[CallRail, Seen], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Webhooks carry numeric tracker ids (tracker_id: 354024023): an id list holding one
    # must not cost the whole trigger, and must go back into the update as it came.
    client, seen = wire
    ids = [354024023, "TRK8154748ae6bd4e278a7cddd38a662f4f"]
    answer = {"id": 77, "company_id": 155920786, "integration_id": 12, "tracker_ids": ids}
    monkeypatch.setitem(ANSWERS, "77.json", answer)
    trigger = await client.integration_triggers.get(77)
    assert trigger.tracker_ids == ids
    await client.integration_triggers.update(trigger.id, tracker_ids=trigger.tracker_ids)
    assert seen[-1][2] == {"tracker_ids": ids}


async def test_the_references_integration_filter_bodies_go_through_as_written(
    wire: tuple[CallRail, Seen],
) -> None:
    # Filters take their own call types: null, first_call, vm, missed_and_vm (the
    # reference's update example sends "vm"); lead_status is documented as an integer.
    client, seen = wire
    await client.integration_triggers.update(34, call_type="vm", min_duration=10)
    await client.integration_triggers.update(34, call_type="missed_and_vm", lead_status=1)
    await client.integration_triggers.create(
        company_id="COM8154748ae6bd4e278a7cddd38a662f4f",
        integration_id=219,
        tracker_ids=["TRK8154748ae6bd4e278a7cddd38a662d5d"],
        call_type=None,
        min_duration=1,
        max_duration=11,
        lead_status=None,
    )
    assert [body for _, _, body in seen] == [
        {"call_type": "vm", "min_duration": 10},
        {"call_type": "missed_and_vm", "lead_status": 1},
        {"company_id": "COM8154748ae6bd4e278a7cddd38a662f4f", "integration_id": 219,
         "tracker_ids": ["TRK8154748ae6bd4e278a7cddd38a662d5d"], "call_type": None,
         "min_duration": 1, "max_duration": 11, "lead_status": None},
    ]  # fmt: skip
    with pytest.raises(ValueError, match="call_type"):
        await client.integration_triggers.update(34, call_type="voicemails")  # a calls filter


async def test_form_submissions_filter_by_specific_dates(wire: tuple[CallRail, Seen]) -> None:
    # The reference's form submission filters point to "Filtering by Date", which takes a
    # date_range or specific start_date/end_date (with time_zone).
    client, seen = wire
    await client.form_submissions.list(
        start_date="2026-01-01", end_date="2026-01-31T18:00", time_zone="America/New_York"
    ).collect()
    query = seen[0][1].query
    assert (query["start_date"], query["end_date"], query["time_zone"]) == (
        "2026-01-01", "2026-01-31T18:00", "America/New_York"
    )  # fmt: skip
    with pytest.raises(ValueError, match="end_date"):
        client.form_submissions.list(start_date="2026-02-01", end_date="2026-01-31")


async def test_a_body_id_keeps_the_form_it_was_given(wire: tuple[CallRail, Seen]) -> None:
    # The README's id rule for bodies: an int goes as a JSON number (CallRail's examples),
    # a string, digits included, as a string: never re-typed behind the caller's back.
    client, seen = wire
    await client.caller_ids.create(company_id=213472384, phone_number="+14045551234", name="A")
    await client.caller_ids.create(company_id="213472384", phone_number="+14045551234", name="B")
    assert [body["company_id"] for _, _, body in seen] == [213472384, "213472384"]


async def test_an_aware_start_and_a_naive_end_are_compared_in_time_zone(
    wire: tuple[CallRail, Seen],
) -> None:
    # 09:00 at +05:00 is 04:00 UTC, before 08:00 in UTC: a valid span, not "end before start".
    client, seen = wire
    start = dt.datetime(2026, 1, 31, 9, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    await client.calls.summary(start_date=start, end_date="2026-01-31T08:00", time_zone="UTC")
    await client.calls.summary(start_date=start, end_date="2026-01-31T08:00", time_zone="user")
    assert [url.query["end_date"] for _, url, _ in seen] == ["2026-01-31T08:00"] * 2
    try:
        zoneinfo.ZoneInfo("UTC")
    except zoneinfo.ZoneInfoNotFoundError:  # no time zone database: nothing is compared
        pytest.skip("no IANA time zone database on this machine")
    with pytest.raises(ValueError, match="before start_date"):  # 03:00 UTC is before 04:00
        await client.calls.summary(start_date=start, end_date="2026-01-31T03:00", time_zone="UTC")


async def test_legacy_numeric_company_and_tracker_ids_in_tags_notifications_and_threads(
    wire: tuple[CallRail, Seen], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Companies had numeric ids until 2025-04-28 (the reference still shows
    # company_id=213472384): a record carrying one must decode, not cost the whole page.
    client, seen = wire
    page = {"page": 1, "per_page": 100, "total_pages": 1, "total_records": 1}
    monkeypatch.setitem(ANSWERS, "tags.json", {**page, "tags": [
        {"id": 1234568, "name": "Lead", "company_id": 213472384}]})  # fmt: skip
    monkeypatch.setitem(ANSWERS, "notifications.json", {**page, "notifications": [
        {"id": 100, "user_id": 223166018, "company_id": 213472384, "tracker_id": 354024023,
         "agent_id": 159539165, "alert_type": "all"}]})  # fmt: skip
    monkeypatch.setitem(ANSWERS, "sms-threads.json", {**page, "sms_threads": [
        {"id": "KkMhr", "company_id": 213472384, "initial_tracker_id": 354024023,
         "current_tracker_id": 354024023}]})  # fmt: skip
    [tag] = await client.tags.list().collect()
    [alert] = await client.notifications.list().collect()
    [thread] = await client.sms_threads.list().collect()
    assert tag.company_id == alert.company_id == thread.company_id == 213472384
    assert (alert.tracker_id, alert.user_id, alert.agent_id) == (354024023, 223166018, 159539165)
    assert thread.initial_tracker_id == thread.current_tracker_id == 354024023
    assert tag.company_id is not None and alert.tracker_id is not None
    await client.calls.list(company_id=tag.company_id, tracker_id=alert.tracker_id).collect()
    assert seen[-1][1].query["tracker_id"] == "354024023"


async def test_every_argument_refusal_is_our_typed_error(wire: tuple[CallRail, Seen]) -> None:
    # Only the SDK's exceptions escape: argument refusals in the resources are
    # InvalidArgumentError (a CallRailError and a ValueError), like the shared checks.
    client, seen = wire
    refusals = [
        lambda: client.integrations.list(),
        lambda: client.integration_triggers.list(),
        lambda: client.calls.summary(min_duration=-1),
        lambda: client.form_submissions.create(company_id="COM1", form_data={}, bogus="x"),
        lambda: client.message_flows.create(
            company_id="COM1", name="n", initial_step_id="MFS9", steps={}
        ),
        lambda: client.notifications.create(call_enabled=True),
        lambda: client.tags.list(tag_level="account", company_id="COM1"),
        lambda: client.tags.create(name="Hot"),
        lambda: client.sms_threads.list(start_date="2026-01-01"),
        lambda: client.sms_threads.get("KkMhr", per_page=101),
    ]
    for refuse in refusals:
        with pytest.raises(InvalidArgumentError):
            result = refuse()
            if inspect.isawaitable(result):
                await result
    assert seen == []
