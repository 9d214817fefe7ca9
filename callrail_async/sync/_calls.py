"""The calls of one account over a time window: concurrent sub-windows, keyset pages.

CallRail has no "updated since" filter. Each run reads ``[since, until]``, where ``since`` is
the previous run's ``until`` minus the lookback (or, on the first run, the start date or the
oldest day CallRail keeps), so calls changed within the lookback are read again and merged
by id. Ids seen in the lookback are remembered: one missing from the next run's re-read
was hidden (spam) or deleted, and becomes a tombstone.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from ..client import CallRail
from ..errors import NotFoundError
from ..models import Call
from . import _arrow

__all__ = ["DEFAULT_CALL_FIELDS", "CallsWindow", "Progress", "walk_calls"]

DEFAULT_CALL_FIELDS: tuple[str, ...] = (
    "company_id",
    "company_name",
    "company_time_zone",
    "created_at",
    "tracker_id",
    "source",
    "source_name",
    "medium",
    "campaign",
    "keywords",
    "referrer_domain",
    "referring_url",
    "landing_page_url",
    "lead_status",
    "value",
    "note",
    "first_call",
    "prior_calls",
    "total_calls",
    "device_type",
    "call_type",
    "agent_email",
    "person_id",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "gclid",
    "fbclid",
    "msclkid",
    "tags",
)
"""Call fields requested on top of CallRail's default set: what reporting needs, without
the costly ones (transcripts, milestones, waveforms); ``call_fields=`` changes it."""

BATCH_ROWS = 5000
CALLS_PER_WINDOW = 4000
MAX_WINDOWS = 256

Tables = list[tuple[str, pa.Table]]
Emit = Callable[[Tables], Awaitable[None]]


@dataclass
class Progress:
    """Counters of a sync run (read by the progress display from another thread)."""

    accounts: int = 0
    accounts_done: int = 0
    records: int = 0
    pages: int = 0
    hidden: int = 0
    failures: dict[str, str] = field(default_factory=dict)
    """Accounts whose sync failed, with the error (the others are loaded)."""


@dataclass
class CallsWindow:
    """What to read for one account: ``[since, until]`` (epoch seconds), the ids seen last
    time at or after ``since``, and from when to remember ids for next time."""

    since: float
    until: float
    known: dict[str, float] = field(default_factory=dict)
    remember_from: float = 0.0


async def walk_calls(
    client: CallRail,
    account_id: str,
    window: CallsWindow,
    *,
    fields: Sequence[str],
    concurrency: int,
    emit: Emit,
    progress: Progress,
) -> dict[str, float]:
    """Emit every call of ``window`` as Arrow batches, then tombstones for ``known`` ids
    that are gone; returns the ids (and start times) to remember for the next run."""
    track_from = min(window.remember_from, window.since if window.known else math.inf)
    tracked: dict[str, float] = {}
    bounds = await _windows(client, window)
    gate = asyncio.Semaphore(concurrency)
    walk = _Walk(client, account_id, fields, emit, progress, tracked, track_from)

    async def one(index: int) -> None:
        async with gate:
            last = index == len(bounds) - 2
            await walk.window(bounds[index], bounds[index + 1], last)

    await asyncio.gather(*(one(i) for i in range(len(bounds) - 1)))
    candidates = [
        call_id
        for call_id, start in window.known.items()
        if start >= window.since and call_id not in tracked
    ]
    hidden = {c: window.known[c] for c in await walk.confirm_gone(candidates)}
    if hidden:
        now = dt.datetime.fromtimestamp(window.until, dt.UTC)
        calls, tags, log = _arrow.hidden_table(hidden, account_id, now)
        await emit([("calls", calls), ("calls__tags", tags), ("hidden_calls", log)])
        progress.hidden += len(hidden)
    return {i: s for i, s in tracked.items() if s >= window.remember_from}


async def _windows(client: CallRail, window: CallsWindow) -> list[float]:
    """Sub-window bounds: from the oldest call of the window to its end, split so that each
    holds about ``CALLS_PER_WINDOW`` calls if they were evenly spread."""
    first = await client.calls.list(
        start_date=_when(window.since),
        end_date=_when(window.until),
        sort="start_time",
        order="asc",
        per_page=1,
        relative=False,
    )
    if not first.items or first.items[0].start_time is None:
        return [window.since, window.until]
    oldest = max(window.since, math.floor(first.items[0].start_time.timestamp()))
    total = first.total_records or len(first.items)
    count = max(1, min(MAX_WINDOWS, math.ceil(total / CALLS_PER_WINDOW)))
    step = (window.until - oldest) / count
    inner = sorted({math.floor(oldest + step * i) for i in range(1, count)})
    return [oldest, *(b for b in inner if oldest < b < window.until), window.until]


def _when(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(math.floor(epoch), dt.UTC)


@dataclass
class _Walk:
    """The walk of one account's sub-windows."""

    client: CallRail
    account_id: str
    fields: Sequence[str]
    emit: Emit
    progress: Progress
    tracked: dict[str, float]
    track_from: float

    async def window(self, start: float, end: float, last: bool) -> None:
        """Every call of ``[start, end)`` (``[start, end]`` for the last sub-window: bounds
        are inclusive on CallRail, so a call on a bound belongs to the window it starts)."""
        listing = self.client.calls.list(
            start_date=_when(start), end_date=_when(end), fields=self.fields, per_page=250
        )
        seen: set[str] = set()  # pages shift when calls arrive during the walk
        batch: list[Call] = []
        async for page in listing.pages():
            self.progress.pages += 1
            for call in page.items:
                moment = call.start_time.timestamp() if call.start_time else start
                call_id = str(call.id)
                if (moment >= end and not last) or call_id in seen:
                    continue
                seen.add(call_id)
                if moment >= self.track_from:
                    self.tracked[call_id] = moment
                batch.append(call)
            if len(batch) >= BATCH_ROWS:
                await self.emit_calls(batch)
                batch = []
        if batch:
            await self.emit_calls(batch)

    async def emit_calls(self, batch: Sequence[Call]) -> None:
        """One Arrow batch of calls (and their tags)."""
        tables: Tables = [("calls", _arrow.calls_table(batch, self.account_id, self.fields))]
        if "tags" in self.fields:
            tables.append(("calls__tags", _arrow.tags_table(batch)))
        self.progress.records += len(batch)
        await self.emit(tables)

    async def confirm_gone(self, call_ids: Sequence[str]) -> list[str]:
        """Of calls missing from the re-read, those CallRail no longer serves (hidden as
        spam, or deleted). One that is still there (a page shifted under the walk) is
        loaded instead."""
        gone: list[str] = []
        found: list[Call] = []
        for call_id in call_ids:
            try:
                found.append(await self.client.calls.get(call_id, fields=self.fields))
            except NotFoundError:
                gone.append(call_id)
        if found:
            for call in found:
                if call.start_time is not None:
                    self.tracked[str(call.id)] = call.start_time.timestamp()
            await self.emit_calls(found)
        return gone
