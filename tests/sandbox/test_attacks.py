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
