"""The call report as typed data: what both data sources produce and the renderer draws."""

from __future__ import annotations

import datetime as dt
from typing import Literal

import msgspec

__all__ = [
    "CallReport",
    "Day",
    "Group",
    "TagCount",
    "Totals",
    "TrackingNumber",
    "to_json",
]


class Totals(msgspec.Struct, frozen=True, kw_only=True):
    """Headline figures of a period.

    ``missed`` counts unanswered calls that left no voicemail, so
    ``answered + missed + voicemail == calls``.
    """

    calls: int
    answered: int
    missed: int
    voicemail: int
    first_time_callers: int
    leads: int
    average_duration: float
    """Seconds, over the calls that have a duration."""


class Day(msgspec.Struct, frozen=True, kw_only=True):
    """Calls of one day (in the report's time zone)."""

    date: dt.date
    calls: int
    answered: int
    first_time_callers: int
    leads: int


class Group(msgspec.Struct, frozen=True, kw_only=True):
    """Calls of one source or company."""

    key: str
    calls: int
    answered: int
    first_time_callers: int
    leads: int


class TrackingNumber(msgspec.Struct, frozen=True, kw_only=True):
    """Calls to one tracking number (a tracker's first number, from the API)."""

    number: str
    name: str | None
    calls: int
    answered: int
    leads: int


class TagCount(msgspec.Struct, frozen=True, kw_only=True):
    """Calls carrying one tag (a call with two tags counts for both)."""

    name: str
    calls: int


class CallReport(msgspec.Struct, frozen=True, kw_only=True):
    """Everything the report shows, for ``start_date``..``end_date`` (inclusive).

    ``previous_days`` is the period of the same length just before, day by day, so
    ``previous_days[i]`` is ``len(days)`` days before ``days[i]``. ``busiest_hours[w][h]``
    counts the calls of weekday ``w`` (0 = Monday) in hour ``h`` (local time).
    """

    title: str
    scope: str
    """What the report covers: a company's name, or "All companies"."""
    company_id: str | None
    start_date: dt.date
    end_date: dt.date
    previous_start_date: dt.date
    previous_end_date: dt.date
    time_zone: str
    generated_at: dt.datetime
    data_source: Literal["api", "duckdb"]
    requests: int
    """API requests the report cost (0 from a database)."""
    totals: Totals
    days: list[Day]
    previous_days: list[Day]
    by_source: list[Group]
    by_company: list[Group]
    busiest_hours: list[list[int]]
    tracking_numbers: list[TrackingNumber]
    tags: list[TagCount]

    @property
    def previous_calls(self) -> int:
        """Calls of the previous period."""
        return sum(day.calls for day in self.previous_days)


def to_json(report: CallReport) -> bytes:
    """The report as JSON (dates as ISO 8601), for other tools."""
    return msgspec.json.format(msgspec.json.encode(report), indent=2)
