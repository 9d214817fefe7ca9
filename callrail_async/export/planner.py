"""Planning the date windows of a calls export from CallRail's own daily counts.

One time-series request per 200 days (CallRail's limit) tells how many calls each day
holds; windows are then cut to hold about the same number of calls each, enough of them to
keep every request slot busy, with busy days cut into stretches of hours. Without counts
(the endpoint refused, say) the plan falls back to calendar months, split as they go.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
from typing import TYPE_CHECKING

from ..dates import timeseries_windows
from ..errors import CallRailError
from ..resources.call_metrics import MetricFilters
from .windows import DateWindow, monthly_windows

if TYPE_CHECKING:
    from ..client import CallRail

logger = logging.getLogger("callrail_async.export")


async def daily_counts(
    client: CallRail, start: dt.date, last_day: dt.date, company_id: str | None, concurrency: int
) -> dict[dt.date, int]:
    """Calls per UTC day from ``start`` through ``last_day``."""
    chunks = timeseries_windows(start, last_day, "day")
    slots = asyncio.Semaphore(max(1, concurrency))

    async def fetch(first: dt.date, last: dt.date) -> dict[dt.date, int]:
        filters: MetricFilters = {"start_date": first, "end_date": last, "time_zone": "UTC"}
        if company_id:
            filters["company_id"] = company_id
        async with slots:
            series = await client.calls.timeseries(
                interval="day", fields=["total_calls"], **filters
            )
        return {
            dt.date.fromisoformat(point.date[:10]): point.total_calls or 0
            for point in series.data or []
            if point.date
        }

    counts: dict[dt.date, int] = {}
    for part in await asyncio.gather(*(fetch(a, b) for a, b in chunks)):
        counts.update(part)
    return counts


async def plan_call_windows(
    client: CallRail,
    start: dt.date,
    end: dt.date | dt.datetime,
    *,
    company_id: str | None,
    concurrency: int,
    per_page: int,
    max_records: int,
) -> tuple[list[DateWindow], int | None]:
    """Consecutive windows covering ``start`` through ``end`` (no gap, no overlap), and the
    calls CallRail counted in those days (None when it would not say)."""
    last_day = end.date() if isinstance(end, dt.datetime) else end
    try:
        counts = await daily_counts(client, start, last_day, company_id, concurrency)
    except CallRailError as exc:
        logger.info("daily counts unavailable (%s); planning by calendar month", type(exc).__name__)
        return monthly_windows(start, end), None
    total = sum(counts.values())
    target = max(4 * per_page, min(max_records, math.ceil(total / (2 * concurrency))))
    windows: list[DateWindow] = []
    open_start: dt.date | None = None
    held = 0

    def close(through: dt.date) -> None:
        nonlocal open_start, held
        if open_start is not None:
            windows.append(DateWindow(open_start, end if through == last_day else through))
        open_start, held = None, 0

    day = start
    while day <= last_day:
        count = counts.get(day, 0)
        if count > target:
            close(day - dt.timedelta(days=1))
            whole = DateWindow(day, end if day == last_day else day)
            windows += whole.split(math.ceil(count / target)) or [whole]
        else:
            if open_start is not None and held + count > target:
                close(day - dt.timedelta(days=1))
            if open_start is None:
                open_start = day
            held += count
        day += dt.timedelta(days=1)
    close(last_day)
    return windows, total
