"""Date windows: splitting CallRail's 25-month retention into ranges the API serves well."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SECOND = "%Y-%m-%dT%H:%M:%S"


def _moment(value: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC)
    return dt.datetime.combine(value, dt.time(), dt.UTC)


def _text(value: dt.date | dt.datetime) -> str:
    return (
        value.astimezone(dt.UTC).strftime(SECOND)
        if isinstance(value, dt.datetime)
        else (value.isoformat())
    )


@dataclass(frozen=True)
class DateWindow:
    """A range of calls by start time, in UTC.

    ``start`` is a day (from 00:00) or a second; ``end`` is a day (through 23:59:59) or a
    second, inclusive as CallRail reads it. With ``exclusive_end`` the calls of the ``end``
    second itself belong to the next window (which starts at that second): adjacent windows
    then share no call and lose none, whatever CallRail does with fractions of a second.
    """

    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    exclusive_end: bool = False

    def params(self) -> dict[str, str]:
        """``start_date``/``end_date``/``time_zone`` query values for CallRail."""
        return {"start_date": _text(self.start), "end_date": _text(self.end), "time_zone": "UTC"}

    def key(self) -> dict[str, str]:
        """What a checkpoint needs to rebuild the window."""
        return {**self.params(), **({"exclusive_end": "1"} if self.exclusive_end else {})}

    @property
    def stop(self) -> str:
        """The first second (UTC) after this window: records from there on are not its own
        (the next window's, or records a server should not have listed here)."""
        if self.exclusive_end:
            return _text(self.end)
        if isinstance(self.end, dt.datetime):
            return _text(self.end + dt.timedelta(seconds=1))
        return _text(_moment(self.end + dt.timedelta(days=1)))

    @property
    def listed_until(self) -> str:
        """The first second (UTC) after what CallRail lists for this window: its ``end``
        second is listed even when the window excludes it."""
        if self.exclusive_end and isinstance(self.end, dt.datetime):
            return _text(self.end + dt.timedelta(seconds=1))
        return self.stop

    @property
    def bounds(self) -> tuple[str, str]:
        """The first and last second (UTC) a listing of this window may hold: CallRail
        lists the ``end`` second itself even when the window excludes it."""
        last = (
            self.end
            if isinstance(self.end, dt.datetime)
            else (_moment(self.end + dt.timedelta(days=1)) - dt.timedelta(seconds=1))
        )
        return _moment(self.start).strftime(SECOND), _moment(last).strftime(SECOND)

    def split(self, parts: int = 2) -> list[DateWindow] | None:
        """Up to ``parts`` consecutive windows: whole days while the window spans enough of
        them, else equal stretches of time. None when it cannot be split further."""
        whole_days = not isinstance(self.start, dt.datetime) and not self.exclusive_end
        last_day = self.end.date() if isinstance(self.end, dt.datetime) else self.end
        days = (last_day - _moment(self.start).date()).days + 1
        if whole_days and days >= 2:
            return self._split_days(min(parts, days), days)
        begin = _moment(self.start)
        finish = (
            _moment(self.end)
            if isinstance(self.end, dt.datetime)
            else (_moment(self.end) + dt.timedelta(days=1))
        )
        seconds = int((finish - begin).total_seconds())
        parts = min(parts, seconds)
        if parts < 2:
            return None
        marks = [begin + dt.timedelta(seconds=seconds * n // parts) for n in range(parts)]
        starts: list[dt.date | dt.datetime] = [self.start, *marks[1:]]  # keep the first as given
        pieces = [
            DateWindow(a, b, exclusive_end=True) for a, b in zip(starts, marks[1:], strict=False)
        ]
        return [*pieces, DateWindow(starts[-1], self.end, self.exclusive_end)]

    def _split_days(self, parts: int, days: int) -> list[DateWindow]:
        windows = []
        start = _moment(self.start).date()
        for n in range(parts):
            length = days // parts + (1 if n < days % parts else 0)
            last = start + dt.timedelta(days=length - 1)
            windows.append(DateWindow(start, self.end if n == parts - 1 else last))
            start = last + dt.timedelta(days=1)
        return windows

    def __str__(self) -> str:
        end = f"{_text(self.end)}{')' if self.exclusive_end else ']'}"
        return f"[{_text(self.start)}..{end}"


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
