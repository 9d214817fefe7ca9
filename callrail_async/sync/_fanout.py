"""Opt-in resources that cost one request per call: page views of the lookback's calls."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable

import pyarrow as pa

from ..client import CallRail
from ._calls import Progress, Tables

__all__ = ["page_views"]

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
        len(calls), account_id, since.date(),
    )  # fmt: skip
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
