"""Date windows: splitting CallRail's 25-month retention into ranges the API serves well."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

RETENTION_MONTHS = 25


@dataclass(frozen=True)
class DateWindow:
    """An inclusive range of calls by start time, in UTC.

    ``start`` is a day (00:00 UTC); ``end`` is either a day (through 23:59:59) or, for the
    window that reaches the export's pinned end, a datetime.
    """

    start: dt.date
    end: dt.date | dt.datetime

    def params(self) -> dict[str, str]:
        """``start_date``/``end_date``/``time_zone`` query values for CallRail."""
        end = self.end
        end_text = (
            end.strftime("%Y-%m-%dT%H:%M:%S") if isinstance(end, dt.datetime) else end.isoformat()
        )
        return {"start_date": self.start.isoformat(), "end_date": end_text, "time_zone": "UTC"}

    @property
    def last_day(self) -> dt.date:
        """The last day the window covers."""
        return self.end.date() if isinstance(self.end, dt.datetime) else self.end

    def split(self) -> tuple[DateWindow, DateWindow] | None:
        """Two halves by day, or None for a single day."""
        days = (self.last_day - self.start).days
        if days < 1:
            return None
        middle = self.start + dt.timedelta(days=days // 2)
        return DateWindow(self.start, middle), DateWindow(middle + dt.timedelta(days=1), self.end)

    def __str__(self) -> str:
        return f"{self.params()['start_date']}..{self.params()['end_date']}"


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


def monthly_windows(start: dt.date, end: dt.datetime | dt.date) -> list[DateWindow]:
    """Consecutive, non-overlapping windows of at most a calendar month from start to end."""
    last_day = end.date() if isinstance(end, dt.datetime) else end
    if last_day < start:
        raise ValueError(f"end ({last_day}) is before start ({start})")
    windows = []
    cursor = start
    while cursor <= last_day:
        next_month = (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        if next_month > last_day:
            windows.append(DateWindow(cursor, end))
            break
        windows.append(DateWindow(cursor, next_month - dt.timedelta(days=1)))
        cursor = next_month
    return windows


def check_in_retention(start: dt.date, now: dt.datetime) -> None:
    """Refuse, before any request, a range CallRail has already deleted."""
    oldest = retention_start(now)
    if start < oldest:
        raise ValueError(
            f"start date {start} is outside CallRail's {RETENTION_MONTHS}-month retention "
            f"(the oldest day still kept is {oldest}); CallRail would refuse the request"
        )
