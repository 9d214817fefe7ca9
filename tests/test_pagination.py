"""Offset and relative pagination, prefetch ordering, limits and the foreign-host guard."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aioresponses import CallbackResult, aioresponses
from yarl import URL

from callrail_async import CallRail, ManualClock, Page, PaginationError, UnsafeURLError

ACC = "ACC8154748ae6bd4e278a7cddd38a662f4f"
BASE = f"https://api.callrail.com/v3/a/{ACC}/"
CALLS = re.compile(rf"{re.escape(BASE)}calls(\.json)?.*")
COMPANIES = re.compile(rf"{re.escape(BASE)}companies\.json.*")


def company(i: int) -> dict[str, Any]:
    return {"id": f"COM{i:032x}", "name": f"Company {i}"}


def offset_server(total: int, *, omit_total_pages: bool = False, delay: float = 0.0) -> Any:
    """An aioresponses callback serving ``total`` companies in offset pages."""
    seen: list[int] = []

    async def callback(url: URL, **kwargs: Any) -> CallbackResult:
        params = dict(kwargs.get("params") or {}) | dict(url.query)
        page = int(params.get("page", 1))
        per_page = int(params.get("per_page", 100))
        seen.append(page)
        if delay:
            await asyncio.sleep(delay * ((page * 7) % 3))  # finish out of order
        items = [company(i) for i in range((page - 1) * per_page, min(total, page * per_page))]
        body: dict[str, Any] = {
            "page": page,
            "per_page": per_page,
            "total_records": total,
            "companies": items,
        }
        if not omit_total_pages:
            body["total_pages"] = max(1, -(-total // per_page))
        return CallbackResult(payload=body)

    callback.seen = seen  # type: ignore[attr-defined]
    return callback


def api(clock: ManualClock, **kwargs: Any) -> CallRail:
    return CallRail(api_key="k", account_id=ACC, clock=clock, **kwargs)


async def test_offset_pagination_over_many_pages_in_order(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    server = offset_server(1234, delay=0.002)
    mock_http.get(COMPANIES, callback=server, repeat=True)
    async with api(clock) as client:
        companies = await client.companies.list(per_page=50, concurrency=5).collect()
    assert [c.name for c in companies] == [f"Company {i}" for i in range(1234)]
    assert sorted(server.seen) == list(range(1, 26))


async def test_offset_pagination_without_total_pages_walks_to_empty_page(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    server = offset_server(250, omit_total_pages=True)
    mock_http.get(COMPANIES, callback=server, repeat=True)
    async with api(clock) as client:
        companies = await client.companies.list(per_page=100).collect()
    assert len(companies) == 250
    assert server.seen == [1, 2, 3, 4]  # page 4 is empty: that is the end


@pytest.mark.parametrize("total", [0, 1, 100, 101])
async def test_offset_edges(mock_http: aioresponses, clock: ManualClock, total: int) -> None:
    server = offset_server(total)
    mock_http.get(COMPANIES, callback=server, repeat=True)
    async with api(clock) as client:
        companies = await client.companies.list(per_page=100).collect()
    assert len(companies) == total
    assert len(server.seen) == max(1, -(-total // 100))


async def test_max_items_limits_fetching(mock_http: aioresponses, clock: ManualClock) -> None:
    server = offset_server(10_000)
    mock_http.get(COMPANIES, callback=server, repeat=True)
    async with api(clock) as client:
        first = await client.companies.list(per_page=100, max_items=150).collect()
        again = await client.companies.list(per_page=100).collect(limit=5)
    assert len(first) == 150 and len(again) == 5
    assert sorted(server.seen) == [1, 1, 2]


async def test_pages_and_await_first_page(mock_http: aioresponses, clock: ManualClock) -> None:
    mock_http.get(COMPANIES, callback=offset_server(30), repeat=True)
    async with api(clock) as client:
        paginator = client.companies.list(per_page=10)
        first = await paginator
        assert isinstance(first, Page) and first.total_pages == 3 and first.total_records == 30
        pages = [page async for page in paginator.pages()]
    assert [p.page for p in pages] == [1, 2, 3]


async def test_nothing_is_fetched_until_iteration(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    mock_http.get(COMPANIES, callback=offset_server(10), repeat=True)
    async with api(clock) as client:
        paginator = client.companies.list()
        assert not mock_http.requests
        await paginator.collect()
    assert mock_http.requests


def relative_server(total: int, link_host: str = "https://api.callrail.com") -> Any:
    """Relative pages as CallRail serves them: absolute next_page without .json."""
    seen: list[str] = []

    def callback(url: URL, **kwargs: Any) -> CallbackResult:
        params = dict(kwargs.get("params") or {}) | dict(url.query)
        seen.append(str(url))
        assert params.get("relative_pagination") == "true"
        per_page = int(params.get("per_page", 100))
        offset = int(params.get("offset", 0))
        start = offset * per_page
        items = [
            {"id": f"CAL{i:032x}", "duration": i}
            for i in range(start, min(total, start + per_page))
        ]
        has_next = start + per_page < total
        body: dict[str, Any] = {"calls": items, "has_next_page": has_next, "per_page": per_page}
        if has_next:
            body["next_page"] = (
                f"{link_host}/v3/a/{ACC}/calls?format=json&offset={offset + 1}"
                f"&per_page={per_page}&relative_pagination=true"
            )
        return CallbackResult(payload=body)

    callback.seen = seen  # type: ignore[attr-defined]
    return callback


async def test_relative_pagination_follows_next_page(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    server = relative_server(523)
    mock_http.get(CALLS, callback=server, repeat=True)
    async with api(clock) as client:
        calls = await client.calls.list(per_page=100, relative=True).collect()
    assert [c.duration for c in calls] == list(range(523))
    assert len(server.seen) == 6
    assert all(u.startswith(BASE) for u in server.seen)
    assert "offset=5" in server.seen[-1]


async def test_relative_next_page_rebased_onto_maton(mock_http: aioresponses) -> None:
    server = relative_server(150)
    maton_calls = re.compile(rf"https://api\.maton\.ai/callrail/v3/a/{ACC}/calls.*")
    mock_http.get(maton_calls, callback=server, repeat=True)
    async with CallRail(maton_api_key="mk", account_id=ACC) as client:
        calls = await client.calls.list(per_page=100, relative=True).collect()
    assert len(calls) == 150
    assert server.seen[1].startswith(f"https://api.maton.ai/callrail/v3/a/{ACC}/calls?")
    sent = [c for calls in mock_http.requests.values() for c in calls]
    assert all(c.kwargs["headers"]["Authorization"] == "Bearer mk" for c in sent)


async def test_foreign_next_page_is_refused_without_a_request(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    server = relative_server(150, link_host="https://attacker.example")
    mock_http.get(CALLS, callback=server, repeat=True)
    foreign = re.compile(r"https://attacker\.example/.*")
    mock_http.get(foreign, payload={"calls": []}, repeat=True)
    async with api(clock) as client:
        paginator = client.calls.list(per_page=100, relative=True)
        with pytest.raises(UnsafeURLError, match=r"attacker\.example"):
            await paginator.collect()
    hosts = {url.host for (_, url) in mock_http.requests}
    assert hosts == {"api.callrail.com"}


async def test_validation_errors_before_any_request(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    async with api(clock) as client:
        bad_calls: list[dict[str, Any]] = [
            {"per_page": 0},
            {"per_page": 251},
            {"date_range": "last_week"},
            {"lead_status": "great"},
            {"order": "desc"},
            {"sort": "start_time", "order": "up"},
            {"company_id": "TRK1"},
            {"company_id": "COM1/../../x"},
            {"fields": ["not a name"]},  # fields are open (issue 13), names must be identifiers
            {"start_date": "2026-02-01", "end_date": "2026-01-01"},
            {"date_range": "today", "start_date": "2026-01-01"},
            {"start_date": "yesterday-ish"},
        ]
        for kwargs in bad_calls:
            with pytest.raises(ValueError):
                client.calls.list(**kwargs)
        with pytest.raises(ValueError, match="tag_level"):
            client.tags.list(tag_level="global")  # type: ignore[arg-type]
        for per_company in (client.integrations, client.integration_triggers, client.caller_ids):
            with pytest.raises(ValueError, match="company_id is required"):
                per_company.list()
        with pytest.raises(ValueError, match="call_id"):
            await client.calls.get("CAL1?x=1")
        with pytest.raises(ValueError, match="call_id"):
            await client.calls.get("")
        with pytest.raises(ValueError, match="call_id"):  # an update's lead_status is open
            await client.calls.update("CAL1/x", lead_status="not_scored")
    assert not mock_http.requests


async def test_cancelling_iteration_cancels_prefetch(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    server = offset_server(5000, delay=0.01)
    mock_http.get(COMPANIES, callback=server, repeat=True)
    async with api(clock) as client:

        async def consume() -> None:
            async for _ in client.companies.list(per_page=10, concurrency=4):
                await asyncio.sleep(0.01)

        task = asyncio.create_task(consume())
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.05)
    pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert pending == []
    assert len(server.seen) < 50


async def test_breaking_out_of_iteration_leaves_no_tasks(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    server = offset_server(5000, delay=0.01)
    mock_http.get(COMPANIES, callback=server, repeat=True)
    async with api(clock) as client:
        paginator = client.companies.list(per_page=10, concurrency=4)
        got = 0
        async for _ in paginator:
            got += 1
            if got == 25:
                break
        await asyncio.sleep(0.05)
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    assert got == 25 and pending == []


# --- hostile servers: pages that lead in circles, servers that ignore paging


@contextlib.asynccontextmanager
async def hostile(handler: Any) -> AsyncIterator[tuple[str, list[str]]]:
    """A tiny CallRail on 127.0.0.1 answering every request with ``handler(request,
    origin)``; yields its origin and the list of paths+queries it was asked for."""
    asked: list[str] = []
    origin = ""

    async def serve(request: web.Request) -> web.Response:
        asked.append(request.path_qs)
        return web.json_response(handler(request, origin))

    app = web.Application()
    app.router.add_get("/{tail:.*}", serve)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    origin = f"http://127.0.0.1:{port}"
    try:
        yield origin, asked
    finally:
        await runner.cleanup()


def loopback(origin: str) -> CallRail:
    return CallRail(api_key="k", account_id=ACC, base_url=f"{origin}/v3/")


def _calls(first: int, count: int = 3) -> list[dict[str, Any]]:
    return [{"id": f"CAL{i:032x}", "duration": i} for i in range(first, first + count)]


@pytest.mark.parametrize(
    "back",
    [
        "format=json&offset=0&per_page=250&relative_pagination=true",
        "api_sort%5B%5D%5Bstart_time%5D=desc&action=index&per_page=250&relative_pagination=true",
    ],
)
async def test_next_page_back_to_the_implicit_first_page_is_refused(back: str) -> None:
    def handler(request: web.Request, origin: str) -> dict[str, Any]:
        link = f"{origin}/v3/a/{ACC}/calls?{back}"
        return {"calls": _calls(0), "has_next_page": True, "next_page": link}

    async with hostile(handler) as (origin, asked), loopback(origin) as client:
        got: list[Any] = []
        with pytest.raises(PaginationError, match="points back to a page already read"):
            async for call in client.calls.list(relative=True):
                got.append(call)
    assert len(got) == 3 and len(asked) == 1


async def test_a_circle_of_next_page_links_is_refused() -> None:
    def handler(request: web.Request, origin: str) -> dict[str, Any]:
        offset = int(request.query.get("offset", "0"))
        following = {0: 1, 1: 2, 2: 1}[offset]  # 0 -> 1 -> 2 -> 1 -> ...
        link = f"{origin}/v3/a/{ACC}/calls?offset={following}&per_page=250&relative_pagination=true"
        return {"calls": _calls(offset * 3), "has_next_page": True, "next_page": link}

    async with hostile(handler) as (origin, asked), loopback(origin) as client:
        got: list[Any] = []
        with pytest.raises(PaginationError):
            async for call in client.calls.list(relative=True):
                got.append(call)
    assert [c.duration for c in got] == list(range(9)) and len(asked) == 3


async def test_a_server_ignoring_offset_raises_at_the_repeat() -> None:
    """New links every time, the same records every time: the repeat raises."""

    def handler(request: web.Request, origin: str) -> dict[str, Any]:
        following = int(request.query.get("offset", "0")) + 1
        link = f"{origin}/v3/a/{ACC}/calls?offset={following}&per_page=250&relative_pagination=true"
        return {"calls": _calls(0), "has_next_page": True, "next_page": link}

    typed: list[Any] = []
    raw: list[Any] = []
    async with hostile(handler) as (origin, asked), loopback(origin) as client:
        for listing, got in ((client.calls.list(relative=True), typed),
                             (client.calls.list(relative=True).raw(), raw)):  # fmt: skip
            with pytest.raises(PaginationError, match="repeated the previous page"):
                async for item in listing:
                    got.append(item)
    assert [c.duration for c in typed] == [0, 1, 2] and len(raw) == 3
    assert len(asked) == 4  # each listing: the first page and its one repeat


@pytest.mark.parametrize("total_pages", [None, 10_000])
async def test_a_server_ignoring_page_numbers_raises_at_the_repeat(total_pages: int | None) -> None:
    def handler(request: web.Request, origin: str) -> dict[str, Any]:
        body: dict[str, Any] = {"page": 1, "per_page": 3, "companies": _calls(0)}
        return body if total_pages is None else {**body, "total_pages": total_pages}

    companies: list[Any] = []
    pages: list[Any] = []
    async with hostile(handler) as (origin, asked), loopback(origin) as client:
        with pytest.raises(PaginationError):
            async for company in client.companies.list(concurrency=4):
                companies.append(company)
        with pytest.raises(PaginationError):
            async for page in client.companies.list(concurrency=4).pages():
                pages.append(page)
    assert len(companies) == 3 and len(pages) == 1
    assert len(asked) <= 2 * (1 + 4)  # the first page and at most one window of prefetch


# --- the default call listing: date windows walked by start time (callrail_async.keyset)


def keyset_handler(
    calls: list[tuple[str, dt.datetime]], *, ignore_paging: bool = False, ties_by_id: bool = True
) -> Any:
    """Calls as CallRail lists them by start time: dates filter (end inclusive to the
    second), ``sort=start_time`` with ``order``, numbered pages; records CallRail's way."""

    def handler(request: web.Request, origin: str) -> dict[str, Any]:
        q = request.query
        per_page, page = int(q.get("per_page", "100")), int(q.get("page", "1"))
        key: Any = (lambda c: (c[1], c[0])) if ties_by_id else (lambda c: c[1])
        chosen = sorted(calls, key=key, reverse=q.get("order") == "desc")
        if "start_date" in q and not ignore_paging:
            # the owner's time zone (here UTC) when none is given; a date-only end: all day
            assert q.get("time_zone", "UTC") == "UTC"
            low = dt.datetime.fromisoformat(q["start_date"]).replace(tzinfo=dt.UTC)
            high = dt.datetime.fromisoformat(q["end_date"]).replace(tzinfo=dt.UTC)
            if len(q["end_date"]) == 10:
                high += dt.timedelta(days=1, seconds=-1)
            chosen = [c for c in chosen if low <= c[1] < high + dt.timedelta(seconds=1)]
        if ignore_paging:
            page = 1
        items = chosen[(page - 1) * per_page : page * per_page]
        return {
            "page": page, "per_page": per_page, "total_records": len(chosen),
            "total_pages": -(-len(chosen) // per_page),
            "calls": [{"id": i, "start_time": t.isoformat()} for i, t in items],
        }  # fmt: skip

    return handler


def crowded_calls(count: int = 1000, crowd: int = 450) -> list[tuple[str, dt.datetime]]:
    """``count`` calls over a day, ``crowd`` of them within one second (more than a page),
    80 more in two adjacent seconds."""
    base = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    moments = [base + dt.timedelta(seconds=86 * n, milliseconds=n % 1000) for n in range(count)]
    busy = base + dt.timedelta(hours=13, microseconds=250_000)
    moments[300 : 300 + crowd] = [busy] * crowd
    # two more crowds in adjacent seconds: pages that span exactly two seconds
    after = base + dt.timedelta(hours=17, microseconds=900_000)
    moments[800:880] = [after] * 40 + [after + dt.timedelta(seconds=1)] * 40
    return [(f"CAL{n:032x}", m) for n, m in enumerate(moments)]


@pytest.mark.parametrize(("concurrency", "per_page"), [(1, 100), (4, 100), (16, 100), (16, 50)])
async def test_default_listing_walks_windows_in_start_time_order(
    concurrency: int, per_page: int
) -> None:
    calls = crowded_calls()
    async with hostile(keyset_handler(calls)) as (origin, asked), loopback(origin) as client:
        listing = client.calls.list(
            start_date="2026-03-01", end_date="2026-03-02", per_page=per_page,
            concurrency=concurrency,
        )  # fmt: skip
        got = await listing.collect()
    expected = sorted(calls, key=lambda c: (c[1], c[0]))
    assert [c.id for c in got] == [i for i, _ in expected]
    assert "windowed" in repr(listing)
    assert len(asked) <= 2 * len(calls) / per_page + 2 * 16  # no page walked twice over


async def test_default_listing_stops_at_max_items_and_on_a_small_span() -> None:
    calls = crowded_calls()
    async with hostile(keyset_handler(calls)) as (origin, _), loopback(origin) as client:
        some = await client.calls.list(per_page=100, max_items=130).collect()
        few = await client.calls.list(per_page=100, date_range="today").collect(limit=3)
    expected = [i for i, _ in sorted(calls, key=lambda c: (c[1], c[0]))]
    assert [c.id for c in some] == expected[:130] and [c.id for c in few] == expected[:3]


async def test_default_listing_refuses_a_server_that_ignores_its_dates() -> None:
    calls = crowded_calls(count=600, crowd=300)
    handler = keyset_handler(calls, ignore_paging=True)
    async with hostile(handler) as (origin, asked), loopback(origin) as client:
        with pytest.raises(PaginationError):
            await client.calls.list(per_page=100, concurrency=2).collect()
    assert len(asked) < 40
