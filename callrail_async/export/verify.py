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
ids are not. That costs about as many requests as the walk, so ``verify="counts"`` lists
again only the windows whose days do not add up (the output's calls per UTC day against
CallRail's fresh daily counts), and the last, partial day: cheap, but then the export is
*reconciled by counts*, never *verified*.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import msgspec

from . import checkpoint as ckpt
from .days import day_runs, fresh_counts
from .options import ExportOptions
from .plan import Plan
from .records import first_beyond, idents_of
from .report import Verification
from .walk import walk_slice

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


@dataclass
class Verifier:
    """Checks the slices of a plan against fresh listings once every walk is over;
    ``append`` writes what it finds missing, ``listed`` hears of each page it lists."""

    client: CallRail
    options: ExportOptions
    plan: Plan
    append: Append
    listed: Listed

    async def verify(
        self, held: set[str], file_days: Mapping[dt.date, int] | None = None
    ) -> Verification:
        """Check every slice; ``held`` is every id in the output (it gains the ids written
        meanwhile). With ``verify="counts"`` and ``file_days`` (the output's calls per UTC
        day), runs of whole days whose count equals CallRail's are not listed again."""
        o = self.options
        result = Verification(method=o.verify)
        runs = day_runs(self.plan)
        counts = await fresh_counts(self.client, runs, o.company_id, o.concurrency)
        by_counts: set[int] = set()
        if o.verify == "counts" and counts is not None and file_days is not None:
            for run in runs:
                if run.whole and run.total(counts) == run.total(file_days):
                    by_counts.update(s.id for s in run.slices)
                    result.by_counts += run.total(counts)
        to_list = [s for s in self.plan.state.slices if s.id not in by_counts]
        slots = asyncio.Semaphore(o.concurrency)

        async def check(saved: ckpt.SliceState) -> _Listing:
            async with slots:
                return await self._check(saved, held, result)

        found = await asyncio.gather(*(check(s) for s in to_list))
        listings = dict(zip((s.id for s in to_list), found, strict=True))
        agree: dict[int, bool] = {}
        for run in runs if counts is not None else []:
            if run.whole and all(s.id in listings for s in run.slices):
                fresh = run.total(counts or {})
                ok = fresh == sum(len(listings[s.id].ids) for s in run.slices)
                agree.update({s.id: ok for s in run.slices})
        for saved in to_list:
            if not listings[saved.id].consistent or agree.get(saved.id) is False:
                result.unreconciled.append(self.plan.slices[saved.id].label)
        result.counted = len(by_counts) + sum(1 for ok in agree.values() if ok)
        expected: set[str] = set().union(*(listing.expected for listing in found))
        result.listed = len(expected)
        result.present = len(expected & held)
        if not by_counts:  # ids no longer listed: only known when every slice was listed
            result.vanished = len(held - set().union(*(listing.ids for listing in found)))
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
