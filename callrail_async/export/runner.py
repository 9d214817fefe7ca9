"""The export runner: slices fetched concurrently, written losslessly, checkpointed, verified.

Each slice (a date window of calls, or a whole smaller resource) is written to its own part
file as pages arrive; when a slice is complete and verified against a fresh
``total_records``, its part is appended to the output in slice order. The checkpoint,
replaced atomically after every page, records each slice's next page and part length and
the output's length, so ``--resume`` truncates whatever was half-written and continues.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING

import msgspec

from ..dates import check_retention, retention_start
from ..errors import CallRailError
from ..models import parse_timestamp
from ..pagination import Page
from . import checkpoint as ckpt
from .formats import FORMATS, Format, jsonl_lines, jsonl_to_csv, jsonl_to_parquet
from .incremental import IncrementalState, load_state, save_state
from .planner import daily_counts, plan_call_windows
from .slices import (
    PER_COMPANY,
    RESOURCES,
    CallFilters,
    Slice,
    call_preset_slice,
    call_window_slice,
    company_ids,
    simple_slice,
    window_from_key,
)
from .windows import DateWindow

if TYPE_CHECKING:
    from ..client import CallRail

__all__ = ["ExportError", "ExportOptions", "ExportReport", "Progress", "export"]

VERIFY_ATTEMPTS = 3


class ExportError(CallRailError):
    """An export could not start or finish; the message is one line for the user."""


class _Ident(msgspec.Struct):
    id: str | int
    start_time: str | None = None


_ident = msgspec.json.Decoder(_Ident)
_idents = msgspec.json.Decoder(list[_Ident])


@dataclass
class Progress:
    """A snapshot for progress displays."""

    records: int
    pages: int
    expected: int | None
    elapsed: float
    slices_done: int
    slices: int


@dataclass
class ExportReport:
    """What an export did."""

    resource: str
    output: str
    format: str
    records: int = 0
    pages: int = 0
    seconds: float = 0.0
    slices: int = 0
    verified_slices: int = 0
    expected_records: int = 0
    vanished: int = 0
    rescans: int = 0
    skipped_known: int = 0
    unreconciled: list[str] = field(default_factory=list)
    resumed: bool = False

    @property
    def verified(self) -> bool:
        """Whether every slice was reconciled with CallRail's totals."""
        return not self.unreconciled

    def summary(self) -> str:
        """A few lines for people."""
        rate = self.records / self.seconds if self.seconds else 0.0
        lines = [
            f"exported {self.records:,} {self.resource} to {self.output} ({self.format}) "
            f"in {self.seconds:.1f}s: {self.pages:,} pages, {rate:,.0f} records/s",
        ]
        if self.verified:
            lines.append(
                f"verified: {self.expected_records:,} of {self.expected_records:,} records "
                f"present ({self.slices} slices reconciled with CallRail's totals)"
            )
        else:
            lines.append(f"NOT verified: could not reconcile {', '.join(self.unreconciled)}")
        if self.vanished:
            lines.append(
                f"vanished: {self.vanished} record(s) were written, then hidden by CallRail "
                "(e.g. marked spam) before the export finished"
            )
        if self.skipped_known:
            lines.append(f"skipped: {self.skipped_known} record(s) the last run already exported")
        return "\n".join(lines)


@dataclass
class ExportOptions:
    """What to export and how. ``out=None`` writes JSONL to stdout."""

    resource: str = "calls"
    out: Path | None = None
    format: Format = "jsonl"
    date_range: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    company_id: str | None = None
    fields: list[str] | None = None
    resume: bool = False
    since_last: Path | None = None
    overlap: dt.timedelta = dt.timedelta(days=1)
    per_page: int = 250
    concurrency: int = 10
    window_records: int = 50_000
    progress: Callable[[Progress], None] | None = None

    def validate(self) -> None:
        """Check everything that can be checked before the first request."""
        if self.resource not in RESOURCES:
            raise ExportError(
                f"unknown resource {self.resource!r}; choose one of {', '.join(RESOURCES)}"
            )
        if self.format not in FORMATS:
            raise ExportError(f"unknown format {self.format!r}; choose one of {', '.join(FORMATS)}")
        if self.out is None and (self.format != "jsonl" or self.resume):
            raise ExportError("writing to stdout supports --format jsonl only, without --resume")
        if self.format == "parquet":
            try:
                import pyarrow  # noqa: F401
            except ImportError:
                raise ExportError(
                    "--format parquet needs pyarrow: pip install 'callrail-async[parquet]'"
                ) from None
        if self.resource != "calls" and (
            self.date_range or self.start_date or self.end_date or self.since_last or self.fields
        ):
            raise ExportError("dates, --fields and --since-last apply to calls only")
        if self.date_range and (self.start_date or self.end_date or self.since_last):
            raise ExportError("use either --date-range or --start-date/--end-date/--since-last")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ExportError(
                f"--end-date {self.end_date} is before --start-date {self.start_date}"
            )
        if not 1 <= self.per_page <= 250:
            raise ExportError(f"per_page must be from 1 to 250, got {self.per_page}")
        if self.concurrency < 1:
            raise ExportError(f"concurrency must be >= 1, got {self.concurrency}")
        if self.out is not None:
            _check_writable(self.out)
        try:
            CallFilters(company_id=self.company_id, fields=self.fields)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        if self.date_range is not None:
            from ..enums import DATE_RANGES

            if self.date_range not in DATE_RANGES or self.date_range == "all_time":
                allowed = ", ".join(sorted(DATE_RANGES - {"all_time"}))
                raise ExportError(f"--date-range must be one of {allowed}")


def _check_writable(out: Path) -> None:
    if out.is_dir():
        raise ExportError(f"--out {out} is a directory")
    parent = out.parent
    if not parent.is_dir():
        raise ExportError(f"--out {out}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise ExportError(f"--out {out} is not writable")


class _Run:
    """One export in motion: the state its slice tasks share."""

    def __init__(self, client: CallRail, options: ExportOptions) -> None:
        self.client = client
        self.options = options
        self.started = time.monotonic()
        self.lock = asyncio.Lock()
        self.out = options.out
        self.jsonl: Path | None = None
        if self.out is not None:
            partial = self.out.with_name(self.out.name + ".jsonl.partial")
            self.jsonl = self.out if options.format == "jsonl" else partial
        self.parts = ckpt.parts_dir(self.out) if self.out else Path(tempfile.mkdtemp())
        self.checkpoint_file = ckpt.checkpoint_path(self.out) if self.out else None
        self.filters = CallFilters(company_id=options.company_id, fields=options.fields)
        self.state = ckpt.Checkpoint(resource=options.resource, fingerprint="")
        self.slices: dict[int, Slice] = {}
        self.sink: IO[bytes] | None = None
        self.known_ids: set[str] = set()
        self.not_before: float | None = None
        self.group: asyncio.TaskGroup | None = None
        # Call windows are walked one request at a time, so `concurrency` windows run at once;
        # other slices prefetch two pages each.
        self.page_concurrency = 2 if options.concurrency >= 2 else 1
        slots = options.concurrency if options.resource == "calls" else options.concurrency // 2
        self.slots = asyncio.Semaphore(max(1, slots))

    # --- planning ---------------------------------------------------------------------

    def fingerprint(self, pinned: str | None) -> str:
        o = self.options
        parts = (o.resource, o.format, o.date_range, o.start_date, o.end_date, o.company_id,
                 o.fields, o.since_last, pinned)  # fmt: skip
        return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]

    async def plan(self) -> None:
        o = self.options
        if o.resume:
            self._load_checkpoint()
            return
        if self.checkpoint_file is not None and self.checkpoint_file.exists():
            raise ExportError(
                f"an unfinished export exists ({self.checkpoint_file}); "
                "pass --resume to continue it, or delete it to start over"
            )
        now = dt.datetime.fromtimestamp(self.client.clock.time(), dt.UTC).replace(microsecond=0)
        pinned: str | None = None
        slices: list[Slice]
        if o.resource == "calls" and o.date_range:
            slices = [call_preset_slice(self.client, o.date_range, self.filters)]
        elif o.resource == "calls":
            start, end = self._call_span(now)
            pinned = now.isoformat()
            windows = await plan_call_windows(
                self.client,
                start,
                end,
                company_id=o.company_id,
                concurrency=o.concurrency,
                per_page=o.per_page,
                max_records=o.window_records,
            )
            slices = [call_window_slice(self.client, w, self.filters) for w in windows]
        elif o.resource in PER_COMPANY:
            companies = await company_ids(self.client, o.company_id)
            slices = [simple_slice(self.client, o.resource, c) for c in companies]
        else:
            slices = [simple_slice(self.client, o.resource, o.company_id)]
        self.state = ckpt.Checkpoint(
            resource=o.resource, fingerprint=self.fingerprint(pinned), pinned_end=pinned
        )
        self.state.windows = [self._new_window(s) for s in slices]

    def _new_window(self, source: Slice) -> ckpt.WindowState:
        window = ckpt.WindowState(id=self.state.next_id, key=source.key)
        self.state.next_id += 1
        self.slices[window.id] = source
        return window

    def _load_checkpoint(self) -> None:
        if self.checkpoint_file is None or not self.checkpoint_file.exists():
            raise ExportError(f"nothing to resume: no checkpoint at {self.checkpoint_file}")
        try:
            self.state = ckpt.load(self.checkpoint_file)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        if self.state.fingerprint != self.fingerprint(self.state.pinned_end):
            raise ExportError(
                "the checkpoint belongs to an export with other arguments; "
                "rerun with the same arguments, or delete it to start over"
            )
        for window in self.state.windows:
            self.slices[window.id] = self._slice_for(window.key)
        if self.options.since_last is not None:
            self._use_incremental(load_state(self.options.since_last))

    def _call_span(self, now: dt.datetime) -> tuple[dt.date, dt.datetime | dt.date]:
        o = self.options
        if o.since_last is not None:
            try:
                state = load_state(o.since_last)
            except ValueError as exc:
                raise ExportError(str(exc)) from None
            if state is not None:
                self._use_incremental(state)
                assert self.not_before is not None
                start = dt.datetime.fromtimestamp(self.not_before, dt.UTC).date()
                return max(start, retention_start(now)), now
        start = o.start_date or retention_start(now)
        try:
            check_retention(start, now)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        if o.end_date is None or o.end_date >= now.date():
            return start, now
        return start, o.end_date

    def _use_incremental(self, state: IncrementalState | None) -> None:
        if state is not None:
            self.known_ids = set(state.overlap_ids)
            self.not_before = state.last_end - self.options.overlap.total_seconds()

    def _slice_for(self, key: dict[str, str]) -> Slice:
        if "start_date" in key:
            return call_window_slice(self.client, window_from_key(key), self.filters)
        if "date_range" in key:
            return call_preset_slice(self.client, key["date_range"], self.filters)
        return simple_slice(self.client, key["resource"], key.get("company_id"))

    # --- files ------------------------------------------------------------------------

    def part(self, window: ckpt.WindowState) -> Path:
        return self.parts / f"{window.id:05d}.jsonl"

    def prepare_files(self) -> None:
        self.parts.mkdir(parents=True, exist_ok=True)
        if self.jsonl is None:
            self.sink = sys.stdout.buffer
        else:
            resuming = self.options.resume and self.jsonl.exists()
            self.sink = open(self.jsonl, "r+b" if resuming else "wb")  # noqa: SIM115
            self.sink.truncate(self.state.output_bytes)
            self.sink.seek(self.state.output_bytes)
        for window in self.state.windows:
            if not window.merged:
                with open(self.part(window), "ab") as handle:
                    handle.truncate(window.part_bytes)

    def save(self) -> None:
        if self.checkpoint_file is not None:
            ckpt.save(self.checkpoint_file, self.state)

    # --- the work ---------------------------------------------------------------------

    async def run(self) -> ExportReport:
        self.options.validate()
        await self.plan()
        self.prepare_files()
        self.save()
        try:
            async with asyncio.TaskGroup() as group:
                self.group = group
                for window in self.state.windows:
                    if not window.done:
                        group.create_task(self._run_slice(window))
            await self._merge_ready()
            await self._final_check()
        finally:
            if self.sink is not None and self.sink is not sys.stdout.buffer:
                self.sink.close()
        return await self._finish()

    async def _run_slice(self, window: ckpt.WindowState) -> None:
        async with self.slots:
            source = self.slices[window.id]
            seen = self._seen_in_part(window)
            first = True
            walk = self._walk(source, window.cursor, window.next_page)
            async for page, cursor, next_page in walk:
                if first:
                    first = False
                    if self._split(window, page.total_records):
                        await walk.aclose()
                        return
                    if window.total_records is None:
                        window.total_records = page.total_records
                keep = self._admit(page.items, seen, window)
                await self._write(window, keep, cursor=cursor, next_page=next_page)
                if source.from_cursor is not None and len(seen) >= (window.total_records or 0):
                    await walk.aclose()  # every record the window held is in: no extra request
                    break
            if source.from_cursor is None:
                # A page-number walk can skip a record when one is hidden meanwhile.
                await self._verify(window, seen)
            window.done = True
        await self._merge_ready()

    async def _walk(
        self, source: Slice, cursor: str | None, number: int
    ) -> AsyncGenerator[tuple[Page[msgspec.Raw], str | None, int]]:
        """A slice's pages, each with the position to continue from after it.

        Call windows are walked by start time (keyset): each request starts at the second of
        the last call seen, so calls hidden or inserted meanwhile cannot shift a page and
        make the walk skip a record. Other slices are walked by page number.
        """
        per_page = self.options.per_page
        if source.from_cursor is None:
            pages = source.listing(per_page, self.page_concurrency).pages(start_page=number)
            async for page in pages:
                yield page, None, (page.page or number) + 1
            return
        while True:
            listing = (
                source.listing(per_page, 1)
                if cursor is None
                else source.from_cursor(cursor, per_page)
            )
            page = await listing.page(number)
            if len(page.items) < per_page:
                yield page, cursor, number
                return
            last = _utc_second(page.items[-1])
            if source.stop is not None and last is not None and last >= source.stop:
                yield page, cursor, number  # past this window's end: the rest is the next's
                return
            if last is None or last == cursor:
                number += 1  # a full page within one second: step through it by number
            else:
                cursor, number = last, 1
            yield page, cursor, number

    def _split(self, window: ckpt.WindowState, total: int | None) -> bool:
        """Replace an untouched date window by its halves (same output order) when it is
        large, or when fewer windows hold records than requests may be in flight."""
        source = self.slices[window.id]
        if not total or window.written:
            return False
        window.total_records = total
        # Windows that may still hold records: not done, not known to be empty.
        candidates = sum(1 for w in self.state.windows if not w.done and w.total_records != 0)
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
        halves = source.split(lambda w: call_window_slice(self.client, w, self.filters), parts)
        if halves is None:
            return False
        position = self.state.windows.index(window)
        new = [self._new_window(half) for half in halves]
        self.state.windows[position : position + 1] = new
        self.part(window).unlink(missing_ok=True)
        self.save()
        assert self.group is not None
        for half in new:
            self.group.create_task(self._run_slice(half))
        return True

    def _seen_in_part(self, window: ckpt.WindowState) -> set[str]:
        seen: set[str] = set()
        if window.written:
            with open(self.part(window), "rb") as handle:
                seen.update(str(_ident.decode(line).id) for line in handle if line.strip())
        return seen

    def _admit(
        self, items: list[msgspec.Raw], seen: set[str], window: ckpt.WindowState
    ) -> list[msgspec.Raw]:
        """The records to write: not yet seen in their slice, not exported by the last run."""
        if not items:
            return []
        idents = _idents_of(items)
        incremental = bool(self.known_ids) or self.not_before is not None
        cut = _first_beyond(idents, self.slices[window.id].stop)
        keep = []
        for n, (raw, ident) in enumerate(zip(items, idents, strict=True)):
            key = ident.id if type(ident.id) is str else str(ident.id)
            if key in seen:
                continue
            seen.add(key)
            if n >= cut:
                window.beyond += 1  # the next window's: it starts at that second
                continue
            if incremental and self._exported_before(key, ident):
                window.skipped += 1
                continue
            keep.append(raw)
        return keep

    def _exported_before(self, key: str, ident: _Ident) -> bool:
        if key in self.known_ids:
            return True
        if self.not_before is None or not ident.start_time:
            return False
        moment = parse_timestamp(ident.start_time)
        return moment is not None and moment.timestamp() < self.not_before

    async def _write(
        self,
        window: ckpt.WindowState,
        items: list[msgspec.Raw],
        *,
        cursor: str | None = None,
        next_page: int | None = None,
    ) -> None:
        data = jsonl_lines(items)
        async with self.lock:
            if data:
                _append(self.part(window), data)
            window.part_bytes += len(data)
            window.written += len(items)
            if next_page is not None:
                window.cursor, window.next_page = cursor, next_page
            self.state.records += len(items)
            self.state.pages += 1
            self.save()
        self._tick()

    async def _verify(self, window: ckpt.WindowState, seen: set[str]) -> None:
        """Compare what was seen with a fresh total; rescan the slice while they disagree.

        A record hidden meanwhile (marked spam) shifts later pages back, so a page walk can
        skip one: the rescan writes what was missed and counts what vanished.
        """
        source = self.slices[window.id]
        for _ in range(VERIFY_ATTEMPTS):
            fresh = await source.listing(1, 1)
            total = fresh.total_records if fresh.total_records is not None else len(seen)
            window.total_records = total
            if total == len(seen):
                return
            window.rescans += 1
            present: set[str] = set()
            async for page, _, _ in self._walk(source, None, 1):
                present.update(str(ident.id) for ident in _idents_of(page.items))
                missed = self._admit(page.items, seen, window)
                if missed:
                    await self._write(window, missed)
            gone = seen - present
            window.vanished += len(gone)
            seen -= gone
        window.unreconciled = True

    async def _final_check(self) -> None:
        """After every slice: its records compared with a fresh ``total_records``.

        Walked by start time, a window cannot skip a record, so a drop means records were
        hidden after they were written (counted as vanished), and a rise means records
        arrived late: the window is re-scanned and they are appended.
        """
        limit = asyncio.Semaphore(self.options.concurrency)

        async def check(window: ckpt.WindowState) -> None:
            async with limit:
                fresh = await self.slices[window.id].listing(1, 1)
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

    async def _settled_by_daily_counts(self) -> list[ckpt.WindowState]:
        """Check call windows against fresh daily counts (one request per 200 days instead of
        one per window); returns the windows that need a check of their own."""
        windows = self.state.windows
        days = {w.id: self.slices[w.id].window for w in windows}
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
        unsettled: list[ckpt.WindowState] = []
        group: list[ckpt.WindowState] = []

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

    async def _recover_late(self, window: ckpt.WindowState) -> None:
        if self.jsonl is None or self.sink is None:
            window.unreconciled = True
            return
        seen = _ids_in(self.jsonl, window.output_start, window.output_end)
        source = self.slices[window.id]
        late: list[msgspec.Raw] = []
        async for page, _, _ in self._walk(source, None, 1):
            late += self._admit(page.items, seen, window)
        if late:
            data = jsonl_lines(late)
            async with self.lock:
                self.sink.write(data)
                self.sink.flush()
                window.written += len(late)
                self.state.records += len(late)
                self.state.output_bytes = self.sink.tell()
                self.save()

    async def _merge_ready(self) -> None:
        """Append every finished slice, in order, up to the first unfinished one."""
        async with self.lock:
            for window in self.state.windows:
                if window.merged:
                    continue
                if not window.done:
                    return
                assert self.sink is not None
                _copy(self.part(window), self.sink)
                window.merged = True
                if self.jsonl is not None:
                    window.output_start = self.state.output_bytes
                    self.state.output_bytes = window.output_end = self.sink.tell()
                self.save()
                self.part(window).unlink(missing_ok=True)

    def _tick(self) -> None:
        if self.options.progress is None:
            return
        totals = [w.total_records for w in self.state.windows]
        self.options.progress(
            Progress(
                records=self.state.records,
                pages=self.state.pages,
                expected=None if None in totals else sum(t or 0 for t in totals),
                elapsed=time.monotonic() - self.started,
                slices_done=sum(1 for w in self.state.windows if w.done),
                slices=len(self.state.windows),
            )
        )

    async def _finish(self) -> ExportReport:
        state, o = self.state, self.options
        if self.out is not None and self.jsonl is not None and self.jsonl != self.out:
            convert = jsonl_to_csv if o.format == "csv" else jsonl_to_parquet
            await asyncio.to_thread(convert, self.jsonl, self.out)
        if o.since_last is not None and state.pinned_end is not None and self.jsonl is not None:
            self._save_incremental(self.jsonl)
        if self.jsonl is not None and self.jsonl != self.out:
            self.jsonl.unlink(missing_ok=True)
        if self.checkpoint_file is not None:
            self.checkpoint_file.unlink(missing_ok=True)
        shutil.rmtree(self.parts, ignore_errors=True)
        return ExportReport(
            resource=o.resource,
            output=str(self.out) if self.out else "-",
            format=o.format,
            records=state.records,
            pages=state.pages,
            seconds=time.monotonic() - self.started,
            slices=len(state.windows),
            verified_slices=sum(1 for w in state.windows if not w.unreconciled),
            expected_records=sum((w.total_records or 0) - w.beyond for w in state.windows),
            vanished=sum(w.vanished for w in state.windows),
            rescans=sum(w.rescans for w in state.windows),
            skipped_known=sum(w.skipped for w in state.windows),
            unreconciled=[str(self.slices[w.id].label) for w in state.windows if w.unreconciled],
            resumed=o.resume,
        )

    def _save_incremental(self, jsonl: Path) -> None:
        assert self.options.since_last is not None and self.state.pinned_end is not None
        pinned = dt.datetime.fromisoformat(self.state.pinned_end).timestamp()
        horizon = pinned - self.options.overlap.total_seconds()
        recent = set(self.known_ids)
        with open(jsonl, "rb") as handle:
            for line in handle:
                ident = _ident.decode(line)
                moment = parse_timestamp(ident.start_time) if ident.start_time else None
                if moment is not None and moment.timestamp() >= horizon:
                    recent.add(str(ident.id))
        save_state(
            self.options.since_last, IncrementalState(last_end=pinned, overlap_ids=sorted(recent))
        )


# Appending one page (at most a few hundred KB) to a local file is faster than a hop to a
# worker thread; these stay synchronous on purpose.
def _append(path: Path, data: bytes) -> None:
    with open(path, "ab") as handle:
        handle.write(data)


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


def _utc_second(raw: msgspec.Raw) -> str | None:
    """The start second of a call record, in UTC, as a keyset cursor."""
    return _second_of(_ident.decode(raw))


def _first_beyond(idents: list[_Ident], stop: str | None) -> int:
    """Index of the first record at or past ``stop`` (records come oldest first, so only
    the end of a page needs looking at)."""
    cut = len(idents)
    if stop is None:
        return cut
    while cut > 0 and (_second_of(idents[cut - 1]) or "") >= stop:
        cut -= 1
    return cut


def _second_of(ident: _Ident) -> str | None:
    moment = parse_timestamp(ident.start_time) if ident.start_time else None
    return None if moment is None else moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _idents_of(items: list[msgspec.Raw]) -> list[_Ident]:
    if not items:
        return []
    try:
        return _idents.decode(b"[" + b",".join(items) + b"]")
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError) as exc:
        raise ExportError(f"CallRail sent a record without a readable id: {exc}") from None


def _ids_in(path: Path, start: int, end: int) -> set[str]:
    with open(path, "rb") as handle:
        handle.seek(start)
        chunk = handle.read(end - start)
    return {str(_ident.decode(line).id) for line in chunk.splitlines() if line.strip()}


def _copy(path: Path, sink: IO[bytes]) -> None:
    sink.flush()
    if not path.exists():  # a window that held no records never created its part
        return
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if hasattr(os, "copy_file_range") and sink.seekable():
            # Kernel-side copy: the part's bytes never pass through Python.
            done = 0
            while done < size:
                sent = os.copy_file_range(handle.fileno(), sink.fileno(), size - done)
                if sent == 0:
                    break
                done += sent
            sink.seek(0, os.SEEK_END)
            if done == size:
                return
            handle.seek(done)
        shutil.copyfileobj(handle, sink, 1024 * 1024)
    sink.flush()


async def export(client: CallRail, options: ExportOptions) -> ExportReport:
    """Export a resource as described by ``options``; returns the report.

    Raises :class:`ExportError` for bad options (before any request), and the SDK's errors
    if CallRail fails beyond what the retries absorb; the checkpoint then lets
    ``resume=True`` finish the job.
    """
    return await _Run(client, replace(options)).run()
