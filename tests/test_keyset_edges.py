"""Attacks on the default call listing (date windows walked by start time): crowded
seconds on page boundaries, calls hidden or inserted during the walk, tiny spans."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from aiohttp import web

from callrail_async import PaginationError
from callrail_async.testing import LiveTraffic, Sandbox

from .test_pagination import hostile, keyset_handler, loopback

BASE = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


def at(second: int, count: int, first: int) -> list[tuple[str, dt.datetime]]:
    """``count`` calls within one second (distinct milliseconds), ids from ``first``."""
    moment = BASE + dt.timedelta(seconds=second)
    return [(f"CAL{first + n:032x}", moment + dt.timedelta(milliseconds=n)) for n in range(count)]


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


async def test_an_offset_page_repeated_by_inserts_is_an_error_not_the_end() -> None:
    """Offset pages (newest first): calls arriving while page 1 is read push it whole onto
    page 2. The repeat could be a server ignoring paging or a legitimate shift: the
    listing must not end there silently and lose every later page."""
    calls = [{"id": f"CAL{n:032x}", "duration": n} for n in range(10)]
    served: list[int] = []

    def handler(request: web.Request, origin: str) -> dict[str, Any]:
        page = int(request.query.get("page", "1"))
        served.append(page)
        if served == [1]:  # two calls arrive (at the front) once page 1 has been read
            body = calls[:2]
            calls[:0] = [{"id": f"CAL{n:032x}", "duration": n} for n in (100, 101)]
            return {"page": 1, "per_page": 2, "total_pages": 5, "calls": body}
        body = calls[(page - 1) * 2 : page * 2]
        return {"page": page, "per_page": 2, "total_pages": 6, "calls": body}

    async with hostile(handler) as (origin, _), loopback(origin) as client:
        with pytest.raises(PaginationError):
            await client.calls.list(relative=False, per_page=2, concurrency=1).collect()


def shifting_handler(calls: list[tuple[str, dt.datetime]], hide: str, after: int) -> Any:
    """``keyset_handler`` over ``calls`` that hides the call ``hide`` (as spam) once it has
    answered ``after`` requests."""
    served = [0]
    inner = keyset_handler(calls)

    def handler(request: web.Request, origin: str) -> dict[str, Any]:
        served[0] += 1
        if served[0] == after + 1:
            calls[:] = [c for c in calls if c[0] != hide]
        return dict(inner(request, origin))

    return handler


@pytest.mark.parametrize(("concurrency", "after", "victim"), [(1, 3, 20), (4, 3, 20), (1, 4, 150)])
async def test_a_call_hidden_while_a_crowded_second_is_stepped_through(
    concurrency: int, after: int, victim: int
) -> None:
    """Three pages of calls within one second, walked by page number from that second: a
    call of page 1 hidden before page 2 is read shifts page 2 back by one."""
    calls = at(0, 10, 0) + at(5, 250, 10) + at(9, 10, 260)
    expected = in_order(calls)
    hide = expected[victim]
    async with (
        hostile(shifting_handler(calls, hide, after)) as (origin, _),
        loopback(origin) as client,
    ):
        got = await client.calls.list(
            start_date="2026-03-01", end_date="2026-03-01", per_page=100, concurrency=concurrency
        ).collect()
    ids = [c.id for c in got]
    assert len(ids) == len(set(ids))
    assert set(expected) - {hide} <= set(ids)
    assert ids[:10] == expected[:10] and ids[-10:] == expected[-10:]  # seconds in order


@pytest.mark.parametrize(
    "calls",
    [
        [],
        at(0, 1, 0),
        at(0, 100, 0),  # exactly one full page
        at(3, 350, 0),  # every call in one second, several pages of it
        at(0, 99, 0) + at(1, 2, 99),  # the page boundary inside the last second
        at(0, 100, 0) + at(1, 100, 100) + at(2, 100, 200),  # seconds on page boundaries
    ],
    ids=["none", "one", "one-page", "one-second", "boundary-in-second", "aligned"],
)
@pytest.mark.parametrize("concurrency", [1, 3, 16])
async def test_small_and_aligned_spans(
    calls: list[tuple[str, dt.datetime]], concurrency: int
) -> None:
    async with hostile(keyset_handler(calls)) as (origin, _), loopback(origin) as client:
        got = await client.calls.list(
            start_date="2026-03-01", end_date="2026-03-01", per_page=100, concurrency=concurrency
        ).collect()
        raw = (
            await client.calls.list(
                start_date="2026-03-01",
                end_date="2026-03-01",
                per_page=100,
                concurrency=concurrency,
            )
            .raw()
            .collect()
        )
    assert [c.id for c in got] == in_order(calls)
    assert len(raw) == len(calls)


@pytest.mark.parametrize("concurrency", [1, 8])
async def test_the_sandbox_changing_under_the_default_listing(concurrency: int) -> None:
    """Calls hidden (spam) and inserted while the windows are walked: every call visible
    from start to end is listed exactly once; nothing listed that never existed."""
    async with Sandbox(calls=3000, span_days=5, seed=3) as sandbox:
        before = set(sandbox.call_ids())
        sandbox.live = LiveTraffic(inserts_per_request=2, spam_per_request=3, max_spam=60)
        async with sandbox.client() as client:
            today = dt.datetime.fromtimestamp(sandbox.clock.time(), dt.UTC).date()
            got = await client.calls.list(
                start_date=today - dt.timedelta(days=7),
                end_date=today + dt.timedelta(days=1),
                per_page=100,
                concurrency=concurrency,
            ).collect()
        after = set(sandbox.call_ids())
        assert sandbox.live.marked_spam == 60 and sandbox.live.inserted > 0
    ids = [c.id for c in got]
    assert len(ids) == len(set(ids))
    assert before & after <= set(ids) <= before | after
    moments = [c.start_time for c in got]
    assert moments == sorted(moments)  # type: ignore[type-var]


def shuffling_handler(calls: list[tuple[str, dt.datetime]]) -> Any:
    """``keyset_handler`` whose order among calls with the very same start time changes
    from request to request (a database sort on start time alone promises no order)."""
    inner = keyset_handler(calls, ties_by_id=False)
    served = [0]

    def handler(request: web.Request, origin: str) -> dict[str, Any]:
        served[0] += 1
        rng = random.Random(served[0])
        calls.sort(key=lambda c: (c[1], rng.random()))
        return dict(inner(request, origin))

    return handler


@pytest.mark.parametrize("concurrency", [1, 4])
async def test_calls_with_one_start_time_in_any_order_are_not_repeated(concurrency: int) -> None:
    """30 calls at the very same moment across a page boundary: page 1 from their second
    lists them in another order than the page before, seen and unseen mixed."""
    tied = [(f"CAL{900 + n:032x}", BASE + dt.timedelta(seconds=5)) for n in range(30)]
    calls = at(0, 90, 0) + tied + at(8, 150, 100)
    expected = set(in_order(calls))
    async with hostile(shuffling_handler(calls)) as (origin, _), loopback(origin) as client:
        got = await client.calls.list(
            start_date="2026-03-01", end_date="2026-03-01", per_page=100, concurrency=concurrency
        ).collect()
    ids = [c.id for c in got]
    assert len(ids) == len(set(ids)) and set(ids) == expected
    assert [c.start_time for c in got] == sorted(c.start_time for c in got)  # type: ignore[type-var]
