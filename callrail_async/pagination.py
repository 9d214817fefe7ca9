"""One paginator for every list endpoint, walking CallRail's offset or relative pages.

Offset mode asks for ``page=1, 2, ...``; once page 1 has told it ``total_pages`` it fetches
the following pages concurrently (at most ``concurrency`` in flight or buffered) while still
yielding in page order. Relative mode (calls only) follows ``next_page`` links until
``has_next_page`` is false. Nothing is fetched until iteration starts.
"""

from __future__ import annotations

import asyncio
import functools
import math
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Generator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import msgspec

__all__ = ["AsyncPaginator", "FetchPage", "Page", "envelope_decoder"]

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


FetchPage = Callable[[int | None, str | None], Awaitable[Page[T]]]
"""Fetches a page: ``(page_number, None)`` in offset mode, ``(None, None)`` for the first
relative page, ``(None, next_page_link)`` for the following ones."""


@functools.cache
def envelope_decoder(item_type: Any, key: str) -> Callable[[bytes], Page[Any]]:
    """A decoder (built once per item type and key) from a list envelope to a :class:`Page`."""
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
    decoder: msgspec.json.Decoder[Any] = msgspec.json.Decoder(envelope)

    def decode(body: bytes) -> Page[Any]:
        env = decoder.decode(body)
        return Page(
            items=env.items or [],
            page=env.page,
            per_page=env.per_page,
            total_pages=env.total_pages,
            total_records=env.total_records,
            has_next_page=env.has_next_page,
            next_page=env.next_page,
        )

    return decode


class AsyncPaginator(Generic[T]):
    """Async iterator over every item of a list, across pages.

    ``async for item in paginator`` walks all items; ``paginator.pages()`` walks pages;
    ``await paginator`` gives the first page; ``await paginator.collect()`` a list.
    """

    def __init__(
        self,
        fetch: FetchPage[T],
        *,
        relative: bool = False,
        concurrency: int = 4,
        max_items: int | None = None,
        per_page: int | None = None,
        retype: Callable[[Any], FetchPage[Any]] | None = None,
    ) -> None:
        self._fetch = fetch
        self._retype = retype
        self.relative = relative
        self.concurrency = max(1, concurrency)
        self.max_items = max_items
        self._per_page = per_page

    def __repr__(self) -> str:
        mode = "relative" if self.relative else "offset"
        return f"AsyncPaginator({mode}, concurrency={self.concurrency}, max_items={self.max_items})"

    def __aiter__(self) -> AsyncIterator[T]:
        return self._items()

    def __await__(self) -> Generator[Any, None, Page[T]]:
        first = self._fetch(1, None) if not self.relative else self._fetch(None, None)
        return first.__await__()

    async def page(self, number: int) -> Page[T]:
        """One page by number (offset pagination)."""
        if self.relative:
            raise ValueError("page() applies to offset pagination only")
        if number < 1:
            raise ValueError(f"page number must be >= 1, got {number!r}")
        return await self._fetch(number, None)

    async def collect(self, limit: int | None = None) -> list[T]:
        """All items (or the first ``limit``) as a list."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be >= 0, got {limit!r}")
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
            raise TypeError("this paginator cannot produce raw items")
        return AsyncPaginator(
            self._retype(msgspec.Raw),
            relative=self.relative,
            concurrency=self.concurrency,
            max_items=self.max_items,
            per_page=self._per_page,
            retype=self._retype,
        )

    def pages(self, *, start_page: int = 1) -> AsyncIterator[Page[T]]:
        """Iterate pages instead of items (offset lists may start at ``start_page``)."""
        if self.relative:
            if start_page != 1:
                raise ValueError("start_page applies to offset pagination only")
            return self._relative_pages(self.max_items)
        if start_page < 1:
            raise ValueError(f"start_page must be >= 1, got {start_page!r}")
        return self._offset_pages(self.max_items, start_page)

    async def _items(self, limit: int | None = None) -> AsyncIterator[T]:
        budget = _smaller(limit, self.max_items)
        pages = self._relative_pages(budget) if self.relative else self._offset_pages(budget)
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

    async def _relative_pages(self, budget: int | None) -> AsyncIterator[Page[T]]:
        page = await self._fetch(None, None)
        seen_links: set[str] = set()
        fetched = 0
        while True:
            yield page
            fetched += len(page.items)
            link = page.next_page
            if not page.has_next_page or not link or link in seen_links:
                return
            if budget is not None and fetched >= budget:
                return
            seen_links.add(link)
            page = await self._fetch(None, link)

    async def _offset_pages(self, budget: int | None, start: int = 1) -> AsyncIterator[Page[T]]:
        first = await self._fetch(start, None)
        yield first
        if not first.items or _at_end(first, start):
            return
        per_page = first.per_page or self._per_page or len(first.items)
        last = first.total_pages
        if budget is not None and per_page:
            needed = start - 1 + math.ceil(budget / per_page)
            last = needed if last is None else min(last, needed)
            if last <= start:
                return
        if last is None:
            async for page in self._sequential_pages(start + 1):
                yield page
            return
        window: deque[asyncio.Task[Page[T]]] = deque()
        next_number = start + 1
        try:
            while next_number <= last or window:
                while len(window) < self.concurrency and next_number <= last:
                    window.append(asyncio.ensure_future(self._fetch(next_number, None)))
                    next_number += 1
                page = await window.popleft()
                yield page
                if not page.items:
                    return
        finally:
            for task in window:
                task.cancel()

    async def _sequential_pages(self, start: int) -> AsyncIterator[Page[T]]:
        # CallRail sometimes omits total_pages: walk until an empty page, never assume one page.
        number = start
        while True:
            page = await self._fetch(number, None)
            if not page.items:
                return
            yield page
            if _at_end(page, number):
                return
            number += 1


def _at_end(page: Page[Any], number: int) -> bool:
    return page.total_pages is not None and number >= page.total_pages


def _smaller(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)
