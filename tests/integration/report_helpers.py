"""Shared by the report tests: a sandbox with tagged calls, and the numbers tables of a page."""

from __future__ import annotations

from html.parser import HTMLParser

from callrail_async import CallRail

TAGS = {"Opportunity": 40, "Existing Customer": 25}


async def tag_some_calls(client: CallRail) -> None:
    """Tag 55 calls of the last 30 days through the API (the sandbox seeds no tags on
    calls): 40 "Opportunity", 25 "Existing Customer", 10 of them both."""
    calls = await client.calls.list(date_range="last_30_days", per_page=100).collect(55)
    for n, call in enumerate(calls):
        names = (["Opportunity"] if n < 40 else []) + (["Existing Customer"] if n >= 30 else [])
        await client.calls.update(call.id, tags=names)


class NumberTables(HTMLParser):
    """The ``<table id="numbers-…">`` tables of a page: id -> rows of cell texts."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: list[list[str]] | None = None
        self._cell: list[str] | None = None
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs).get("id") or ""
        if tag == "table" and found.startswith("numbers-"):
            self._table = self.tables.setdefault(found.removeprefix("numbers-"), [])
        elif tag == "tr" and self._table is not None:
            self._table.append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._table = None
        elif tag in ("td", "th") and self._table is not None and self._cell is not None:
            self._table[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def body(self, name: str) -> dict[str, list[str]]:
        """A table's rows (header row left out), keyed by their first cell."""
        return {row[0]: row[1:] for row in self.tables[name][1:]}


def number(text: str) -> int:
    """``1,234`` -> 1234."""
    return int(text.replace(",", ""))
