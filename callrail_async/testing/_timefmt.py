"""The timestamp formats CallRail uses, one per kind of record."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def utc_millis(ts: float) -> str:
    """``2016-06-06T07:06:01.000Z`` (companies, forms, texts)."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{int(ts * 1000) % 1000:03d}Z"
    )


def utc_seconds(ts: float) -> str:
    """``2011-07-05T19:06:10Z`` (trackers)."""
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def offset_millis(ts: float, zone: str = "America/New_York") -> str:
    """``2017-01-24T11:27:48.119-05:00`` (calls, tags, users)."""
    return dt.datetime.fromtimestamp(ts, ZoneInfo(zone)).isoformat(timespec="milliseconds")


def ruby_time(ts: float, zone: str = "America/New_York") -> str:
    """``2026-02-10 03:43:50 -0500`` (accounts, as the Maton example shows)."""
    return dt.datetime.fromtimestamp(ts, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S %z")
