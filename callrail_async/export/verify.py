"""Verification: after the walk, every slice is listed afresh and compared id by id.

For each slice, CallRail's listing is walked again once every slice has been walked (so
the check is later than any write), and its ids are compared with the ids in the output:

- an id listed now but not in the file (a late call, or one a walk missed) is written
  (unless the last ``--since-last`` run exported it);
- an id in the file but no longer listed was hidden after it was written (``vanished``);
- the fresh walk must agree with its own ``total_records`` (else it is walked again, up to
  three times: records were hidden or added while it ran);
- call windows covering whole UTC days are also compared with CallRail's fresh daily
  counts (the time series), an independent count that catches a listing that reads the
  dates differently from the export.

A slice failing any of these is *unreconciled*; the report names it. Counts alone would be
fooled by changes that cancel out (one call hidden and one late call in the same window);
ids are not.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import msgspec

from ..errors import CallRailError
from . import checkpoint as ckpt
from .options import ExportOptions
from .plan import Plan
from .planner import daily_counts
from .records import first_beyond, idents_of
from .report import Verification
from .walk import walk_slice
from .windows import DateWindow

if TYPE_CHECKING:
    from ..client import CallRail

ATTEMPTS = 3

Append = Callable[[list[msgspec.Raw]], Awaitable[None]]
"""Writes records found missing to the output."""

Listed = Callable[[int], None]
"""Told how many records each page of the check listed (for progress)."""


@dataclass
class _Listing:
    ids: set[str] = field(default_factory=set)
    """Every id the fresh walk listed in the slice."""
    expected: set[str] = field(default_factory=set)
    """Those the output must hold (not exported by the last run)."""
    consistent: bool = False


class Verifier:
    """Checks the slices of a plan against fresh listings once every walk is over."""

    def __init__(
        self, client: CallRail, options: ExportOptions, plan: Plan, append: Append, listed: Listed
    ) -> None:
        self.client = client
        self.options = options
        self.plan = plan
        self.append = append
        self.listed = listed

    async def verify(self, held: set[str]) -> Verification:
        """Compare every slice with a fresh listing; ``held`` is every id in the output
        (it gains the ids written meanwhile)."""
        result = Verification()
        slots = asyncio.Semaphore(self.options.concurrency)
        slices = self.plan.state.slices

        async def check(saved: ckpt.SliceState) -> _Listing:
            async with slots:
                return await self._check(saved, held, result)

        listings = await asyncio.gather(*(check(s) for s in slices))
        by_id = dict(zip((s.id for s in slices), listings, strict=True))
        counted = await self._counted_by_days(by_id)
        every: set[str] = set().union(*(listing.ids for listing in listings))
        expected: set[str] = set().union(*(listing.expected for listing in listings))
        for saved, listing in zip(slices, listings, strict=True):
            if not listing.consistent or counted.get(saved.id) is False:
                result.unreconciled.append(self.plan.slices[saved.id].label)
        result.counted = sum(1 for ok in counted.values() if ok)
        result.listed = len(expected)
        result.present = len(expected & held)
        result.vanished = len(held - every)
        return result

    async def _check(
        self, saved: ckpt.SliceState, held: set[str], result: Verification
    ) -> _Listing:
        source = self.plan.slices[saved.id]
        listing = _Listing()
        for attempt in range(ATTEMPTS):
            if attempt:
                result.rewalks += 1
            listing = _Listing()
            beyond, total = 0, None
            missing: list[msgspec.Raw] = []
            async for page, _, _ in walk_slice(source, per_page=self.options.per_page):
                total = page.total_records if total is None else total
                self.listed(len(page.items))
                idents = idents_of(page.items)
                cut = first_beyond(idents, source.stop)
                beyond += len({i.key for i in idents[cut:]} - listing.ids)
                for raw, ident in zip(page.items[:cut], idents[:cut], strict=True):
                    if ident.key in listing.ids:
                        continue
                    listing.ids.add(ident.key)
                    incremental = self.plan.incremental
                    if incremental is not None and incremental.exported_before(ident):
                        continue
                    listing.expected.add(ident.key)
                    if ident.key not in held:
                        held.add(ident.key)
                        missing.append(raw)
            if missing:
                await self.append(missing)
                result.added += len(missing)
            listing.consistent = total is None or total == len(listing.ids) + beyond
            if listing.consistent:
                break
        return listing

    async def _counted_by_days(self, listings: dict[int, _Listing]) -> dict[int, bool]:
        """Call windows compared with fresh daily counts, by runs of windows sharing days
        (whole UTC days only: the last day of a range pinned at "now" is not whole)."""
        slices = self.plan.state.slices
        days = {s.id: self.plan.slices[s.id].window for s in slices}
        windows = [s for s in slices if days[s.id] is not None]
        if not windows or len(windows) != len(slices):
            return {}
        first, last = _first_day(days[windows[0].id]), _last_day(days[windows[-1].id])
        covered = self.plan.state.covered_end
        try:
            counts = await daily_counts(
                self.client, first, last, self.options.company_id, self.options.concurrency
            )
        except CallRailError:
            return {}
        verdicts: dict[int, bool] = {}
        run: list[ckpt.SliceState] = []

        def settle() -> None:
            span = (_first_day(days[run[0].id]), _last_day(days[run[-1].id]))
            whole = covered is None or _day_end(span[1]) <= covered
            if whole:
                fresh = sum(n for day, n in counts.items() if span[0] <= day <= span[1])
                listed = sum(len(listings[s.id].ids) for s in run)
                verdicts.update({s.id: fresh == listed for s in run})
            run.clear()

        for saved in windows:
            if run and _first_day(days[saved.id]) > _last_day(days[run[-1].id]):
                settle()
            run.append(saved)
        settle()
        return verdicts


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
        moment = end.astimezone(dt.UTC) - (dt.timedelta(seconds=1) if window.exclusive_end else
                                           dt.timedelta(0))  # fmt: skip
        return moment.date()
    return end
