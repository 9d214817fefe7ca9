"""Report periods: CallRail's date presets as days, and the period before a period."""

from __future__ import annotations

import datetime as dt

from ..dates import months_back
from ..enums import DATE_RANGES, DateRange
from ..errors import InvalidArgumentError

__all__ = ["preset_days", "previous_period"]


def preset_days(preset: DateRange, today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day (inclusive) of a CallRail date preset, as CallRail reads it.

    ``all_time`` has no fixed days; a data source resolves it from its data.
    """
    if preset not in DATE_RANGES:
        raise InvalidArgumentError(f"date_range must be one of {', '.join(sorted(DATE_RANGES))}")
    if preset == "all_time":
        raise InvalidArgumentError("all_time has no fixed days: the data source resolves it")
    yesterday = today - dt.timedelta(days=1)
    first_of_month = today.replace(day=1)
    days: dict[str, tuple[dt.date, dt.date]] = {
        "recent": (today - dt.timedelta(days=6), today),
        "today": (today, today),
        "yesterday": (yesterday, yesterday),
        "last_7_days": (today - dt.timedelta(days=7), yesterday),
        "last_30_days": (today - dt.timedelta(days=30), yesterday),
        "this_month": (first_of_month, today),
        "last_month": (months_back(first_of_month, 1), first_of_month - dt.timedelta(days=1)),
        "this_year": (today.replace(month=1, day=1), today),
        "last_year": (dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
    }
    return days[preset]


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length that ends the day before ``start``."""
    if end < start:
        raise InvalidArgumentError(f"end date {end} is before start date {start}")
    last = start - dt.timedelta(days=1)
    return last - (end - start), last
