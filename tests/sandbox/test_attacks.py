"""Attacks on the sandbox from a user's side (plain HTTP): each pins a way it misled clients."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import Raw


def moment(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


# "Sorting is always either alphabetical, or reverse chronological (newest first)."
@pytest.mark.parametrize(
    ("collection", "key", "sort"),
    [
        ("leads.json", "leads", "created_at"),
        ("users.json", "users", "created_at"),
        ("form_submissions.json", "form_submissions", "submitted_at"),
    ],
)
async def test_sorting_by_a_date_is_newest_first_unless_asked(
    raw: Raw, collection: str, key: str, sort: str
) -> None:
    status, body = await raw.get(collection, sort=sort, per_page="250")
    assert status == 200
    times = [moment(r[sort]) for r in body[key]]
    assert len(times) > 2 and times == sorted(times, reverse=True)
    status, body = await raw.get(collection, sort=sort, order="asc", per_page="250")
    assert [moment(r[sort]) for r in body[key]] == sorted(times)


# PUT: omitted = unchanged, null/"" clears; but a field CallRail requires cannot be cleared.
@pytest.mark.parametrize(
    ("collection", "field", "blank"),
    [
        ("companies", "name", None),
        ("companies", "name", ""),
        ("users", "email", None),
        ("users", "first_name", ""),
        ("trackers", "name", None),
    ],
)
async def test_an_update_cannot_blank_a_required_field(
    raw: Raw, collection: str, field: str, blank: str | None
) -> None:
    status, body = await raw.get(f"{collection}.json")
    record = body[collection][0]
    url = f"{raw.account}{collection}/{record['id']}.json"
    status, answer, _ = await raw.request("PUT", url, json={field: blank})
    assert status in (400, 422) and "error" in answer
    status, after = await raw.get(f"{collection}/{record['id']}.json")
    assert after[field] == record[field]


async def test_sms_thread_messages_carry_only_the_documented_keys(raw: Raw) -> None:
    """The reference's thread messages have ``message_type`` and no ``type`` or ``user``
    (those belong to text-message conversations): a client reading them must fail here too."""
    _, threads = await raw.get("sms-threads.json")
    _, thread = await raw.get(f"sms-threads/{threads['sms_threads'][0]['id']}.json")
    documented = {"id", "content", "created_at", "status", "direction", "message_type",
                  "media_urls"}  # fmt: skip
    assert thread["messages"] and all(set(m) == documented for m in thread["messages"])
    assert all(m["id"].startswith("SCI") for m in thread["messages"])


@pytest.mark.parametrize(
    ("collection", "key", "stamp"),
    [
        ("text-messages.json", "conversations", "last_message_at"),
        ("sms-threads.json", "sms_threads", "last_message_at"),
        ("form_submissions.json", "form_submissions", "submitted_at"),
    ],
)
async def test_date_filters_apply_to_conversations_threads_and_forms(
    raw: Raw, collection: str, key: str, stamp: str
) -> None:
    fields = {"fields": stamp} if key == "sms_threads" else {}
    _, everything = await raw.get(collection, per_page="250", **fields)
    moments = sorted(moment(r[stamp]) for r in everything[key])
    assert len(moments) >= 2
    newest = moments[-1].astimezone(dt.UTC)
    day = newest.date().isoformat()
    _, one_day = await raw.get(
        collection, start_date=day, end_date=day, time_zone="UTC", per_page="250", **fields
    )
    expected = [m for m in moments if m.astimezone(dt.UTC).date() == newest.date()]
    assert sorted(moment(r[stamp]) for r in one_day[key]) == expected
    before = (moments[0].astimezone(dt.UTC).date() - dt.timedelta(days=1)).isoformat()
    _, none = await raw.get(collection, start_date=before, end_date=before, time_zone="UTC")
    assert none[key] == []
    status, _ = await raw.get(collection, date_range="bogus")
    assert status == 400
    status, _ = await raw.get(collection, start_date="2000-01-01")
    assert status == 400  # beyond the 25-month retention


async def test_sms_threads_need_start_and_end_date_together(raw: Raw) -> None:
    status, body = await raw.get("sms-threads.json", start_date="2026-11-01")
    assert status == 400 and "error" in body
