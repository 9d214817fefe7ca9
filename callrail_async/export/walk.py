"""Walking one slice: its pages, each with the position to continue from after it.

The keyset walk of a date window of calls is importable on its own (``sync`` uses it)::

    from callrail_async.export.slices import CallFilters, call_window_slice
    from callrail_async.export.walk import walk_slice

    source = call_window_slice(client, DateWindow(start, end), CallFilters())
    async for page, cursor, number in walk_slice(source, per_page=250):
        ...  # page.items: raw records, oldest first; (cursor, number): where to go on

A page may end with records at or past the window's exclusive end (``source.stop``): they
belong to the next window; :func:`.records.first_beyond` finds where they start.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

import msgspec

from ..pagination import Page
from .records import ident_of, utc_second
from .slices import Slice

__all__ = ["walk_slice"]


async def walk_slice(
    source: Slice,
    *,
    per_page: int,
    page_concurrency: int = 1,
    cursor: str | None = None,
    number: int = 1,
) -> AsyncGenerator[tuple[Page[msgspec.Raw], str | None, int]]:
    """A slice's pages, each with the position ``(cursor, page number)`` after it.

    Call windows are walked by start time (keyset): each request starts at the second of
    the last call seen, so calls hidden or inserted meanwhile cannot shift a page and make
    the walk skip a record; a full page within one second is stepped through by number.
    Other slices are walked by page number (``page_concurrency`` pages in flight). To
    continue an interrupted walk, pass the last ``cursor`` and ``number`` it yielded.
    """
    if source.from_cursor is None:
        pages = source.listing(per_page, page_concurrency).pages(start_page=number)
        async for page in pages:
            yield page, None, (page.page or number) + 1
        return
    while True:
        listing = (
            source.listing(per_page, 1) if cursor is None else source.from_cursor(cursor, per_page)
        )
        page = await listing.page(number)
        if len(page.items) < per_page:
            yield page, cursor, number
            return
        last = utc_second(ident_of(page.items[-1]))
        if source.stop is not None and last is not None and last >= source.stop:
            yield page, cursor, number  # past this window's end: the rest is the next's
            return
        if last is None or last == cursor:
            number += 1  # a full page within one second: step through it by number
            if page.total_pages is not None and number > page.total_pages:
                yield page, cursor, number  # the listing has no such page: it is over
                return
        else:
            cursor, number = last, 1
        yield page, cursor, number
