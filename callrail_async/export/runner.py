"""The export runner: slices fetched concurrently, written losslessly, checkpointed, verified.

The parts: :mod:`.options` (what to export), :mod:`.plan` (the slices, or the checkpoint's),
:mod:`.slicework` (one slice: its part file, seen ids and position), :mod:`.walk` (a slice's
pages), :mod:`.output` (part files, the merge, the checkpoint), :mod:`.verify` (the checks
after the walk) and :mod:`.report`. This module runs them.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import fields, replace
from typing import TYPE_CHECKING

import msgspec

from . import checkpoint as ckpt
from .errors import ExportError, export_error, one_error
from .formats import format_for, jsonl_lines, jsonl_to_csv, jsonl_to_parquet
from .incremental import save_after_run
from .lock import OutputLock
from .options import ExportOptions
from .output import Output
from .plan import Plan, Planner
from .report import ExportReport, Figures, Progress, Verification
from .slices import call_window_slice
from .slicework import SliceWork
from .verify import Verifier
from .walk import walk_slice

if TYPE_CHECKING:
    from ..client import CallRail

__all__ = ["ExportError", "ExportOptions", "ExportReport", "Progress", "export"]


class _Run:
    """One export in motion: the state its slice tasks share."""

    def __init__(self, client: CallRail, options: ExportOptions) -> None:
        self.client = client
        self.options = options
        self.started = time.monotonic()
        self.lock = asyncio.Lock()
        self.format = format_for(options.out, options.format)
        self.output = Output(options.out, self.format)
        self.planner = Planner(client, options, self.output.checkpoint_file)
        self.plan = Plan(ckpt.Checkpoint(resource=options.resource, fingerprint=""))
        self.group: asyncio.TaskGroup | None = None
        self.records_at_start = 0
        self.checked = self.check_pages = 0
        # Call windows are walked one request at a time, so `concurrency` windows run at once;
        # other slices prefetch two pages each.
        self.page_concurrency = 2 if options.concurrency >= 2 else 1
        slots = options.concurrency if options.resource == "calls" else options.concurrency // 2
        self.slots = asyncio.Semaphore(max(1, slots))

    @property
    def state(self) -> ckpt.Checkpoint:
        return self.plan.state

    def work(self, saved: ckpt.SliceState) -> SliceWork:
        return SliceWork(saved, self.plan.slices[saved.id], self.output.part(saved))

    async def run(self) -> ExportReport:
        self.options.validate()
        # The output, and the --since-last state: two runs on one state would export the
        # same calls and the last to save would drop what the other kept.
        files = (self.options.out, self.options.since_last)
        locks = [OutputLock(path) for path in files if path is not None]
        try:
            for lock in locks:
                lock.acquire()
            return await self._run()
        finally:
            for lock in reversed(locks):
                lock.release()

    async def _run(self) -> ExportReport:
        self.plan = await self.planner.plan()
        self.records_at_start = self.state.records
        verifier = Verifier(self.client, self.options, self.plan, self._append_output, self._listed)
        try:
            self.output.prepare(self.state, self.options.resume)
            self.output.save(self.state)
            async with asyncio.TaskGroup() as group:
                self.group = group
                for saved in self.state.slices:
                    if not saved.done:
                        group.create_task(self._run_slice(self.work(saved)))
            await self._merge_ready()
            held, repeated = self.output.ids(self.state)  # flushes the output first
            by_day = self.options.verify == "counts" and self.output.jsonl is not None
            days = self.output.days(self.state) if by_day else None
            verification = await verifier.verify(held, days)
            verification.duplicates = repeated
        except BaseException:
            if not self.options.resume and self.state.pages == 0:
                self.output.remove_all()  # nothing worth resuming: leave nothing behind
            raise
        finally:
            self.output.close()
        return await self._finish(verification)

    def _listed(self, records: int) -> None:
        self.checked += records
        self.check_pages += 1
        self._tick()

    def _written_to_stdout(self, items: list[msgspec.Raw]) -> None:
        if self.output.jsonl is None:
            end, overlap = self.state.covered_end, self.options.overlap.total_seconds()
            self.output.note_stdout(items, end, overlap)

    async def _append_output(self, items: list[msgspec.Raw]) -> None:
        self._written_to_stdout(items)
        async with self.lock:
            self.state.records += len(items)
            self.output.append_output(self.state, jsonl_lines(items))

    async def _run_slice(self, work: SliceWork) -> None:
        async with self.slots:
            saved, source = work.state, work.source
            work.load_seen()
            first = True
            walk = walk_slice(
                source,
                per_page=self.options.per_page,
                page_concurrency=self.page_concurrency,
                cursor=saved.cursor,
                number=saved.next_page,
            )
            async for page, cursor, next_page in walk:
                if first:
                    first = False
                    if self._split(work, page.total_records):
                        await walk.aclose()
                        return
                    if saved.total_records is None:
                        saved.total_records = page.total_records
                keep = work.admit(page.items, self.plan.incremental)
                await self._write(work, keep, cursor=cursor, next_page=next_page)
                if source.from_cursor is not None and len(work.seen) >= (saved.total_records or 0):
                    await walk.aclose()  # every record the window held is in: no extra request
                    break
            saved.done = True
        await self._merge_ready()

    def _split(self, work: SliceWork, total: int | None) -> bool:
        """Replace an untouched date window by its pieces (same output order) when it is
        large, or when fewer windows hold records than requests may be in flight."""
        saved = work.state
        if not total or saved.written:
            return False
        saved.total_records = total
        # Windows that may still hold records: not done, not known to be empty.
        candidates = sum(1 for s in self.state.slices if not s.done and s.total_records != 0)
        starved = candidates < self.options.concurrency
        big = total > self.options.window_records
        if not big and not (starved and total > 8 * self.options.per_page):
            return False
        # Enough pieces to fill the idle request slots (and to bring large windows under
        # the size limit) in one step: each split level costs a round trip.
        parts = max(
            2,
            -(-total // self.options.window_records),
            self.options.concurrency - candidates + 1 if starved else 2,
        )
        filters = self.planner.filters
        pieces = work.source.split(lambda w: call_window_slice(self.client, w, filters), parts)
        if pieces is None:
            return False
        position = self.state.slices.index(saved)
        new = [self.plan.add(piece) for piece in pieces]
        self.state.slices[position : position + 1] = new
        work.part.unlink(missing_ok=True)
        self.output.save(self.state)
        assert self.group is not None
        for piece in new:
            self.group.create_task(self._run_slice(self.work(piece)))
        return True

    async def _write(
        self,
        work: SliceWork,
        items: list[msgspec.Raw],
        *,
        cursor: str | None = None,
        next_page: int | None = None,
    ) -> None:
        data = jsonl_lines(items)
        saved = work.state
        self._written_to_stdout(items)
        async with self.lock:
            self.output.append_part(saved, data)
            saved.part_bytes += len(data)
            saved.written += len(items)
            if next_page is not None:
                saved.cursor, saved.next_page = cursor, next_page
            self.state.records += len(items)
            self.state.pages += 1
            self.output.save(self.state)
        self._tick()

    async def _merge_ready(self) -> None:
        async with self.lock:
            self.output.merge_ready(self.state)

    def _progress(self) -> Progress:
        seconds = time.monotonic() - self.started
        return Progress.of(
            self.state, seconds, self.records_at_start, self.checked, self.check_pages
        )

    def _tick(self) -> None:
        if self.options.progress is not None:
            self.options.progress(self._progress())

    async def _finish(self, verification: Verification) -> ExportReport:
        state, o, output = self.state, self.options, self.output
        now = self._progress()
        report = ExportReport(
            resource=o.resource,
            output=str(output.out) if output.out else "-",
            format=self.format,
            resumed=o.resume,
            **{f.name: getattr(now, f.name) for f in fields(Figures)},
            **vars(verification),
        )
        if output.out is not None and output.jsonl is not None and output.jsonl != output.out:
            convert = jsonl_to_csv if self.format == "csv" else jsonl_to_parquet
            await asyncio.to_thread(convert, output.jsonl, output.out)
        if o.since_last is not None and state.covered_end is not None:
            if report.reconciled:  # else the next run covers this range again: nothing lost
                written = output.written()
                overlap = o.overlap.total_seconds()
                incremental = self.plan.incremental
                save_after_run(o.since_last, written, state.covered_end, overlap, incremental)
            else:
                report.state_kept = True
        output.remove_work_files()
        return report


async def export(client: CallRail, options: ExportOptions) -> ExportReport:
    """Export a resource as described by ``options``; returns the report.

    Raises :class:`ExportError` for bad options (before any request), another export
    writing the same file, a resume that would not be safe, or a file that cannot be
    written; and the SDK's own error (a :class:`CallRailError`) when CallRail fails beyond
    what the retries absorb. Never an ``ExceptionGroup``. After a failure past the first
    page the checkpoint lets ``resume=True`` finish the job; before it, nothing is left.
    """
    options.validate()  # before _Run reads any option
    try:
        return await _Run(client, replace(options)).run()
    except BaseExceptionGroup as group:
        error = one_error(group, options.out)
        raise error from error.__cause__
    except OSError as exc:
        raise export_error(exc, options.out) from exc
