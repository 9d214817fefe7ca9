"""One paginator for every list endpoint, over one of CallRail's two ways of paging.

A paginator walks pages through a *strategy*:

- :class:`OffsetPages` asks for ``page=1, 2, ...``; once page 1 has told it ``total_pages``
  it fetches the following pages concurrently (at most ``concurrency`` in flight or
  buffered) while still yielding in page order;
- :class:`LinkPages` (calls only) fetches the first page, then follows ``next_page`` links
  until ``has_next_page`` is false.

Nothing is fetched until iteration starts.
"""

from __future__ import annotations

import asyncio
import functools
import math
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import msgspec
from yarl import URL

from .errors import InvalidArgumentError, PaginationError
from .models._decode import STATS, decoder

__all__ = ["AsyncPaginator", "LinkPages", "OffsetPages", "Page", "PageStrategy", "envelope_decoder"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list: its items and CallRail's pagination metadata (``None`` if absent)."""

    items: list[T]
    page: int | None = None
    per_page: int | None = None
    total_pages: int | None = None
    total_records: int | None = None
    has_next_page: bool | None = None
    next_page: str | None = None


def _envelope(item_type: Any, key: str) -> msgspec.json.Decoder[Any]:
    envelope = msgspec.defstruct(
        f"{getattr(item_type, '__name__', 'Raw')}Envelope",
        [
            ("page", int | None, None),
            ("per_page", int | None, None),
            ("total_pages", int | None, None),
            ("total_records", int | None, None),
            ("has_next_page", bool | None, None),
            ("next_page", str | None, None),
            ("items", list[item_type] | None, None),
        ],
        rename={"items": key},
    )
    return msgspec.json.Decoder(envelope, strict=False)


@functools.cache
def envelope_decoder(item_type: Any, key: str) -> Callable[[bytes], Page[Any]]:
    """A decoder (built once per item type and key) from a list envelope to a :class:`Page`.

    The whole page decodes in C; if that refuses it, the page is split into raw records and
    only the records the fast path refuses take the lenient path (see ``models._decode``).
    """
    fast = _envelope(item_type, key).decode
    split = _envelope(msgspec.Raw, key).decode
    record = decoder(item_type)
    stats = STATS

    def decode(body: bytes) -> Page[Any]:
        try:
            env = fast(body)
            items = env.items or []
            stats.fast += 1
        except msgspec.ValidationError:
            if item_type is msgspec.Raw:
                raise
            env = split(body)
            items = [record(raw) for raw in env.items or []]
            stats.lenient_pages += 1
        return Page(
            items=items,
            page=env.page,
            per_page=env.per_page,
            total_pages=env.total_pages,
            total_records=env.total_records,
            has_next_page=env.has_next_page,
            next_page=env.next_page,
        )

    return decode


class PageStrategy(Protocol[T]):
    """How a list is paged: what the first page is and how the walk goes on from it."""

    @property
    def name(self) -> str:
        """A short name for reprs ("offset", "relative")."""
        ...

    def first(self) -> Awaitable[Page[T]]:
        """The first page."""
        ...

    def walk(
        self, budget: int | None, concurrency: int, per_page: int | None, start: int
    ) -> AsyncIterator[Page[T]]:
        """Every page in order, stopping once ``budget`` items (if given) were yielded."""
        ...


class OffsetPages(Generic[T]):
    """Numbered pages (``page=1..total_pages``), fetched concurrently, yielded in order."""

    name = "offset"

    def __init__(self, fetch: Callable[[int], Awaitable[Page[T]]]) -> None:
        self.fetch = fetch

    def first(self) -> Awaitable[Page[T]]:
        return self.fetch(1)

    async def walk(
        self, budget: int | None, concurrency: int, per_page: int | None, start: int = 1
    ) -> AsyncIterator[Page[T]]:
        first = await self.fetch(start)
        yield first
        if not first.items or _at_end(first, start):
            return
        per_page = first.per_page or per_page or len(first.items)
        last = first.total_pages
        if budget is not None and per_page:
            needed = start - 1 + math.ceil(budget / per_page)
            last = needed if last is None else min(last, needed)
            if last <= start:
                return
        if last is None:
            async for page in self._sequential(start + 1):
                yield page
            return
        window: deque[asyncio.Task[Page[T]]] = deque()
        next_number = start + 1
        try:
            while next_number <= last or window:
                while len(window) < concurrency and next_number <= last:
                    window.append(asyncio.ensure_future(self.fetch(next_number)))
                    next_number += 1
                page = await window.popleft()
                yield page
                if not page.items:
                    return
        finally:
            for task in window:
                task.cancel()

    async def _sequential(self, start: int) -> AsyncIterator[Page[T]]:
        # CallRail sometimes omits total_pages: walk until an empty page, never assume one page.
        number = start
        while True:
            page = await self.fetch(number)
            if not page.items:
                return
            yield page
            if _at_end(page, number):
                return
            number += 1


class LinkPages(Generic[T]):
    """CallRail's relative pages: the first page, then each ``next_page`` link in turn.

    A link that points back to a page already read (the first page, sent as ``query``,
    included) raises :class:`PaginationError` instead of being followed.
    """

    name = "relative"

    def __init__(
        self,
        first: Callable[[], Awaitable[Page[T]]],
        follow: Callable[[str], Awaitable[Page[T]]],
        query: Iterable[tuple[str, str]] = (),
    ) -> None:
        self._first = first
        self.follow = follow
        self._first_position = _position(query)

    def first(self) -> Awaitable[Page[T]]:
        return self._first()

    async def walk(
        self, budget: int | None, concurrency: int, per_page: int | None, start: int = 1
    ) -> AsyncIterator[Page[T]]:
        page = await self._first()
        followed: set[tuple[tuple[str, str], ...] | None] = {self._first_position}
        fetched = 0
        while True:
            yield page
            fetched += len(page.items)
            link = page.next_page
            if not page.has_next_page or not link:
                return
            if budget is not None and fetched >= budget:
                return
            try:
                position = _position(URL(link).query.items())
            except (ValueError, TypeError):
                position = None  # not a URL: following it refuses it (UnsafeURLError)
            if position in followed:
                raise PaginationError(
                    "CallRail's next_page link points back to a page already read "
                    f"({len(followed)} pages in); stopping instead of repeating records"
                )
            followed.add(position)
            page = await self.follow(link)


_NOT_A_POSITION = frozenset(
    {"format", "action", "controller", "agency_id", "no_one_to_many_associations", "per_page"}
)
"""Query keys of CallRail's links that say nothing about which page (Rails internals, and
the page size, which CallRail adds to links when the first request left it out)."""


def _position(query: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Which page a link (or the first request's query) asks for: its query without the
    Rails internals, ``offset=0`` and ``page=1`` being where a walk starts anyway."""
    return tuple(
        sorted(
            (key, value)
            for key, value in query
            if key not in _NOT_A_POSITION
            and not key.startswith("api_sort")
            and (key, value) not in (("offset", "0"), ("page", "1"))
        )
    )


class AsyncPaginator(Generic[T]):
    """Async iterator over every item of a list, across pages.

    ``async for item in paginator`` walks all items; ``paginator.pages()`` walks pages;
    ``await paginator`` gives the first page; ``await paginator.collect()`` a list.
    """

    def __init__(
        self,
        strategy: PageStrategy[T],
        *,
        concurrency: int = 4,
        max_items: int | None = None,
        per_page: int | None = None,
        retype: Callable[[Any], PageStrategy[Any]] | None = None,
    ) -> None:
        self.strategy = strategy
        self._retype = retype
        self.concurrency = max(1, concurrency)
        self.max_items = max_items
        self._per_page = per_page

    def __repr__(self) -> str:
        return (
            f"AsyncPaginator({self.strategy.name}, concurrency={self.concurrency}, "
            f"max_items={self.max_items})"
        )

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    def __await__(self) -> Generator[Any, None, Page[T]]:
        return self.strategy.first().__await__()

    async def page(self, number: int) -> Page[T]:
        """One page by number (offset pagination)."""
        if not isinstance(self.strategy, OffsetPages):
            raise InvalidArgumentError("page() applies to offset pagination only")
        if number < 1:
            raise InvalidArgumentError(f"page number must be >= 1, got {number!r}")
        return await self.strategy.fetch(number)

    async def collect(self, limit: int | None = None) -> list[T]:
        """All items (or the first ``limit``) as a list."""
        if limit is not None and limit < 0:
            raise InvalidArgumentError(f"limit must be >= 0, got {limit!r}")
        result: list[T] = []
        if limit == 0:
            return result
        async for item in self._items(limit):
            result.append(item)
        return result

    def raw(self) -> AsyncPaginator[msgspec.Raw]:
        """The same listing with each item as the exact JSON bytes CallRail sent
        (``msgspec.Raw``): nothing decoded, nothing lost, unknown fields included."""
        if self._retype is None:
            raise InvalidArgumentError("this paginator cannot produce raw items")
        return AsyncPaginator(
            self._retype(msgspec.Raw),
            concurrency=self.concurrency,
            max_items=self.max_items,
            per_page=self._per_page,
            retype=self._retype,
        )

    def pages(self, *, start_page: int = 1) -> AsyncIterator[Page[T]]:
        """Iterate pages instead of items (offset lists may start at ``start_page``)."""
        if not isinstance(self.strategy, OffsetPages):
            if start_page != 1:
                raise InvalidArgumentError("start_page applies to offset pagination only")
        elif start_page < 1:
            raise InvalidArgumentError(f"start_page must be >= 1, got {start_page!r}")
        return _until_repeated(
            self.strategy.walk(self.max_items, self.concurrency, self._per_page, start_page)
        )

    async def _items(self, limit: int | None = None) -> AsyncIterator[T]:
        budget = _smaller(limit, self.max_items)
        pages = _until_repeated(self.strategy.walk(budget, self.concurrency, self._per_page, 1))
        try:
            async for page in pages:
                for item in page.items:
                    if budget is not None:
                        if budget <= 0:
                            return
                        budget -= 1
                    yield item
                if budget is not None and budget <= 0:
                    return
        finally:
            await pages.aclose()  # type: ignore[attr-defined]


async def _until_repeated(pages: AsyncIterator[Page[T]]) -> AsyncIterator[Page[T]]:
    """The pages, raising :class:`PaginationError` at one that repeats the previous page's
    ids: a server that ignores ``page``/``offset`` sends the same page again and again, but
    so does a listing whose records shifted a whole page (calls inserted meanwhile), so
    the listing cannot just end there without losing the pages after it."""
    previous: list[Any] = []
    try:
        async for page in pages:
            if _repeats(page.items, previous):
                raise PaginationError(
                    f"a page repeated the previous page's {len(previous)} records: the "
                    "server ignores paging, or records shifted a whole page meanwhile; "
                    "stopping instead of repeating or losing records"
                )
            yield page
            previous = page.items
    finally:
        await pages.aclose()  # type: ignore[attr-defined]


class _Ident(msgspec.Struct):
    id: Any = None


_ident = msgspec.json.Decoder(_Ident)


def _repeats(items: list[Any], previous: list[Any]) -> bool:
    """Whether a page holds the same records as the previous one (the ends compared first,
    so a page costs two id lookups unless it does)."""
    if not items or len(items) != len(previous):
        return False
    if _ids([items[0], items[-1]]) != _ids([previous[0], previous[-1]]):
        return False
    return _ids(items) == _ids(previous)


def _ids(items: list[Any]) -> list[Any]:
    if items and isinstance(items[0], msgspec.Raw):
        try:
            return [_ident.decode(item).id for item in items]
        except (msgspec.DecodeError, msgspec.ValidationError):
            return [bytes(item) for item in items]
    return [getattr(item, "id", item) for item in items]


def _at_end(page: Page[Any], number: int) -> bool:
    return page.total_pages is not None and number >= page.total_pages


def _smaller(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)
