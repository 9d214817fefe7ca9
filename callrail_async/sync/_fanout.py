"""Opt-in resources that cost a request per record: page views of the lookback's calls, and
the timeline of every lead."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

import msgspec
import pyarrow as pa

from ..client import CallRail
from ._calls import Progress, Tables

__all__ = ["lead_timelines", "page_views"]

logger = logging.getLogger("callrail_async.sync")

_TIMESTAMP = pa.timestamp("us", tz="UTC")


async def page_views(
    client: CallRail,
    account_id: str,
    since: dt.datetime,
    emit: Callable[[Tables], Awaitable[None]],
    progress: Progress,
    concurrency: int = 4,
) -> None:
    """``call_page_views`` rows for every call since ``since``: one request per call (and
    per page of views), against the account's budget; a call without views empties its
    rows (a tombstone)."""
    calls = [str(c.id) async for c in client.calls.list(start_date=since, per_page=250)]
    logger.warning(
        "call_page_views: %d requests for account %s (one per call since %s)",
        len(calls),
        account_id,
        since.date(),
    )
    gate = asyncio.Semaphore(concurrency)

    async def one(call_id: str) -> None:
        async with gate:
            views = await client.calls.page_views(call_id, per_page=250).collect()
        progress.pages += 1
        progress.records += len(views)
        rows = [(v.page_url, v.referrer_url, v.created_at) for v in views] or [(None,) * 3]
        await emit([("call_page_views", _table(call_id, account_id, rows, not views))])

    await asyncio.gather(*(one(c) for c in calls))


def _table(
    call_id: str,
    account_id: str,
    rows: list[tuple[str | None, str | None, dt.datetime | None]],
    empty: bool,
) -> pa.Table:
    count = len(rows)
    table = pa.table(
        {
            "call_id": pa.array([call_id] * count, pa.string()),
            "account_id": pa.array([account_id] * count, pa.string()),
            "position": pa.array(range(count), pa.int64()),
            "page_url": pa.array([r[0] for r in rows], pa.string()),
            "referrer_url": pa.array([r[1] for r in rows], pa.string()),
            "created_at": pa.array([r[2] for r in rows], _TIMESTAMP),
            "deleted": pa.array([empty] * count, pa.bool_()),
        }
    )
    fields = [f.with_nullable(False) if f.name == "call_id" else f for f in table.schema]
    return table.cast(pa.schema(fields))


async def lead_timelines(
    client: CallRail,
    account_id: str,
    emit: Callable[[Tables], Awaitable[None]],
    progress: Progress,
    concurrency: int = 4,
) -> None:
    """``lead_timeline_events`` rows for every lead: one request per lead (and per page of
    its timeline), against the account's budget; each event is kept whole as JSON beside its
    type, id and date, and a lead without events empties its rows (a tombstone)."""
    leads = [str(lead.id) async for lead in client.leads.list(per_page=250) if lead.id]
    logger.warning(
        "lead_timelines: %d requests for account %s (one per lead)", len(leads), account_id
    )
    gate = asyncio.Semaphore(concurrency)

    async def one(lead_id: str) -> None:
        events: list[_Event] = []
        page = 1
        while True:
            async with gate:
                timeline = await client.leads.timeline(lead_id, page=page, per_page=100)
            progress.pages += 1
            for event in timeline.timeline or []:
                ident = None if event.id is None else str(event.id)
                events.append((event.type, ident, event.event_date, _json(event)))
            if not timeline.timeline or page >= (timeline.total_pages or 1):
                break
            page += 1
        progress.records += len(events)
        rows: list[_Event] = events or [(None, None, None, None)]
        await emit([("lead_timeline_events", _events(lead_id, account_id, rows, not events))])

    await asyncio.gather(*(one(lead) for lead in leads))


_Event = tuple[str | None, str | None, dt.datetime | None, str | None]
_encode = msgspec.json.Encoder().encode


def _json(event: object) -> str:
    return _encode(event).decode()


def _events(lead_id: str, account_id: str, rows: list[_Event], empty: bool) -> pa.Table:
    count = len(rows)
    table = pa.table(
        {
            "lead_id": pa.array([lead_id] * count, pa.string()),
            "account_id": pa.array([account_id] * count, pa.string()),
            "position": pa.array(range(count), pa.int64()),
            "type": pa.array([r[0] for r in rows], pa.string()),
            "event_id": pa.array([r[1] for r in rows], pa.string()),
            "event_date": pa.array([r[2] for r in rows], _TIMESTAMP),
            "event": pa.array([r[3] for r in rows], pa.string()),
            "deleted": pa.array([empty] * count, pa.bool_()),
        }
    )
    fields = [f.with_nullable(False) if f.name == "lead_id" else f for f in table.schema]
    return table.cast(pa.schema(fields))
