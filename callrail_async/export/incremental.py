"""The ``--since-last`` state: where the last incremental export ended."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from .records import Ident, start_timestamp


class IncrementalState(msgspec.Struct, kw_only=True):
    """The pinned end of the last run, and the records inside the overlap window that runs
    so far wrote: id -> start time (epoch seconds). Only those the next overlap can reach are
    kept, so the file stays the size of one overlap window however many runs there were."""

    version: int = 2
    last_end: float
    overlap: dict[str, float] = msgspec.field(default_factory=dict)
    overlap_ids: list[str] = msgspec.field(default_factory=list)
    """Version 1's ids, without start times (read, never written)."""


def load_state(path: Path) -> IncrementalState | None:
    """The saved state, or None before the first run."""
    if not path.exists():
        return None
    try:
        state = msgspec.json.decode(path.read_bytes(), type=IncrementalState)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ValueError(f"{path} is not a valid --since-last state file: {exc}") from None
    if not all(map(_a_time, (state.last_end, *state.overlap.values()))):
        raise ValueError(f"{path} is not a valid --since-last state file: a time out of range")
    return state


def _a_time(seconds: float) -> bool:
    """Whether ``seconds`` is a moment a date can name (not NaN, infinite, or past 9999)."""
    try:
        dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (ValueError, OverflowError, OSError):
        return False
    return True


def save_state(path: Path, state: IncrementalState) -> None:
    """Write the state atomically."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(msgspec.json.encode(state))
    os.replace(tmp, path)


@dataclass
class Incremental:
    """What the last run exported: ids inside its overlap, and the time before which
    every call was its."""

    not_before: float
    known: dict[str, float] = field(default_factory=dict)
    """Ids the earlier runs wrote inside their overlap, with their start times."""

    @classmethod
    def after(cls, state: IncrementalState, overlap_seconds: float) -> Incremental:
        """Continue from a saved state, looking ``overlap_seconds`` back for late calls.
        Version 1's undated ids count as starting at its end: kept as long as any could
        matter, then dropped."""
        known = dict.fromkeys(state.overlap_ids, state.last_end)
        known.update(state.overlap)
        return cls(state.last_end - overlap_seconds, known)

    def exported_before(self, ident: Ident) -> bool:
        """Whether an earlier run exported this record."""
        if ident.key in self.known:
            return True
        moment = start_timestamp(ident)
        return moment is not None and moment < self.not_before


def save_after_run(
    path: Path,
    written: Iterable[Ident],
    end: float,
    overlap_seconds: float,
    earlier: Incremental | None,
) -> None:
    """Record ``end`` and the records starting at or after ``end - overlap`` (written now
    or by an earlier run), so the next run looks back that far and skips them; older ones
    are dropped: the next run's time bound already excludes them."""
    if earlier is not None:
        # Never back: a clock stepped back since the last run would otherwise leave calls
        # that run wrote by time (not by id) between the two ends, and export them again.
        end = max(end, earlier.not_before + overlap_seconds)
    since = end - overlap_seconds
    known = earlier.known if earlier is not None else {}
    recent = {key: moment for key, moment in known.items() if moment >= since}
    for ident in written:
        moment = start_timestamp(ident)
        if moment is not None and moment >= since:
            recent[ident.key] = moment
    save_state(path, IncrementalState(last_end=end, overlap=dict(sorted(recent.items()))))


def in_overlap(ident: Ident, end: float, overlap_seconds: float) -> bool:
    """Whether a record starts within ``overlap_seconds`` before ``end`` (or after it)."""
    moment = start_timestamp(ident)
    return moment is not None and moment >= end - overlap_seconds
