"""What the export reads from a record: its id and start second, never anything else."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import msgspec

from .._validate import shown
from ..models import parse_timestamp
from .errors import ExportError


class Ident(msgspec.Struct):
    """The two fields of a record the export looks at."""

    id: str | int
    start_time: str | None = None

    @property
    def key(self) -> str:
        """The id as text (CallRail sends numbers for some resources)."""
        return self.id if type(self.id) is str else str(self.id)


_ident = msgspec.json.Decoder(Ident)
_idents = msgspec.json.Decoder(list[Ident])


def ident_of(line: bytes) -> Ident:
    """The id and start time of one JSONL line."""
    return _ident.decode(line)


def idents_of(items: list[msgspec.Raw]) -> list[Ident]:
    """The ids and start times of a page's records (ExportError if one has no id)."""
    if not items:
        return []
    try:
        return _idents.decode(b"[" + b",".join(items) + b"]")
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError) as exc:
        raise ExportError(f"CallRail sent a record without a readable id: {exc}") from None


def start_moment(ident: Ident) -> dt.datetime | None:
    """The record's start time, if it has one (ExportError if it is not a timestamp)."""
    if not ident.start_time:
        return None
    try:
        return parse_timestamp(ident.start_time)
    except ValueError as exc:
        raise ExportError(
            f"CallRail sent record {shown(ident.key)} with a start_time that is not a "
            f"timestamp: {exc}"
        ) from None


def utc_second(ident: Ident) -> str | None:
    """The record's start second in UTC (``YYYY-MM-DDTHH:MM:SS``), a keyset cursor."""
    moment = start_moment(ident)
    return None if moment is None else moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")


def start_timestamp(ident: Ident) -> float | None:
    """The record's start time as a POSIX timestamp, if it has one."""
    moment = start_moment(ident)
    return None if moment is None else moment.timestamp()


def first_beyond(idents: list[Ident], stop: str | None) -> int:
    """Index of the first record at or past ``stop`` (records come oldest first, so only
    the end of a page needs looking at)."""
    cut = len(idents)
    if stop is None:
        return cut
    while cut > 0 and (utc_second(idents[cut - 1]) or "") >= stop:
        cut -= 1
    return cut


def idents_in(path: Path, start: int = 0, end: int | None = None) -> Iterator[Ident]:
    """The ids and start times of the JSONL lines between two byte offsets of a file (read
    line by line: the file may be larger than memory)."""
    with open(path, "rb") as handle:
        handle.seek(start)
        position = start
        for line in handle:
            position += len(line)
            if end is not None and position > end:
                return
            if line.strip():
                yield ident_of(line)


def ids_in(path: Path, start: int = 0, end: int | None = None) -> set[str]:
    """The ids of the JSONL lines between two byte offsets of a file."""
    return {ident.key for ident in idents_in(path, start, end)}


def days_in(path: Path, end: int) -> Counter[dt.date]:
    """How many records of a file start on each UTC day."""
    days: Counter[dt.date] = Counter()
    for ident in idents_in(path, 0, end):
        moment = start_moment(ident)
        if moment is not None:
            days[moment.astimezone(dt.UTC).date()] += 1
    return days
