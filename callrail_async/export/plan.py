"""The plan of an export: its slices, fresh or read back from the checkpoint for ``--resume``."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..dates import check_retention, retention_start
from . import checkpoint as ckpt
from .errors import ExportError
from .incremental import Incremental, load_state
from .options import ExportOptions
from .planner import plan_call_windows
from .slices import (
    CallFilters,
    Slice,
    call_preset_slice,
    call_window_slice,
    company_ids,
    listed_per_company,
    simple_slice,
    window_from_key,
)

if TYPE_CHECKING:
    from ..client import CallRail


@dataclass
class Plan:
    """The slices of an export, and their saved states (the checkpoint)."""

    state: ckpt.Checkpoint
    slices: dict[int, Slice] = field(default_factory=dict)
    incremental: Incremental | None = None

    def add(self, source: Slice) -> ckpt.SliceState:
        """A new slice's state (not yet placed in ``state.slices``)."""
        saved = ckpt.SliceState(id=self.state.next_id, key=source.key)
        self.state.next_id += 1
        self.slices[saved.id] = source
        return saved


class Planner:
    """Makes the plan of one export."""

    def __init__(
        self, client: CallRail, options: ExportOptions, checkpoint_file: Path | None
    ) -> None:
        self.client = client
        self.options = options
        self.checkpoint_file = checkpoint_file
        self.filters = CallFilters(company_id=options.company_id, fields=options.fields)

    def fingerprint(self, pinned: str | None) -> str:
        """What a checkpoint must match to be resumed with these options."""
        o = self.options
        parts = (
            o.resource,
            o.format,
            o.date_range,
            o.start_date,
            o.end_date,
            o.company_id,
            o.fields,
            o.since_last,
            o.overlap,
            pinned,
        )
        return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]

    def slice_for(self, key: dict[str, str]) -> Slice:
        """The slice a checkpoint key stands for."""
        if "start_date" in key:
            return call_window_slice(self.client, window_from_key(key), self.filters)
        if "date_range" in key:
            return call_preset_slice(self.client, key["date_range"], self.filters)
        return simple_slice(self.client, key["resource"], key.get("company_id"))

    async def plan(self) -> Plan:
        """A fresh plan, or with ``resume`` the checkpoint's."""
        o = self.options
        if o.resume:
            return self._from_checkpoint()
        if self.checkpoint_file is not None and self.checkpoint_file.exists():
            raise ExportError(
                f"an unfinished export exists ({self.checkpoint_file}); "
                "pass --resume to continue it, or delete it to start over"
            )
        now = dt.datetime.fromtimestamp(self.client.clock.time(), dt.UTC).replace(microsecond=0)
        pinned: str | None = None
        incremental: Incremental | None = None
        covered: float | None = None
        planned: int | None = None
        slices: list[Slice]
        if o.resource == "calls" and o.date_range:
            slices = [call_preset_slice(self.client, o.date_range, self.filters)]
        elif o.resource == "calls":
            incremental = self._incremental()
            start, end = self._call_span(now, incremental)
            pinned = now.isoformat()
            covered = _exclusive_end(end)
            windows, planned = await plan_call_windows(
                self.client,
                start,
                end,
                company_id=o.company_id,
                concurrency=o.concurrency,
                per_page=o.per_page,
                max_records=o.window_records,
            )
            slices = [call_window_slice(self.client, w, self.filters) for w in windows]
        elif listed_per_company(o.resource):
            companies = await company_ids(self.client, o.company_id)
            slices = [simple_slice(self.client, o.resource, c) for c in companies]
        else:
            slices = [simple_slice(self.client, o.resource, o.company_id)]
        state = ckpt.Checkpoint(
            resource=o.resource,
            fingerprint=self.fingerprint(pinned),
            pinned_end=pinned,
            covered_end=covered,
            planned_records=planned,
        )
        plan = Plan(state, incremental=incremental)
        state.slices = [plan.add(s) for s in slices]
        return plan

    def _from_checkpoint(self) -> Plan:
        if self.checkpoint_file is None or not self.checkpoint_file.exists():
            raise ExportError(f"nothing to resume: no checkpoint at {self.checkpoint_file}")
        try:
            state = ckpt.load(self.checkpoint_file)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        if state.fingerprint != self.fingerprint(state.pinned_end):
            raise ExportError(
                "the checkpoint belongs to an export with other arguments; "
                "rerun with the same arguments, or delete it to start over"
            )
        plan = Plan(state, incremental=self._incremental())
        for saved in state.slices:
            plan.slices[saved.id] = self.slice_for(saved.key)
        return plan

    def _incremental(self) -> Incremental | None:
        if self.options.since_last is None:
            return None
        try:
            state = load_state(self.options.since_last)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        if state is None:
            return None
        return Incremental.after(state, self.options.overlap.total_seconds())

    def _call_span(
        self, now: dt.datetime, incremental: Incremental | None
    ) -> tuple[dt.date, dt.datetime | dt.date]:
        """The first day and the end (a day, or the pinned second) of a calls export."""
        o = self.options
        end: dt.date | dt.datetime = now
        if o.end_date is not None and o.end_date < now.date():
            end = o.end_date
        if incremental is not None:
            start = retention_start(now)
            if incremental.not_before > dt.datetime.combine(start, dt.time(), dt.UTC).timestamp():
                start = dt.datetime.fromtimestamp(incremental.not_before, dt.UTC).date()
        else:
            start = o.start_date or retention_start(now)
            try:
                check_retention(start, now)
            except ValueError as exc:
                raise ExportError(str(exc)) from None
        last_day = end.date() if isinstance(end, dt.datetime) else end
        if last_day < start:
            raise ExportError(
                f"nothing to export: the range starts {start}, after --end-date {last_day}"
            )
        return start, end


def _exclusive_end(end: dt.date | dt.datetime) -> float:
    """Where a range ends: midnight after its last day, or the pinned second itself (calls
    in that second may still arrive; the next run looks at it again)."""
    if isinstance(end, dt.datetime):
        return end.timestamp()
    return dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), dt.UTC).timestamp()
