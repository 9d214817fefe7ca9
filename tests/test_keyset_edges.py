"""Attacks on the default call listing (date windows walked by start time): crowded
seconds on page boundaries, calls hidden or inserted during the walk, tiny spans."""

from __future__ import annotations

import datetime as dt

import pytest

from .test_pagination import hostile, keyset_handler, loopback

BASE = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


def at(second: int, count: int, first: int) -> list[tuple[str, dt.datetime]]:
    """``count`` calls within one second (distinct milliseconds), ids from ``first``."""
    moment = BASE + dt.timedelta(seconds=second)
    return [
        (f"CAL{first + n:032x}", moment + dt.timedelta(milliseconds=n)) for n in range(count)
    ]


def in_order(calls: list[tuple[str, dt.datetime]]) -> list[str]:
    return [i for i, _ in sorted(calls, key=lambda c: (c[1], c[0]))]


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_a_crowded_second_starting_on_a_page_boundary_is_walked(concurrency: int) -> None:
    """A page of calls all in one second that holds more than a page: the next request
    (page 1 from that second) repeats the page legitimately; not a server ignoring paging."""
    calls = at(0, 100, 0) + at(5, 150, 100) + at(9, 50, 250)
    async with hostile(keyset_handler(calls)) as (origin, _), loopback(origin) as client:
        got = await client.calls.list(
            start_date="2026-03-01", end_date="2026-03-01", per_page=100, concurrency=concurrency
        ).collect()
    assert [c.id for c in got] == in_order(calls)
