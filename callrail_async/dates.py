"""Date ranges the API accepts: CallRail's 25-month retention and the time series' 200 points.

``check_retention`` refuses, before any request, a range CallRail has already deleted;
``timeseries_windows`` splits a long range into consecutive windows of at most 200 buckets.
"""

from __future__ import annotations

import datetime as dt

from ._validate import shown
from .errors import InvalidArgumentError

__all__ = [
    "MAX_POINTS",
    "RETENTION_MONTHS",
    "check_retention",
    "months_back",
    "retention_start",
    "timeseries_windows",
]

MAX_POINTS = 200
RETENTION_MONTHS = 25
_DAYS = {"day": 1, "week": 7}


def months_back(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` earlier (clamped to the month's end)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def retention_start(now: dt.datetime) -> dt.date:
    """The oldest whole day CallRail still keeps (one day of margin inside 25 months)."""
    return months_back(now.astimezone(dt.UTC).date(), RETENTION_MONTHS) + dt.timedelta(days=1)


def check_retention(start: dt.date, now: dt.datetime | None = None) -> None:
    """Raise :class:`InvalidArgumentError` if ``start`` is older than CallRail keeps data
    (25 months)."""
    _date("start", start)
    now = now or dt.datetime.now(dt.UTC)
    oldest = retention_start(now)
    if start < oldest:
        raise InvalidArgumentError(
            f"start_date {start} is outside CallRail's {RETENTION_MONTHS}-month retention "
            f"(the oldest day still kept is {oldest}); CallRail would refuse the request"
        )


def timeseries_windows(
    start: dt.date, end: dt.date, interval: str = "day", *, now: dt.datetime | None = None
) -> list[tuple[dt.date, dt.date]]:
    """Consecutive ``(start, end)`` day ranges (inclusive) covering ``start``..``end``, each
    within the time series' 200 points for ``interval`` (hour, day, week, month, year)."""
    _date("start", start)
    _date("end", end)
    if end < start:
        raise InvalidArgumentError(f"end ({end}) is before start ({start})")
    check_retention(start, now)
    if interval == "hour":
        span = dt.timedelta(hours=MAX_POINTS) // dt.timedelta(days=1)  # 8 whole days
    elif interval in _DAYS:
        span = MAX_POINTS * _DAYS[interval]
    elif interval in ("month", "year"):
        return [(start, end)]  # 25 months of retention is well under 200 points
    else:
        raise InvalidArgumentError(
            f"interval must be one of hour, day, week, month, year; got {shown(interval)}"
        )
    windows = []
    cursor = start
    while cursor <= end:
        last = min(end, cursor + dt.timedelta(days=span - 1))
        windows.append((cursor, last))
        cursor = last + dt.timedelta(days=1)
    return windows


def _date(name: str, value: object) -> None:
    if not isinstance(value, dt.date):
        raise InvalidArgumentError(
            f"{name} must be a datetime.date, got a value of type {type(value).__name__}"
        )
