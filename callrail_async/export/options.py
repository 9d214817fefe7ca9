"""What to export and how: the options, checked before the first request."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .. import _validate
from ..options import safe_repr
from .checkpoint import checkpoint_path, parts_dir
from .errors import ExportError
from .formats import Format, format_for
from .lock import lock_path
from .report import Progress
from .slices import RESOURCES, CallFilters, company_filter


@dataclass
class ExportOptions:
    """What to export and how. ``out=None`` writes JSONL to stdout.

    ``format``: "jsonl", "csv" or "parquet"; ``None`` (the default) takes it from ``out``'s
    extension (``.jsonl``, ``.csv``, ``.parquet``, in any case) when the options are made,
    JSONL for stdout. An explicit ``format`` wins over the extension. An extension that
    names no format, with no ``format``, is an :class:`ExportError` from :meth:`validate`
    (so before any request): see :func:`~callrail_async.export.formats.format_for`.

    ``since_last``: a state file; the run starts where the last one ended, less
    ``overlap`` (>= 0), and records the end it covered (``end_date`` or the run's start,
    whichever is earlier). On the first run (no state yet) ``start_date`` applies.
    ``verify``: "ids" (every slice listed again after the walk and compared id by id) or
    "counts" (only windows whose days do not add up are listed again: see :mod:`.verify`)."""

    resource: str = "calls"
    out: Path | None = None
    format: Format | None = None
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
    verify: Literal["ids", "counts"] = "ids"
    progress: Callable[[Progress], None] | None = None

    def __post_init__(self) -> None:
        if self.format is None and isinstance(self.out, Path | None):
            with contextlib.suppress(ExportError):  # validate() says why
                self.format = format_for(self.out)

    def validate(self) -> None:
        """Check everything that can be checked before the first request."""
        self._check_types()
        if self.resource not in RESOURCES:
            raise ExportError(
                f"unknown resource {_validate.shown(self.resource)}; "
                f"choose one of {', '.join(RESOURCES)}"
            )
        self._check_paths()
        fmt = format_for(self.out, self.format)
        if self.out is None and (fmt != "jsonl" or self.resume):
            raise ExportError("writing to stdout supports --format jsonl only, without --resume")
        if fmt == "parquet":
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
        if self.company_id and not company_filter(self.resource):
            raise ExportError(f"{self.resource} cannot be filtered by company: drop --company")
        if self.date_range and (self.start_date or self.end_date or self.since_last):
            raise ExportError("use either --date-range or --start-date/--end-date/--since-last")
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ExportError(
                f"--end-date {self.end_date} is before --start-date {self.start_date}"
            )
        if not 1 <= self.per_page <= 250:
            raise ExportError(f"per_page must be from 1 to 250, got {safe_repr(self.per_page)}")
        if self.concurrency < 1:
            raise ExportError(f"concurrency must be >= 1, got {safe_repr(self.concurrency)}")
        if self.window_records < 1:
            raise ExportError(f"window_records must be >= 1, got {safe_repr(self.window_records)}")
        if self.verify not in ("ids", "counts"):
            raise ExportError(f"verify must be 'ids' or 'counts', got {self.verify!r}")
        if self.overlap < dt.timedelta(0):
            raise ExportError(
                f"--overlap-hours must be >= 0, got {self.overlap.total_seconds() / 3600:g}"
            )
        try:
            CallFilters(company_id=self.company_id, fields=self.fields)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        if self.date_range is not None:
            from ..enums import DATE_RANGES

            if self.date_range not in DATE_RANGES or self.date_range == "all_time":
                allowed = ", ".join(sorted(DATE_RANGES - {"all_time"}))
                raise ExportError(f"--date-range must be one of {allowed}")

    def _check_types(self) -> None:
        """Each option of the type it is declared with (a '2026-01-31' for a date, a str
        for a Path): ExportError, not a TypeError from deep inside the run."""
        none = type(None)
        expected: dict[str, tuple[type, ...]] = {
            "resource": (str,),
            "out": (Path, none),
            "since_last": (Path, none),
            "format": (str, none),
            "date_range": (str, none),
            "company_id": (str, int, none),
            "start_date": (dt.date, none),
            "end_date": (dt.date, none),
            "overlap": (dt.timedelta,),
            "resume": (bool,),
            "verify": (str,),
            "per_page": (int,),
            "concurrency": (int,),
            "window_records": (int,),
            "fields": (list, tuple, none),
        }
        for name, types in expected.items():
            value = getattr(self, name)
            wrong = isinstance(value, bool) and bool not in types
            if wrong or not isinstance(value, types) or isinstance(value, dt.datetime):
                allowed = " or ".join("None" if t is none else t.__name__ for t in types)
                raise ExportError(f"{name} must be a {allowed}, got {type(value).__name__}")
        if self.fields is not None and not all(isinstance(f, str) for f in self.fields):
            raise ExportError("fields must be a list of field names (str)")
        if self.progress is not None and not callable(self.progress):
            raise ExportError("progress must be a function of Progress, or None")

    def _check_paths(self) -> None:
        """Every file the export will write: ``out`` and the files beside it (checkpoint,
        parts directory, lock), and the ``--since-last`` state."""
        if self.out is not None:
            _check_writable("--out", self.out)
            beside = (checkpoint_path(self.out), lock_path(self.out))
            for path in beside:
                if path.is_dir():
                    raise ExportError(f"{path} is in the way: it is a directory")
            if parts_dir(self.out).exists() and not parts_dir(self.out).is_dir():
                raise ExportError(f"{parts_dir(self.out)} is in the way: it is not a directory")
        if self.since_last is not None:
            _check_writable("--since-last", self.since_last)
            if self.since_last.exists() and not os.access(self.since_last, os.R_OK):
                raise ExportError(f"--since-last {self.since_last} is not readable")


def _check_writable(option: str, path: Path) -> None:
    if path.is_dir():
        raise ExportError(f"{option} {path} is a directory")
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"{option} {path}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ExportError(f"{option} {path} is not writable")
