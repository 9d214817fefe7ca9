"""What an export walks: slices of a resource, each one paginated list.

Calls are sliced into date windows (sorted by ``start_time`` ascending, split further when a
window is large); integrations into companies; every other resource is one slice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from .. import _validate
from ..client import CallRail
from ..models import CALL_OPTIONAL_FIELDS
from ..pagination import AsyncPaginator
from .windows import DateWindow

Listing = Callable[[int, int], AsyncPaginator[msgspec.Raw]]
"""``(per_page, concurrency) -> raw paginator`` over one slice."""

Resume = Callable[[str, int], AsyncPaginator[msgspec.Raw]]
"""``(cursor, per_page) -> raw paginator`` over the calls of a window from ``cursor`` on
(a UTC ``YYYY-MM-DDTHH:MM:SS``), oldest first: keyset pagination by start time."""

RESOURCES: tuple[str, ...] = tuple(
    name for name, resource in CallRail.namespaces().items() if hasattr(resource, "list")
)
"""Every namespace of the client that lists records: what an export can walk."""


def listed_per_company(resource: str) -> bool:
    """Whether CallRail lists ``resource`` per company only (exported company by company)."""
    return CallRail.namespaces()[resource].company_scope == "required"


def company_filter(resource: str) -> bool:
    """Whether ``resource``'s list takes a ``company_id``."""
    return CallRail.namespaces()[resource].company_scope != "none"


@dataclass
class Slice:
    """One part of an export: a key (saved in the checkpoint) and how to list it."""

    key: dict[str, str]
    listing: Listing
    window: DateWindow | None = None
    label: str = ""
    from_cursor: Resume | None = None
    stop: str | None = None

    def split(self, make: Callable[[DateWindow], Slice], parts: int) -> list[Slice] | None:
        """A date window in up to ``parts`` pieces, or None if it cannot be split."""
        pieces = self.window.split(parts) if self.window else None
        return None if pieces is None else [make(piece) for piece in pieces]


@dataclass
class CallFilters:
    """The call-list filters an export passes through."""

    company_id: str | None = None
    fields: list[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _validate.optional_resource_id("company_id", self.company_id, "COM")
        if self.fields == ["all"]:
            self.fields = sorted(CALL_OPTIONAL_FIELDS)
        _validate.choices("fields", self.fields, CALL_OPTIONAL_FIELDS)


def call_window_slice(client: CallRail, window: DateWindow, filters: CallFilters) -> Slice:
    """The calls of one date window, oldest first."""
    params = window.params()

    def listing(per_page: int, concurrency: int) -> AsyncPaginator[msgspec.Raw]:
        return from_start(params["start_date"], per_page, concurrency)

    def from_cursor(cursor: str, per_page: int) -> AsyncPaginator[msgspec.Raw]:
        return from_start(cursor, per_page, 1)

    def from_start(start: str, per_page: int, concurrency: int) -> AsyncPaginator[msgspec.Raw]:
        dates = {"start_date": start, "end_date": params["end_date"], "time_zone": "UTC"}
        return _oldest_first(client, filters, per_page, concurrency, dates)

    return Slice(
        key=window.key(),
        listing=listing,
        window=window,
        label=str(window),
        from_cursor=from_cursor,
        stop=window.stop,
    )


def call_preset_slice(client: CallRail, date_range: str, filters: CallFilters) -> Slice:
    """The calls of a ``date_range`` preset, passed through as CallRail reads it."""

    def listing(per_page: int, concurrency: int) -> AsyncPaginator[msgspec.Raw]:
        dates = {"date_range": date_range}
        return _oldest_first(client, filters, per_page, concurrency, dates)

    return Slice(key={"date_range": date_range}, listing=listing, label=date_range)


def _oldest_first(
    client: CallRail, filters: CallFilters, per_page: int, concurrency: int, dates: dict[str, Any]
) -> AsyncPaginator[msgspec.Raw]:
    """Raw calls sorted by start time, oldest first, paged by number."""
    return client.calls.list(
        **dates,
        company_id=filters.company_id,
        fields=filters.fields,
        sort="start_time",
        order="asc",
        relative=False,
        per_page=per_page,
        concurrency=concurrency,
    ).raw()


def simple_slice(client: CallRail, resource: str, company_id: str | None) -> Slice:
    """A whole non-call resource (or one company's part of it) as one slice."""
    scoped = {"company_id": company_id} if company_id else {}

    def listing(per_page: int, concurrency: int) -> AsyncPaginator[msgspec.Raw]:
        namespace = getattr(client, resource)
        paginator: AsyncPaginator[Any] = namespace.list(
            per_page=per_page, concurrency=concurrency, **scoped
        )
        return paginator.raw()

    key = {"resource": resource, **scoped}
    return Slice(key=key, listing=listing, label=company_id or resource)


async def company_ids(client: CallRail, company_id: str | None) -> Sequence[str]:
    """The companies an integrations export covers."""
    if company_id:
        return [company_id]
    return [str(c.id) for c in await client.companies.list(per_page=250).collect()]


def window_from_key(key: dict[str, str]) -> DateWindow:
    """Rebuild a date window from a checkpoint key."""

    def parse(text: str) -> dt.date | dt.datetime:
        if "T" in text:
            return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)
        return dt.date.fromisoformat(text)

    exclusive = key.get("exclusive_end") == "1"
    return DateWindow(parse(key["start_date"]), parse(key["end_date"]), exclusive)
