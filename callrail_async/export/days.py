"""Call windows by the UTC days they cover, and CallRail's fresh counts of those days.

Windows are grouped into *runs* sharing days (a busy day split into hours is one run), so
a run's calls can be compared with CallRail's daily counts (the time series: one request
per 200 days) as a whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import CallRailError
from . import checkpoint as ckpt
from .plan import Plan
from .planner import daily_counts
from .windows import DateWindow

if TYPE_CHECKING:
    from ..client import CallRail


@dataclass
class DayRun:
    """Consecutive call windows sharing UTC days, ``first`` through ``last``. ``whole``:
    every one of those days lies inside the exported range (the last day of a range
    pinned at "now" does not)."""

    slices: list[ckpt.SliceState]
    first: dt.date
    last: dt.date
    whole: bool

    def total(self, per_day: Mapping[dt.date, int]) -> int:
        """The sum of ``per_day`` over this run's days."""
        return sum(n for day, n in per_day.items() if self.first <= day <= self.last)


def day_runs(plan: Plan) -> list[DayRun]:
    """The runs of a calls export by date windows (none for other exports)."""
    slices = plan.state.slices
    windows = {s.id: plan.slices[s.id].window for s in slices}
    if not slices or any(w is None for w in windows.values()):
        return []
    covered = plan.state.covered_end
    runs: list[DayRun] = []
    for saved in slices:
        first, last = _first_day(windows[saved.id]), _last_day(windows[saved.id])
        if runs and first <= runs[-1].last:
            runs[-1].slices.append(saved)
            runs[-1].last = max(last, runs[-1].last)
        else:
            runs.append(DayRun([saved], first, last, True))
    for run in runs:
        run.whole = covered is None or _day_end(run.last) <= covered
    return runs


async def fresh_counts(
    client: CallRail, runs: list[DayRun], company_id: str | None, concurrency: int
) -> dict[dt.date, int] | None:
    """CallRail's daily counts over the runs' days, or None when it will not give them."""
    if not runs:
        return None
    try:
        return await daily_counts(client, runs[0].first, runs[-1].last, company_id, concurrency)
    except CallRailError:
        return None


def _day_end(day: dt.date) -> float:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), dt.UTC).timestamp()


def _first_day(window: DateWindow | None) -> dt.date:
    assert window is not None
    start = window.start
    return start.astimezone(dt.UTC).date() if isinstance(start, dt.datetime) else start


def _last_day(window: DateWindow | None) -> dt.date:
    assert window is not None
    end = window.end
    if isinstance(end, dt.datetime):
        # An exclusive end at midnight belongs to the next day's window.
        moment = end.astimezone(dt.UTC) - (
            dt.timedelta(seconds=1) if window.exclusive_end else dt.timedelta(0)
        )
        return moment.date()
    return end
