"""Calls by start time in parallel date windows, each walked by keyset (a page strategy).

CallRail pages calls by offset (pages shift when a call is inserted or hidden meanwhile)
or by ``next_page`` links (one request at a time). This strategy reads a listing's span
from two requests, oldest and newest call first, cuts it into date windows holding about
the same number of calls (the first call of every ``k``-th page, in one round of
concurrent requests), and walks each window oldest first by *keyset*: every request
starts at the second of the last call seen (``start_date`` in UTC), so a call inserted
or hidden meanwhile cannot shift a page and make the walk skip or repeat one (within a
second holding more than a page, stepped by page number, a drop in ``total_records``
makes the walk read that second again). Windows run
concurrently (``concurrency`` at most, each also bounded by the client's rate limiter);
items are yielded in start-time order, oldest first. The export can reuse it: it only
needs a function that fetches one page of a span.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import msgspec

from .errors import PaginationError, ResponseDecodeError
from .models import parse_timestamp
from .pagination import Page

__all__ = [
    "FetchSpan",
    "KeysetWindows",
    "SpanQuery",
    "span_params",
    "start_moment",
    "utc_second",
]

T = TypeVar("T")

SECOND = "%Y-%m-%dT%H:%M:%S"
PAGES_PER_WINDOW = 8
"""Windows are cut to hold at most about this many pages (fewer when ``concurrency``
windows can share the span). At most ``concurrency`` requests are in flight, and windows
start at most ``2 * concurrency`` ahead of the one being yielded, so a consumer slower
than the network holds at most about ``16 * concurrency`` pages."""


@dataclass(frozen=True)
class SpanQuery:
    """Which page to fetch: ``page`` of the caller's own date filters (``start is None``)
    or of the calls whose start second is within ``start..end`` (UTC, inclusive), sorted
    by start time, oldest first unless ``newest_first``."""

    page: int
    start: str | None = None
    end: str | None = None
    newest_first: bool = False
    per_page: int | None = None


FetchSpan = Callable[[SpanQuery], Awaitable[Page[T]]]

_DATES = frozenset({"date_range", "start_date", "end_date", "time_zone"})


def span_params(query: list[tuple[str, str]], span: SpanQuery) -> list[tuple[str, str]]:
    """The query of one request: the caller's filters (their dates replaced by the span's
    UTC seconds when it has some), sorted by start time, and the page wanted."""
    replaced = {"sort", "order", "page"} | ({"per_page"} if span.per_page else set())
    if span.start is not None:
        replaced |= _DATES
    params = [(k, v) for k, v in query if k not in replaced]
    if span.start is not None and span.end is not None:
        params += [("start_date", span.start), ("end_date", span.end), ("time_zone", "UTC")]
    if span.per_page:
        params.append(("per_page", str(span.per_page)))
    order = "desc" if span.newest_first else "asc"
    return [*params, ("sort", "start_time"), ("order", order), ("page", str(span.page))]


def start_moment(item: Any) -> dt.datetime | None:
    """When a call (typed or raw JSON) started, aware."""
    if isinstance(item, msgspec.Raw):
        text = _start.decode(item).start_time
        try:
            return parse_timestamp(text) if text else None
        except ValueError as exc:  # the typed listing fails the same way, at its decode
            raise ResponseDecodeError(
                f"a call's start_time is not a timestamp ({exc})",
                status=200,
                method="GET",
                url="calls.json",
            ) from None
    moment: dt.datetime | None = getattr(item, "start_time", None)
    return moment


def utc_second(moment: dt.datetime) -> str:
    """A moment as a UTC second for ``start_date``/``end_date`` with ``time_zone=UTC``."""
    return moment.astimezone(dt.UTC).strftime(SECOND)


def _floor(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def _id(item: Any) -> Any:
    return _start.decode(item).id if isinstance(item, msgspec.Raw) else getattr(item, "id", None)


class _Start(msgspec.Struct):
    id: Any = None
    start_time: str | None = None


_start = msgspec.json.Decoder(_Start)


@dataclass
class _Window:
    """Calls from the ``start`` second up to (not including) ``stop``; requests ask up to
    ``end`` (inclusive, as CallRail reads ``end_date``)."""

    start: dt.datetime
    stop: dt.datetime
    end: dt.datetime
    first: Page[Any] | None = None
    pages: asyncio.Queue[Page[Any] | None] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None


class KeysetWindows(Generic[T]):
    """The page strategy of :mod:`callrail_async.keyset` (see the module docstring)."""

    name = "windowed"

    def __init__(self, fetch: FetchSpan[T], per_page: int) -> None:
        self.fetch = fetch
        self.per_page = per_page

    def first(self) -> Awaitable[Page[T]]:
        return self.fetch(SpanQuery(1))

    async def walk(
        self, budget: int | None, concurrency: int, per_page: int | None, start: int = 1
    ) -> AsyncIterator[Page[T]]:
        oldest = asyncio.ensure_future(self.fetch(SpanQuery(1)))
        newest = asyncio.ensure_future(self.fetch(SpanQuery(1, newest_first=True, per_page=1)))
        try:
            first, last = await asyncio.gather(oldest, newest)
        finally:
            for task in (oldest, newest):
                task.cancel()
        size = first.per_page or self.per_page
        if len(first.items) < size or not last.items:
            yield first  # everything fits on one page
            return
        windows = await self._plan(first, last, budget, concurrency)
        async for page in self._run(windows, concurrency):
            yield page

    async def _plan(
        self, first: Page[T], last: Page[T], budget: int | None, concurrency: int
    ) -> list[_Window]:
        """Windows of about equal numbers of calls, cut at the first call of pages probed
        by number (a shifted probe only makes windows less even, never loses a call)."""
        begin, end = start_moment(first.items[0]), start_moment(last.items[-1])
        if begin is None or end is None:
            raise PaginationError("calls without a start_time cannot be walked by start time")
        begin, end = _floor(begin), _floor(end)
        size = first.per_page or self.per_page
        total = first.total_records or size
        pages = math.ceil(min(total, budget or total) / size)
        count = max(1, min(pages, max(concurrency, math.ceil(pages / PAGES_PER_WINDOW))))
        numbers = sorted({1 + pages * n // count for n in range(1, count)} - {1})
        limit = asyncio.Semaphore(concurrency)

        async def probe(number: int) -> Page[T]:
            async with limit:
                return await self.fetch(SpanQuery(number))

        # A probe's first call opens the next window at the second after it (its own
        # second may continue from the page before); the probe page is that window's first
        # page: its calls from that second on are the window's earliest.
        cuts: list[tuple[dt.datetime, Page[Any] | None]] = [(begin, first)]
        for page in await asyncio.gather(*(probe(n) for n in numbers)):
            moment = start_moment(page.items[0]) if page.items else None
            cut = None if moment is None else _floor(moment) + dt.timedelta(seconds=1)
            if cut is not None and cuts[-1][0] < cut <= end:
                cuts.append((cut, page))
        after = end + dt.timedelta(seconds=1)  # the newest call's whole second, fractions too
        stops = [cut for cut, _ in cuts[1:]] + [after]
        return [
            _Window(start, stop, stop, first=page)
            for (start, page), stop in zip(cuts, stops, strict=True)
        ]

    async def _run(self, windows: list[_Window], concurrency: int) -> AsyncIterator[Page[T]]:
        """Walk windows with ``concurrency`` requests in flight; yield each window's pages
        in turn (a window that finished early frees its requests for later windows)."""
        started = 0
        limit = asyncio.Semaphore(concurrency)
        try:
            for head, window in enumerate(windows):
                while started < len(windows) and started < head + 2 * concurrency:
                    upcoming = windows[started]
                    upcoming.task = asyncio.ensure_future(self._walk(upcoming, limit))
                    started += 1
                while (page := await window.pages.get()) is not None:
                    yield page
                assert window.task is not None
                await window.task  # raises what the walk raised
        finally:
            for window in windows:
                if window.task is not None:
                    window.task.cancel()

    async def _walk(self, window: _Window, limit: asyncio.Semaphore) -> None:
        """One window, oldest first: each request starts at the last call's second."""
        end = utc_second(window.end)
        try:
            cursor, number = window.start, 1
            at_cursor: set[Any] = set()  # calls at the cursor's second, already yielded
            # the last page fetched by keyset and the cursor it was asked from: only the
            # next page number from the same cursor must differ from it (page 1 from a new
            # cursor legitimately repeats a page of calls that all start in that second)
            previous: tuple[dt.datetime, list[Any]] | None = None
            counted: int | None = None  # its total_records
            rescan = False  # the cursor's second is read again: seen calls may be anywhere
            while True:
                probed = window.first is not None
                page = window.first
                if page is None:
                    async with limit:
                        page = await self.fetch(SpanQuery(number, utc_second(cursor), end))
                window.first = None
                items = page.items
                if previous is not None and previous[0] == cursor and _same_ids(items, previous[1]):
                    raise PaginationError(
                        "a page repeated the previous page: the server ignores start_date "
                        "or page; stopping instead of repeating records"
                    )
                if number > 1 and _fewer(page.total_records, counted):
                    # Stepping through a crowded second by page number, and calls were
                    # hidden meanwhile: a page may have shifted back over one not yet read.
                    # Read the second again from its first page, skipping every call seen.
                    number, rescan, previous, counted = 1, True, None, None
                    continue
                previous = None if probed else (cursor, items)
                counted = None if probed else page.total_records
                # Oldest first: the head holds the calls already read (before the cursor's
                # second, or at it and seen) and only the tail the next window's.
                head = 0
                while head < len(items) and _before_or_at(items[head], cursor, at_cursor):
                    head += 1
                tail = len(items)
                while tail > head and _at_or_after(items[tail - 1], window.stop):
                    tail -= 1
                # Calls with the very same start time come in any order: past the head,
                # the rest of the cursor's second may still mix seen calls in (and does
                # anywhere when it is read again).
                at = head + 1
                while at < tail and (rescan or _floor_of(items[at]) == cursor):
                    at += 1
                rest = (i for i in items[head + 1 : at] if not _before_or_at(i, cursor, at_cursor))
                fresh = [*items[head : min(head + 1, tail)], *rest, *items[at:tail]]
                window.pages.put_nowait(Page(fresh, page=number, per_page=page.per_page))
                if len(items) < (page.per_page or self.per_page) or tail < len(items):
                    return  # the window's last page, or the next window's calls begin
                newest = start_moment(items[-1])
                second = None if newest is None else _floor(newest)
                if second is not None and second > cursor:
                    cursor, number, rescan = second, 1, False
                    at_cursor = set()
                    for n in range(len(items) - 1, -1, -1):
                        if _floor_of(items[n]) != second:
                            break
                        at_cursor.add(_id(items[n]))
                else:
                    if second == cursor:
                        at_cursor.update(map(_id, items[head:tail]))  # all at the cursor's second
                    if probed or second is None or second < cursor:
                        number = 1  # after a probe page: the cursor's first page
                    else:
                        number += 1  # a full page within one second: step through by number
        finally:
            window.pages.put_nowait(None)


def _same_ids(items: list[Any], previous: list[Any]) -> bool:
    """Whether two pages hold the same calls (the ends first: pages rarely share them)."""
    if not items or len(items) != len(previous):
        return False
    if _id(items[0]) != _id(previous[0]) or _id(items[-1]) != _id(previous[-1]):
        return False
    return [_id(i) for i in items] == [_id(i) for i in previous]


def _fewer(total: int | None, before: int | None) -> bool:
    """Whether a listing's count went down between two pages (calls hidden meanwhile)."""
    return total is not None and before is not None and total < before


def _floor_of(item: Any) -> dt.datetime | None:
    moment = start_moment(item)
    return None if moment is None else _floor(moment)


def _before_or_at(item: Any, cursor: dt.datetime, seen: set[Any]) -> bool:
    """Whether ``item`` was read already: before the cursor's second, or at it and seen
    (ids seen at that second are added as they are checked)."""
    second = _floor_of(item)
    if second is None or second > cursor:
        return False
    if second < cursor:
        return True
    ident = _id(item)
    if ident in seen:
        return True
    seen.add(ident)
    return False


def _at_or_after(item: Any, stop: dt.datetime) -> bool:
    moment = start_moment(item)
    return moment is not None and moment >= stop
