"""Date windows the API accepts."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callrail_async.dates import check_retention, retention_start, timeseries_windows
from callrail_async.export.windows import DateWindow

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)


def test_retention_is_25_months() -> None:
    assert retention_start(NOW) == dt.date(2024, 10, 28)
    check_retention(dt.date(2024, 10, 28), NOW)
    with pytest.raises(ValueError, match="25-month retention"):
        check_retention(dt.date(2024, 10, 27), NOW)


@given(
    start=st.integers(min_value=0, max_value=700),
    length=st.integers(min_value=0, max_value=700),
    interval=st.sampled_from(["hour", "day", "week", "month"]),
)
def test_timeseries_windows_cover_without_gaps_and_fit_200_points(
    start: int, length: int, interval: str
) -> None:
    first = retention_start(NOW) + dt.timedelta(days=start)
    last = first + dt.timedelta(days=length)
    windows = timeseries_windows(first, last, interval, now=NOW)
    assert windows[0][0] == first and windows[-1][1] == last
    for (_a, b), (c, _) in itertools.pairwise(windows):
        assert c == b + dt.timedelta(days=1)
    days = {"hour": 1 / 24, "day": 1, "week": 7, "month": 28}[interval]
    assert all(((b - a).days + 1) / days <= 200 + 1 for a, b in windows)


def test_timeseries_windows_refuse_bad_ranges() -> None:
    with pytest.raises(ValueError, match="before"):
        timeseries_windows(dt.date(2026, 2, 1), dt.date(2026, 1, 1), now=NOW)
    with pytest.raises(ValueError, match="retention"):
        timeseries_windows(dt.date(2020, 1, 1), dt.date(2026, 1, 1), now=NOW)
    with pytest.raises(ValueError, match="interval"):
        timeseries_windows(dt.date(2026, 1, 1), dt.date(2026, 1, 2), "fortnight", now=NOW)


@given(
    days=st.integers(min_value=0, max_value=60),
    parts=st.integers(min_value=2, max_value=40),
    pinned=st.booleans(),
)
def test_export_windows_split_without_gap_or_overlap(days: int, parts: int, pinned: bool) -> None:
    start = dt.date(2026, 1, 1)
    end: dt.date | dt.datetime = start + dt.timedelta(days=days)
    if pinned:
        end = dt.datetime.combine(end, dt.time(13, 37, 5), dt.UTC)
    pieces = DateWindow(start, end).split(parts)
    if pieces is None:
        return
    assert len(pieces) <= parts and pieces[0].start == start and pieces[-1].end == end
    for a, b in itertools.pairwise(pieces):
        if a.exclusive_end:  # time pieces: the next starts at this one's exclusive end
            assert b.start == a.end
        else:  # day pieces: the next starts the day after
            assert b.start == a.end + dt.timedelta(days=1)  # type: ignore[operator]
