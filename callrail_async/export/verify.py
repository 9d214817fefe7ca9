"""Verification: after the walk, every slice is listed afresh and compared id by id.

For each slice, CallRail's listing is walked again once every slice has been walked (so
the check is later than any write), and its ids are compared with the ids in the output:

- an id listed now but not in the file (a late call, or one a walk missed) is written
  (unless the last ``--since-last`` run exported it);
- an id in the file but no longer listed was hidden after it was written (``vanished``);
- the fresh walk must agree with its own ``total_records`` (else it is walked again, up to
  three times: records were hidden or added while it ran);
- a call window's listing must hold only calls of the range it asked for (a listing
  reading the dates in another zone sends calls from outside it, and keeps calls of the
  range from every window: ids alone cannot see those, daily counts may be unavailable);
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
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import msgspec

from . import checkpoint as ckpt
from .days import day_runs, fresh_counts
from .options import ExportOptions
from .plan import Plan
from .records import Ident, first_beyond, idents_of, utc_second
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
    """One fresh walk of a slice, in figures (ids are not kept: memory stays flat)."""

    ids: int = 0
    """Distinct ids the walk listed in the slice."""
    expected: int = 0
    """Of those, the ids the output must hold (not exported by the last run)."""
    present: int = 0
    """Of those, how many are in the output (before, or written by the check)."""
    consistent: bool = False
    outside: int = 0
    """Pages holding records outside the window's range (CallRail read the dates
    differently)."""


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
        unlisted = set(held)  # ids in the output no fresh walk has listed (yet)

        async def check(saved: ckpt.SliceState) -> _Listing:
            async with slots:
                return await self._check(saved, held, unlisted, result)

        found = await asyncio.gather(*(check(s) for s in to_list))
        listings = dict(zip((s.id for s in to_list), found, strict=True))
        agree: dict[int, bool] = {}
        for run in runs if counts is not None else []:
            if run.whole and all(s.id in listings for s in run.slices):
                fresh = run.total(counts or {})
                ok = fresh == sum(listings[s.id].ids for s in run.slices)
                agree.update({s.id: ok for s in run.slices})
        for saved in to_list:
            listing = listings[saved.id]
            result.outside += listing.outside
            if not listing.consistent or listing.outside or agree.get(saved.id) is False:
                result.unreconciled.append(self.plan.slices[saved.id].label)
        result.counted = len(by_counts) + sum(1 for ok in agree.values() if ok)
        result.listed = sum(listing.expected for listing in found)
        result.present = sum(listing.present for listing in found)
        if not by_counts:  # ids no longer listed: only known when every slice was listed
            result.vanished = len(unlisted)
        return result

    async def _check(
        self, saved: ckpt.SliceState, held: set[str], unlisted: set[str], result: Verification
    ) -> _Listing:
        """Walk a slice afresh (again, up to :data:`ATTEMPTS` times, while the walk does not
        agree with its own total) and write what the output lacks."""
        source = self.plan.slices[saved.id]
        incremental = self.plan.incremental
        bounds = source.window.bounds if source.window is not None else None
        listing = _Listing()
        for attempt in range(ATTEMPTS):
            result.rewalks += 1 if attempt else 0
            listing, seen, beyond, total = _Listing(), set[str](), set[str](), None
            missing: list[msgspec.Raw] = []
            # Through the end second (the next window's calls, counted in the total: a walk
            # cut short there cannot be compared), never past what the window asked for.
            until = source.window.listed_until if source.window is not None else None
            whole = replace(source, stop=until)
            async for page, _, _ in walk_slice(whole, per_page=self.options.per_page):
                total = page.total_records if total is None else total
                self.listed(len(page.items))
                idents = idents_of(page.items)
                listing.outside += _outside(idents, bounds)
                cut = first_beyond(idents, source.stop)
                beyond.update(i.key for i in idents[cut:])  # a set: pages may repeat
                for raw, ident in zip(page.items[:cut], idents[:cut], strict=True):
                    if ident.key in seen:
                        continue
                    seen.add(ident.key)
                    unlisted.discard(ident.key)
                    if incremental is not None and incremental.exported_before(ident):
                        continue
                    listing.expected += 1
                    if ident.key in held:
                        listing.present += 1
                    else:
                        held.add(ident.key)  # once, even if another slice lists it too
                        missing.append(raw)
            if missing:
                await self.append(missing)
                listing.present += len(missing)
                result.added += len(missing)
            listing.ids = len(seen)
            listing.consistent = total is None or total == len(seen) + len(beyond)
            if listing.consistent:
                break
        return listing


def _outside(idents: list[Ident], bounds: tuple[str, str] | None) -> int:
    """1 if a page (oldest first) holds records outside ``bounds`` (first and last
    second), else 0: its first and last record tell."""
    if bounds is None or not idents:
        return 0
    first, last = utc_second(idents[0]), utc_second(idents[-1])
    return int((first is not None and first < bounds[0]) or (last is not None and last > bounds[1]))
