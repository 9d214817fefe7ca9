"""The call report from the API: summary and time-series endpoints, not a call export.

A 30-day report of the whole account costs 3 summaries, 2 daily time series, 4 hourly
ones (the weekday x hour heatmap), the tracker and tag lists, and one summary per tracker
and per tag name (CallRail has no ``group_by`` for either). :class:`RequestPlan` states the
cost once the lists are known, before the rest is fetched.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import msgspec

from ..dates import timeseries_windows
from ..enums import DateRange, SummaryField
from ..errors import InvalidArgumentError
from ..models import CallSummary, SummaryMetrics, TimeseriesPoint
from ..models._types import parse_timestamp
from .model import CallReport, Day, Group, TagCount, Totals, TrackingNumber
from .periods import preset_days, previous_period

if TYPE_CHECKING:
    from ..client import CallRail

__all__ = ["RequestPlan", "report_from_api"]

T = TypeVar("T")
METRICS: tuple[SummaryField, ...] = (
    "total_calls",
    "answered_calls",
    "missed_calls",
    "first_time_callers",
    "average_duration",
    "leads",
)


class RequestPlan(msgspec.Struct, frozen=True, kw_only=True):
    """What the rest of a report will cost, known after the first requests."""

    done: int
    summaries: int
    timeseries: int
    trackers: int
    tags: int

    @property
    def total(self) -> int:
        """All requests of the report, those done included."""
        return self.done + self.summaries + self.timeseries + self.trackers + self.tags

    def describe(self) -> str:
        """One line for a person deciding whether to go on."""
        return (
            f"this report costs {self.total} API requests ({self.timeseries} time series, "
            f"{self.trackers} for {self.trackers} trackers, {self.tags} for {self.tags} tags)"
        )


async def report_from_api(
    client: CallRail,
    *,
    date_range: DateRange | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    company_id: str | None = None,
    title: str = "Call report",
    on_plan: Callable[[RequestPlan], None] | None = None,
    concurrency: int = 8,
) -> CallReport:
    """Build the report from the API (``last_30_days`` unless dates are given).

    ``on_plan`` is called with the cost before most requests are made; it may raise to
    stop there. ``concurrency`` bounds the requests in flight.
    """
    if date_range is not None and (start_date is not None or end_date is not None):
        raise InvalidArgumentError("give date_range or start_date/end_date, not both")
    if concurrency < 1:
        raise InvalidArgumentError(f"concurrency must be at least 1, got {concurrency}")
    if date_range is None and start_date is None and end_date is None:
        date_range = "last_30_days"
    dates: dict[str, Any] = (
        {"date_range": date_range}
        if date_range is not None
        else {"start_date": start_date, "end_date": end_date}
    )
    scope: dict[str, Any] = {"company_id": company_id} if company_id else {}
    calls = client.calls
    # CallRail resolves the preset in the account's time zone: its answer fixes the dates.
    by_source = await calls.summary(group_by="source", fields=METRICS, **dates, **scope)
    start, end = _period(by_source, date_range, start_date, end_date)
    prev_start, prev_end = previous_period(start, end)
    period = {"start_date": start, "end_date": end, **scope}
    gate = asyncio.Semaphore(concurrency)

    async def limited(work: Callable[[], Awaitable[T]]) -> T:
        # The request's coroutine is made once a slot is free: a cancelled wait leaves none
        # behind un-awaited.
        async with gate:
            return await work()

    trackers, tags, company = await _gather(
        limited(lambda: _items_and_pages(client.trackers.list(**scope))),
        limited(lambda: _items_and_pages(client.tags.list(**scope))),
        limited(lambda: client.companies.get(company_id)) if company_id else _none(),
    )
    tag_names = sorted({t.name for t in tags[0] if t.name})
    daily = timeseries_windows(start, end) + timeseries_windows(prev_start, prev_end)
    hourly = timeseries_windows(start, end, "hour")
    plan = RequestPlan(
        done=1 + trackers[1] + tags[1] + (1 if company_id else 0),
        summaries=1 if company_id else 2,
        timeseries=len(daily) + len(hourly),
        trackers=len(trackers[0]),
        tags=len(tag_names),
    )
    if on_plan is not None:
        on_plan(plan)

    def summary(**extra: Any) -> Awaitable[CallSummary]:
        return limited(lambda: calls.summary(**{**period, **extra}))

    def series(a: dt.date, b: dt.date, interval: Any, fields: Sequence[SummaryField]) -> Any:
        window = {**scope, "start_date": a, "end_date": b}
        return limited(lambda: calls.timeseries(interval=interval, fields=fields, **window))

    voicemail, by_company, daily_series, hourly_series, per_tracker, per_tag = await _gather(
        summary(answer_status="voicemail"),
        summary(group_by="company", fields=METRICS) if not company_id else _none(),
        _gather(*(series(a, b, "day", METRICS) for a, b in daily)),
        _gather(*(series(a, b, "hour", ("total_calls",)) for a, b in hourly)),
        _gather(*(summary(tracker_ids=[t.id], fields=METRICS) for t in trackers[0])),
        _gather(*(summary(tags=[name]) for name in tag_names)),
    )
    points = [p for s in daily_series for p in s.data or []]
    totals = _totals(by_source, voicemail)
    company_groups = (
        _groups(by_company)
        if by_company is not None
        else [Group(key=company.name or company.id, **_group_counts(totals))]
    )
    return CallReport(
        title=title,
        scope=(company.name or company.id) if company is not None else "All companies",
        company_id=company_id,
        start_date=start,
        end_date=end,
        previous_start_date=prev_start,
        previous_end_date=prev_end,
        time_zone=by_source.time_zone or "",
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        data_source="api",
        requests=plan.total,
        totals=totals,
        days=_days(points, start, end),
        previous_days=_days(points, prev_start, prev_end),
        by_source=_groups(by_source),
        by_company=company_groups,
        busiest_hours=_heatmap(p for s in hourly_series for p in s.data or []),
        tracking_numbers=_tracking_numbers(trackers[0], per_tracker),
        tags=_tag_counts(tag_names, per_tag),
    )


async def _items_and_pages(paginator: Any) -> tuple[list[Any], int]:
    """All items of a list, and the pages (requests) it took."""
    items: list[Any] = []
    pages = 0
    async for page in paginator.pages():
        pages += 1
        items.extend(page.items)
    return items, pages


async def _none() -> None:
    return None


async def _gather(*works: Awaitable[Any]) -> list[Any]:
    """Run concurrently; on the first error cancel the rest and raise that error alone."""
    tasks = [asyncio.ensure_future(w) for w in works]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


class _Counts(msgspec.Struct, frozen=True):
    calls: int
    answered: int
    first_time_callers: int
    leads: int


def _metrics(m: SummaryMetrics | None) -> _Counts:
    if m is None:
        return _Counts(0, 0, 0, 0)
    return _Counts(
        m.total_calls or 0, m.answered_calls or 0, m.first_time_callers or 0, m.leads or 0
    )


def _group_counts(c: _Counts | Totals) -> dict[str, int]:
    return {
        "calls": c.calls,
        "answered": c.answered,
        "first_time_callers": c.first_time_callers,
        "leads": c.leads,
    }


def _totals(summary: CallSummary, voicemail: CallSummary) -> Totals:
    counts = _metrics(summary.total_results)
    voicemails = _metrics(voicemail.total_results).calls
    average = summary.total_results.average_duration if summary.total_results else None
    return Totals(
        **_group_counts(counts),
        missed=max(0, counts.calls - counts.answered - voicemails),
        voicemail=voicemails,
        average_duration=float(average or 0),
    )


def _groups(summary: CallSummary) -> list[Group]:
    groups = [
        Group(key=g.key or "(none)", **_group_counts(_metrics(g)))
        for g in summary.grouped_results or []
    ]
    return sorted(groups, key=lambda g: (-g.calls, g.key))


def _period(
    summary: CallSummary,
    date_range: DateRange | None,
    start: dt.date | None,
    end: dt.date | None,
) -> tuple[dt.date, dt.date]:
    """The report's days: as CallRail resolved them, else as asked (or read locally)."""
    if summary.start_date is not None and summary.end_date is not None:
        return summary.start_date.date(), summary.end_date.date()
    if date_range is None:
        today = dt.date.today()
        return start or (end or today) - dt.timedelta(days=29), end or today
    if date_range == "all_time":
        raise InvalidArgumentError(
            "date_range: CallRail's answer to all_time has no dates; give start_date/end_date"
        )
    return preset_days(date_range, dt.date.today())


def _days(points: list[TimeseriesPoint], start: dt.date, end: dt.date) -> list[Day]:
    by_date = {p.date[:10]: p for p in points if p.date}
    days = []
    for n in range((end - start).days + 1):
        day = start + dt.timedelta(days=n)
        c = _metrics(by_date.get(day.isoformat()))
        days.append(Day(date=day, **_group_counts(c)))
    return days


def _heatmap(points: Any) -> list[list[int]]:
    grid = [[0] * 24 for _ in range(7)]
    for point in points:
        moment = parse_timestamp(point.date or "")
        if moment is not None:
            grid[moment.weekday()][moment.hour] += point.total_calls or 0
    return grid


def _tracking_numbers(trackers: list[Any], results: list[CallSummary]) -> list[TrackingNumber]:
    rows = []
    for tracker, result in zip(trackers, results, strict=True):
        c = _metrics(result.total_results)
        if c.calls:
            numbers = tracker.tracking_numbers or []
            rows.append(
                TrackingNumber(
                    number=numbers[0] if numbers else tracker.id,
                    name=tracker.name,
                    calls=c.calls,
                    answered=c.answered,
                    leads=c.leads,
                )
            )
    return sorted(rows, key=lambda r: (-r.calls, r.number))


def _tag_counts(names: list[str], results: list[CallSummary]) -> list[TagCount]:
    counts = [
        TagCount(name=n, calls=_metrics(s.total_results).calls)
        for n, s in zip(names, results, strict=True)
    ]
    return sorted((c for c in counts if c.calls), key=lambda t: (-t.calls, t.name))
