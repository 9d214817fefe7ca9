"""The files of an export: the output, per-slice part files, the checkpoint.

Each slice writes to its own part file as pages arrive; finished slices are appended to the
output in slice order (a kernel-side copy). The checkpoint, replaced atomically after every
page, records each slice's part length and the output's length.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import msgspec

from . import checkpoint as ckpt
from .errors import ExportError
from .formats import Format
from .incremental import in_overlap
from .records import Ident, days_in, idents_in, idents_of

TAIL = 4096
"""Bytes at the end of the output whose hash the checkpoint keeps."""


class Output:
    """Where an export's bytes go; ``out=None`` is JSONL on stdout."""

    def __init__(self, out: Path | None, format: Format) -> None:
        self.out = out
        self.jsonl: Path | None = None
        if out is not None:
            self.jsonl = out if format == "jsonl" else ckpt.partial_path(out)
        self.parts = ckpt.parts_dir(out) if out else Path(tempfile.mkdtemp())
        self.checkpoint_file = ckpt.checkpoint_path(out) if out else None
        self.sink: IO[bytes] | None = None
        self._created = False
        self._stdout_ids: set[str] = set()
        self._stdout_repeats = 0
        self._stdout_recent: list[Ident] = []

    def part(self, saved: ckpt.SliceState) -> Path:
        """A slice's part file."""
        return self.parts / f"{saved.id:05d}.jsonl"

    def prepare(self, state: ckpt.Checkpoint, resume: bool) -> None:
        """Open the output and cut every file back to what the checkpoint says.

        A resume refuses (ExportError) a file that is missing, shorter than the checkpoint
        says, or whose last checkpointed bytes differ: it never extends a file."""
        if resume:
            self._check_resumable(state)
        self.parts.mkdir(parents=True, exist_ok=True)
        if self.jsonl is None:
            self.sink = sys.stdout.buffer
        else:
            keep = resume and state.output_bytes > 0
            self._created = not keep
            self.sink = open(self.jsonl, "r+b" if keep else "wb")  # noqa: SIM115
            self.sink.truncate(state.output_bytes)
            self.sink.seek(state.output_bytes)
        for saved in state.slices:
            if not saved.merged:
                with open(self.part(saved), "ab") as handle:  # checked: never longer
                    handle.truncate(saved.part_bytes)

    def _check_resumable(self, state: ckpt.Checkpoint) -> None:
        assert self.jsonl is not None and self.checkpoint_file is not None
        again = f"delete {self.checkpoint_file} to start over"
        if state.output_bytes == 0:
            pass  # nothing merged yet: the output is (re)created empty
        elif not self.jsonl.is_file():
            raise ExportError(f"cannot resume: {self.jsonl} is missing; {again}")
        elif (size := self.jsonl.stat().st_size) < state.output_bytes:
            raise ExportError(
                f"cannot resume: {self.jsonl} is shorter than the checkpoint says "
                f"({size:,} of {state.output_bytes:,} bytes); {again}"
            )
        elif _tail_hash(self.jsonl, state.output_bytes) != state.output_tail:
            raise ExportError(
                f"cannot resume: {self.jsonl} changed since the checkpoint "
                f"(its last bytes differ); {again}"
            )
        for saved in state.slices:
            part = self.part(saved)
            if not saved.merged and (part.stat().st_size if part.exists() else 0) < (
                saved.part_bytes
            ):
                raise ExportError(
                    f"cannot resume: part file {part} is missing or shorter than the "
                    f"checkpoint says; {again}"
                )

    def save(self, state: ckpt.Checkpoint) -> None:
        """Replace the checkpoint (nothing for stdout)."""
        if self.checkpoint_file is not None:
            ckpt.save(self.checkpoint_file, state)

    def append_part(self, saved: ckpt.SliceState, data: bytes) -> None:
        """Append records to a slice's part file.

        Appending one page (at most a few hundred KB) to a local file is faster than a hop
        to a worker thread: this stays synchronous on purpose."""
        if data:
            with open(self.part(saved), "ab") as handle:
                handle.write(data)

    def merge_ready(self, state: ckpt.Checkpoint) -> None:
        """Append every finished slice, in order, up to the first unfinished one."""
        for saved in state.slices:
            if saved.merged:
                continue
            if not saved.done:
                return
            assert self.sink is not None
            _copy(self.part(saved), self.sink)
            saved.merged = True
            self._moved_end(state)
            self.part(saved).unlink(missing_ok=True)

    def append_output(self, state: ckpt.Checkpoint, data: bytes) -> None:
        """Append records straight to the output (records found by the final check)."""
        assert self.sink is not None
        self.sink.write(data)
        self.sink.flush()
        self._moved_end(state)

    def _moved_end(self, state: ckpt.Checkpoint) -> None:
        assert self.sink is not None
        if self.jsonl is not None:
            state.output_bytes = self.sink.tell()
            state.output_tail = _tail_hash(self.jsonl, state.output_bytes)
        self.save(state)

    def note_stdout(self, items: list[msgspec.Raw], end: float | None, overlap: float) -> None:
        """Remember what goes to stdout (it cannot be read back): the ids, and those
        within ``overlap`` seconds of ``end`` for the ``--since-last`` state."""
        for ident in idents_of(items):
            self._stdout_repeats += ident.key in self._stdout_ids
            self._stdout_ids.add(ident.key)
            if end is not None and in_overlap(ident, end, overlap):
                self._stdout_recent.append(ident)

    def ids(self, state: ckpt.Checkpoint) -> tuple[set[str], int]:
        """The ids of every record in the output (flushed first), and how many records
        repeat an id written before them."""
        if self.jsonl is None:
            return self._stdout_ids, self._stdout_repeats
        assert self.sink is not None
        self.sink.flush()
        ids: set[str] = set()
        lines = 0
        for ident in idents_in(self.jsonl, 0, state.output_bytes):
            ids.add(ident.key)
            lines += 1
        return ids, lines - len(ids)

    def written(self) -> Iterable[Ident]:
        """The records written (ids and start times), for the ``--since-last`` state; for
        stdout, only those :meth:`note_stdout` kept."""
        return self._stdout_recent if self.jsonl is None else idents_in(self.jsonl)

    def days(self, state: ckpt.Checkpoint) -> Counter[dt.date]:
        """How many records of the output start on each UTC day."""
        assert self.jsonl is not None
        return days_in(self.jsonl, state.output_bytes)

    def close(self) -> None:
        """Close the output (not stdout)."""
        if self.sink is not None and self.sink is not sys.stdout.buffer:
            self.sink.close()

    def remove_all(self) -> None:
        """Remove every file this export created (a failure before the first page)."""
        self.close()
        if self._created and self.jsonl is not None:
            self.jsonl.unlink(missing_ok=True)
        self.remove_work_files()

    def remove_work_files(self) -> None:
        """Remove the checkpoint, the parts and the JSONL a CSV/Parquet was made from."""
        if self.jsonl is not None and self.jsonl != self.out:
            self.jsonl.unlink(missing_ok=True)
        if self.checkpoint_file is not None:
            self.checkpoint_file.unlink(missing_ok=True)
        shutil.rmtree(self.parts, ignore_errors=True)


def _tail_hash(path: Path, end: int) -> str:
    """SHA-256 of the up to :data:`TAIL` bytes before ``end``."""
    with open(path, "rb") as handle:
        handle.seek(max(0, end - TAIL))
        return hashlib.sha256(handle.read(min(end, TAIL))).hexdigest()


def _copy(path: Path, sink: IO[bytes]) -> None:
    sink.flush()
    if not path.exists():  # a slice that held no records never created its part
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
