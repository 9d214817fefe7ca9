"""The ``--since-last`` state: where the last incremental export ended."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from .records import Ident, start_timestamp


class IncrementalState(msgspec.Struct, kw_only=True):
    """The pinned end of the last run, and the ids it wrote inside the overlap window."""

    version: int = 1
    last_end: float
    overlap_ids: list[str] = msgspec.field(default_factory=list)


def load_state(path: Path) -> IncrementalState | None:
    """The saved state, or None before the first run."""
    if not path.exists():
        return None
    try:
        return msgspec.json.decode(path.read_bytes(), type=IncrementalState)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ValueError(f"{path} is not a valid --since-last state file: {exc}") from None


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
    known_ids: set[str] = field(default_factory=set)

    @classmethod
    def after(cls, state: IncrementalState, overlap_seconds: float) -> Incremental:
        """Continue from a saved state, looking ``overlap_seconds`` back for late calls."""
        return cls(state.last_end - overlap_seconds, set(state.overlap_ids))

    def exported_before(self, ident: Ident) -> bool:
        """Whether the last run exported this record."""
        if ident.key in self.known_ids:
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
    """Record ``end`` and the ids written at or after ``end - overlap`` (with those an
    earlier run recorded), so the next run looks back that far and skips them."""
    recent = set(earlier.known_ids) if earlier is not None else set()
    recent.update(ident.key for ident in written if in_overlap(ident, end, overlap_seconds))
    save_state(path, IncrementalState(last_end=end, overlap_ids=sorted(recent)))


def in_overlap(ident: Ident, end: float, overlap_seconds: float) -> bool:
    """Whether a record starts within ``overlap_seconds`` before ``end`` (or after it)."""
    moment = start_timestamp(ident)
    return moment is not None and moment >= end - overlap_seconds
