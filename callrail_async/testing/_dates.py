"""How the sandbox reads CallRail's date filters, relative to its (injectable) "now"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

RETENTION_MONTHS = 25
RETENTION_ERROR = (
    "The requested date range is outside of the 25 month data retention period. "
    "Please revise your date range."
)
DATE_RANGES = frozenset(
    {
        "recent",
        "today",
        "yesterday",
        "last_7_days",
        "last_30_days",
        "this_month",
        "last_month",
        "this_year",
        "last_year",
        "all_time",
    }
)


class DateError(ValueError):
    """An invalid or out-of-retention date filter (the sandbox answers 400)."""


def zone_for(name: str | None, default: str) -> ZoneInfo:
    """The time zone of ``time_zone=`` (IANA name, or ``user`` for the account's)."""
    if not name or name == "user":
        return ZoneInfo(default)
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise DateError(f"Invalid time zone: {name}") from None


def months_back(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier (clamped to the month's end)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def retention_start(now: float, zone: ZoneInfo) -> float:
    """The oldest instant CallRail still keeps."""
    today = dt.datetime.fromtimestamp(now, zone).date()
    return dt.datetime.combine(months_back(today, RETENTION_MONTHS), dt.time(), zone).timestamp()


def _parse(value: str, zone: ZoneInfo, *, end: bool) -> float:
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            moment = dt.datetime.combine(day, dt.time(23, 59, 59, 999_999) if end else dt.time())
        else:
            moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise DateError(f"Invalid date: {value}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.timestamp()


def resolve(
    params: Mapping[str, str], now: float, default_zone: str
) -> tuple[float, float, ZoneInfo]:
    """``(start, end, zone)`` of a request's date filters; ``recent`` when none is given."""
    zone = zone_for(params.get("time_zone"), default_zone)
    oldest = retention_start(now, zone)
    start_text, end_text = params.get("start_date"), params.get("end_date")
    if start_text or end_text:
        start = _parse(start_text, zone, end=False) if start_text else oldest
        end = _parse(end_text, zone, end=True) if end_text else now
        if end < start:
            raise DateError("end_date must be after start_date")
        if start < oldest:
            raise DateError(RETENTION_ERROR)
        return start, end, zone
    preset = params.get("date_range") or "recent"
    if preset not in DATE_RANGES:
        raise DateError(f"Invalid date_range: {preset}")
    if preset == "all_time":
        raise DateError(RETENTION_ERROR)
    local_now = dt.datetime.fromtimestamp(now, zone)
    today = local_now.date()

    def day_start(day: dt.date) -> float:
        return dt.datetime.combine(day, dt.time(), zone).timestamp()

    def day_end(day: dt.date) -> float:
        return dt.datetime.combine(day, dt.time(23, 59, 59, 999_999), zone).timestamp()

    yesterday = today - dt.timedelta(days=1)
    if preset == "recent":
        return day_start(today - dt.timedelta(days=6)), day_end(today), zone
    if preset == "today":
        return day_start(today), day_end(today), zone
    if preset == "yesterday":
        return day_start(yesterday), day_end(yesterday), zone
    if preset == "last_7_days":
        return day_start(today - dt.timedelta(days=7)), day_end(yesterday), zone
    if preset == "last_30_days":
        return day_start(today - dt.timedelta(days=30)), day_end(yesterday), zone
    if preset == "this_month":
        return day_start(today.replace(day=1)), day_end(today), zone
    if preset == "last_month":
        first = months_back(today.replace(day=1), 1)
        return day_start(first), day_end(today.replace(day=1) - dt.timedelta(days=1)), zone
    if preset == "this_year":
        return day_start(today.replace(month=1, day=1)), day_end(today), zone
    # last_year
    start = max(oldest, day_start(dt.date(today.year - 1, 1, 1)))
    return start, day_end(dt.date(today.year - 1, 12, 31)), zone


def offset_no_colon(moment: dt.datetime) -> str:
    """``2016-10-10T00:00:00-0000``, the format of summary and timeseries dates."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S%z").replace("+0000", "-0000")
