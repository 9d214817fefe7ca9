"""One slice at work: its saved state, how to list it, and the ids it has seen."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from . import checkpoint as ckpt
from .incremental import Incremental
from .records import first_beyond, idents_of, ids_in
from .slices import Slice


@dataclass
class SliceWork:
    """A slice in motion. ``seen`` holds every id its walk met (written, skipped as the
    last run's, or left to the next slice), so a record is written once."""

    state: ckpt.SliceState
    source: Slice
    part: Path
    seen: set[str] = field(default_factory=set)

    def load_seen(self) -> None:
        """Read back the ids already in the part file (after ``--resume``)."""
        if self.state.written:
            self.seen |= ids_in(self.part)

    def admit(self, items: list[msgspec.Raw], incremental: Incremental | None) -> list[msgspec.Raw]:
        """The records to write: not yet seen in this slice, not past its end, not
        exported by the last run."""
        return admit(items, self.seen, self.state, self.source.stop, incremental)


def admit(
    items: list[msgspec.Raw],
    seen: set[str],
    saved: ckpt.SliceState,
    stop: str | None,
    incremental: Incremental | None,
) -> list[msgspec.Raw]:
    """The records of ``items`` to write; the others are counted in ``saved``."""
    if not items:
        return []
    idents = idents_of(items)
    cut = first_beyond(idents, stop)
    keep = []
    for n, (raw, ident) in enumerate(zip(items, idents, strict=True)):
        key = ident.key
        if key in seen:
            continue
        seen.add(key)
        if n >= cut:
            saved.beyond += 1  # the next slice's: it starts at that second
            continue
        if incremental is not None and incremental.exported_before(ident):
            saved.skipped += 1
            continue
        keep.append(raw)
    return keep
