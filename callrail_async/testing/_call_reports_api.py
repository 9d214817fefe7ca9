"""Sandbox handlers for call reports: summary (optionally grouped) and timeseries."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from typing import Any

from aiohttp import web

from . import _dates
from ._call_selection import select_calls
from ._calls import CallStore
from ._context import Ctx, check_choice, json_response
from ._errors import SandboxError

SUMMARY_FIELDS = (
    "total_calls",
    "missed_calls",
    "answered_calls",
    "first_time_callers",
    "average_duration",
    "formatted_average_duration",
    "leads",
)
GROUPS = {
    "source": "source",
    "keywords": "keywords",
    "campaign": "campaign",
    "referrer": "referrer_domain",
    "landing_page": "landing_page_url",
    "company": "company_name",
    "company_id": "company_id",
}


def _metric_fields(ctx: Ctx) -> list[str]:
    names = [f for f in (ctx.params.get("fields") or "total_calls").split(",") if f]
    for name in names:
        check_choice("fields", name, set(SUMMARY_FIELDS))
    return names


def _metrics(calls: list[dict[str, Any]], names: list[str]) -> dict[str, Any]:
    answered = [c for c in calls if c["answered"]]
    average = round(sum(c["duration"] or 0 for c in calls) / len(calls)) if calls else 0
    values = {
        "total_calls": len(calls),
        "missed_calls": len(calls) - len(answered),
        "answered_calls": len(answered),
        "first_time_callers": sum(1 for c in calls if c["first_call"]),
        "average_duration": average,
        "formatted_average_duration": (
            f"{average // 60}m {average % 60}s" if average >= 60 else f"{average}s"
        ),
        "leads": sum(1 for c in calls if c["lead_status"] == "good_lead"),
    }
    return {name: values[name] for name in names}


def _window(ctx: Ctx) -> tuple[list[dict[str, Any]], dt.tzinfo, float, float]:
    indices, zone, start, end = select_calls(ctx, default_desc=False, report=True)
    store = ctx.acct.calls
    return [store.attrs(i) for i in indices], zone, start, end


def _tz_name(zone: dt.tzinfo) -> str:
    return str(zone)


async def summary(ctx: Ctx) -> web.Response:
    """``GET calls/summary.json``, optionally grouped."""
    names = _metric_fields(ctx)
    group_by = ctx.params.get("group_by")
    check_choice("group_by", group_by, set(GROUPS))
    calls, zone, start, end = _window(ctx)
    body: dict[str, Any] = {
        "start_date": _dates.offset_no_colon(dt.datetime.fromtimestamp(start, zone)),
        "end_date": _dates.offset_no_colon(dt.datetime.fromtimestamp(end, zone)),
        "time_zone": _tz_name(zone),
        "total_results": _metrics(calls, names),
    }
    if group_by:
        groups: dict[str, list[dict[str, Any]]] = {}
        for call in calls:
            groups.setdefault(str(call[GROUPS[group_by]] or "(none)"), []).append(call)
        body["grouped_by"] = group_by
        body["grouped_results"] = [
            {"key": key, **_metrics(group, names)}
            for key, group in sorted(groups.items(), key=lambda kv: -len(kv[1]))
        ]
    return json_response(body)


MAX_POINTS = 200


def _bucket(moment: dt.datetime, interval: str) -> dt.datetime:
    if interval == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    return day


def _step(moment: dt.datetime, interval: str) -> dt.datetime:
    if interval == "month":
        return (moment.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if interval == "year":
        return moment.replace(year=moment.year + 1)
    delta = {
        "hour": dt.timedelta(hours=1),
        "day": dt.timedelta(days=1),
        "week": dt.timedelta(weeks=1),
    }[interval]
    return (moment.replace(tzinfo=None) + delta).replace(tzinfo=moment.tzinfo)


async def timeseries(ctx: Ctx) -> web.Response:
    """``GET calls/timeseries.json``: zero-filled buckets, at most 200.

    ``total_calls`` is always there ("available by default"); ``fields=`` adds metrics.
    """
    names = ["total_calls", *(n for n in _metric_fields(ctx) if n != "total_calls")]
    interval = ctx.params.get("interval") or "day"
    check_choice("interval", interval, {"hour", "day", "week", "month", "year"})
    try:
        start, end, zone = _dates.resolve(ctx.params, ctx.now(), ctx.acct.time_zone)
    except _dates.DateError as exc:
        raise SandboxError(400, str(exc)) from None
    first = _bucket(dt.datetime.fromtimestamp(start, zone), interval)
    last = dt.datetime.fromtimestamp(end, zone)
    buckets: list[dt.datetime] = []
    moment = first
    while moment <= last:
        buckets.append(moment)
        if len(buckets) > MAX_POINTS:
            raise SandboxError(400, f"Too many data points requested (maximum {MAX_POINTS})")
        moment = _step(moment, interval)
    if names == ["total_calls"] and not any(k in ctx.query for k in _NEEDS_RECORDS):
        # Counting only: binary searches on the start times, so a million calls cost nothing.
        store = ctx.acct.calls
        edges = [max(b.timestamp(), start) for b in buckets] + [end + 1e-6]
        counts = [_visible_count(store, a, b) for a, b in itertools.pairwise(edges)]
        totals = {"total_calls": sum(counts)}
        rows = [{"total_calls": n} for n in counts]
    else:
        calls, _, start, end = _window(ctx)
        grouped: dict[dt.datetime, list[dict[str, Any]]] = {b: [] for b in buckets}
        for call in calls:
            when = dt.datetime.fromisoformat(call["start_time"]).astimezone(zone)
            grouped.setdefault(_bucket(when, interval), []).append(call)
        totals = _metrics(calls, names)
        rows = [_metrics(grouped[bucket], names) for bucket in buckets]
    data = []
    for bucket, row in zip(buckets, rows, strict=True):
        label = _dates.offset_no_colon(bucket) if interval == "hour" else bucket.date().isoformat()
        data.append({"date": label, **row})
    return json_response(
        {
            "start_date": _dates.offset_no_colon(dt.datetime.fromtimestamp(start, zone)),
            "end_date": _dates.offset_no_colon(last),
            "time_zone": _tz_name(zone),
            "total_results": totals,
            "data": data,
        }
    )


_NEEDS_RECORDS = {
    "company_id",
    "tracker_id",
    "tags",
    "tags[]",
    "search",
    "device",
    "direction",
    "answer_status",
    "lead_status",
    "min_duration",
    "max_duration",
    "first_time_callers",
    "agent",
    "tracker_ids[]",
}


def _visible_count(store: CallStore, start: float, stop: float) -> int:
    """Visible calls with ``start <= start_time < stop``."""
    lo = bisect.bisect_left(store.start_ts, start)
    hi = bisect.bisect_left(store.start_ts, stop)
    hidden = bisect.bisect_left(store.spam, hi) - bisect.bisect_left(store.spam, lo)
    return max(0, hi - lo - hidden)
