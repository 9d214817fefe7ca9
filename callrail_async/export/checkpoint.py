"""The export checkpoint: where each slice stands, written atomically after every page."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec

CHECKPOINT_VERSION = 2


class SliceState(msgspec.Struct, kw_only=True):
    """One slice's progress. Its records go to a part file until the slice is walked, then
    to the output. ``skipped``: records the last run exported; ``beyond``: records past
    the window's exclusive end, the next window's."""

    id: int
    key: dict[str, str]
    next_page: int = 1
    cursor: str | None = None
    written: int = 0
    part_bytes: int = 0
    total_records: int | None = None
    done: bool = False
    merged: bool = False
    skipped: int = 0
    beyond: int = 0


class Checkpoint(msgspec.Struct, kw_only=True):
    """Everything ``--resume`` needs; never holds credentials or record data.

    ``covered_end``: the end of the calls' date range (POSIX time, exclusive), saved as the
    ``--since-last`` state's end. ``output_tail``: SHA-256 of the output's last bytes (up to
    4 KiB) before ``output_bytes``, so a resume can tell the file is the one it wrote."""

    version: int = CHECKPOINT_VERSION
    resource: str
    fingerprint: str
    pinned_end: str | None = None
    covered_end: float | None = None
    planned_records: int | None = None
    output_bytes: int = 0
    output_tail: str = ""
    records: int = 0
    pages: int = 0
    slices: list[SliceState] = msgspec.field(default_factory=list)
    next_id: int = 0


def checkpoint_path(output: Path) -> Path:
    """Where the checkpoint of an export to ``output`` lives."""
    return output.with_name(output.name + ".checkpoint.json")


def partial_path(output: Path) -> Path:
    """Where an export to CSV or Parquet ``output`` keeps its JSONL until it converts it."""
    return output.with_name(output.name + ".jsonl.partial")


def parts_dir(output: Path) -> Path:
    """Where an export to ``output`` keeps its per-slice part files."""
    return output.with_name(output.name + ".parts")


def save(path: Path, checkpoint: Checkpoint) -> None:
    """Write atomically: a temporary file renamed over the old one, so a crash or Ctrl-C
    leaves either the old checkpoint or the new one, never a torn one. (No fsync: it would
    cost more than the page it protects, and the data files are not fsynced either.)"""
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        handle.write(msgspec.json.encode(checkpoint))
    os.replace(tmp, path)


def load(path: Path) -> Checkpoint:
    """Read a checkpoint (ValueError if it is not one of ours)."""
    try:
        checkpoint = msgspec.json.decode(path.read_bytes(), type=Checkpoint)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ValueError(f"{path} is not a valid export checkpoint: {exc}") from None
    if checkpoint.version != CHECKPOINT_VERSION:
        raise ValueError(f"{path} was written by another version of callrail-async")
    return checkpoint
