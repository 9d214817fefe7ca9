"""Verification: what was written compared with what CallRail lists after the walk."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import msgspec

from ..errors import CallRailError
from . import checkpoint as ckpt
from .formats import jsonl_lines
from .options import ExportOptions
from .output import Output
from .plan import Plan
from .planner import daily_counts
from .records import idents_of, ids_in
from .slicework import SliceWork, admit
from .walk import walk_slice
from .windows import DateWindow

if TYPE_CHECKING:
    from ..client import CallRail

VERIFY_ATTEMPTS = 3

Write = Callable[[SliceWork, list[msgspec.Raw]], Awaitable[None]]


class Verifier:
    """Checks each slice of a plan once its walk is over."""

    def __init__(
        self,
        client: CallRail,
        options: ExportOptions,
        plan: Plan,
        output: Output,
        lock: asyncio.Lock,
        write: Write,
    ) -> None:
        self.client = client
        self.options = options
        self.plan = plan
        self.output = output
        self.lock = lock
        self.write = write

    async def rescan(self, work: SliceWork) -> None:
        """Compare what was seen with a fresh total; rescan the slice while they disagree.

        A record hidden meanwhile (marked spam) shifts later pages back, so a page walk can
        skip one: the rescan writes what was missed and counts what vanished.
        """
        window, seen = work.state, work.seen
        for _ in range(VERIFY_ATTEMPTS):
            fresh = await work.source.listing(1, 1)
            total = fresh.total_records if fresh.total_records is not None else len(seen)
            window.total_records = total
            if total == len(seen):
                return
            window.rescans += 1
            present: set[str] = set()
            async for page, _, _ in walk_slice(work.source, per_page=self.options.per_page):
                present.update(ident.key for ident in idents_of(page.items))
                missed = work.admit(page.items, self.plan.incremental)
                if missed:
                    await self.write(work, missed)
            gone = seen - present
            window.vanished += len(gone)
            seen -= gone
        window.unreconciled = True

    async def final_check(self) -> None:
        """After every slice: its records compared with a fresh ``total_records``.

        Walked by start time, a window cannot skip a record, so a drop means records were
        hidden after they were written (counted as vanished), and a rise means records
        arrived late: the window is re-scanned and they are appended.
        """
        limit = asyncio.Semaphore(self.options.concurrency)

        async def check(window: ckpt.SliceState) -> None:
            async with limit:
                fresh = await self.plan.slices[window.id].listing(1, 1)
            if fresh.total_records is None:
                return
            known = window.written + window.skipped + window.beyond - window.vanished
            if fresh.total_records < known:
                window.vanished += known - fresh.total_records
            elif fresh.total_records > known:
                await self._recover_late(window)
            window.total_records = fresh.total_records

        unsettled = await self._settled_by_daily_counts()
        async with asyncio.TaskGroup() as group:
            for window in unsettled:
                group.create_task(check(window))

    async def _settled_by_daily_counts(self) -> list[ckpt.SliceState]:
        """Check call windows against fresh daily counts (one request per 200 days instead of
        one per window); returns the windows that need a check of their own."""
        windows = self.plan.state.slices
        days = {w.id: self.plan.slices[w.id].window for w in windows}
        dated = [w for w in windows if days[w.id] is not None]
        if not dated or len(dated) != len(windows):
            return list(windows)
        first = _first_day(days[dated[0].id])
        last = _last_day(days[dated[-1].id])
        try:
            counts = await daily_counts(
                self.client, first, last, self.options.company_id, self.options.concurrency
            )
        except CallRailError:
            return list(windows)
        unsettled: list[ckpt.SliceState] = []
        group: list[ckpt.SliceState] = []

        def settle() -> None:
            span = (_first_day(days[group[0].id]), _last_day(days[group[-1].id]))
            fresh = sum(n for day, n in counts.items() if span[0] <= day <= span[1])
            known = sum(w.written + w.skipped - w.vanished for w in group)
            if fresh != known:
                unsettled.extend(group)
            group.clear()

        for window in windows:
            if group and _first_day(days[window.id]) > _last_day(days[group[-1].id]):
                settle()
            group.append(window)
        settle()
        return unsettled

    async def _recover_late(self, window: ckpt.SliceState) -> None:
        output = self.output
        if output.jsonl is None or output.sink is None:
            window.unreconciled = True
            return
        seen = ids_in(output.jsonl, window.output_start, window.output_end)
        source = self.plan.slices[window.id]
        late: list[msgspec.Raw] = []
        async for page, _, _ in walk_slice(source, per_page=self.options.per_page):
            late += admit(page.items, seen, window, source.stop, self.plan.incremental)
        if late:
            async with self.lock:
                window.written += len(late)
                self.plan.state.records += len(late)
                output.append_output(self.plan.state, jsonl_lines(late))


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
