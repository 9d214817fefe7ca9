"""Output formats: JSONL is written as records arrive; CSV and Parquet are converted from it.

CSV flattening (documented in the README): one column per top-level field, in order of first
appearance across all records; nested objects and arrays are written as compact JSON in
their cell; ``true``/``false`` for booleans; an empty cell for null or a missing field.
Parquet keeps types: a column whose values are all integers, floats, booleans or strings
gets that type (integers mixed with floats become floats); a column of mixed types, or of
objects and arrays, is stored as JSON text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

import msgspec

from .errors import ExportError

Format = Literal["jsonl", "csv", "parquet"]
FORMATS: tuple[Format, ...] = ("jsonl", "csv", "parquet")
SUFFIXES: dict[str, Format] = {".jsonl": "jsonl", ".csv": "csv", ".parquet": "parquet"}
"""The format each output file extension stands for (compared in lower case)."""


def format_for(out: Path | None, format: str | None = None) -> Format:
    """The format of an export to ``out``: ``format`` when given (it wins over the
    extension: ``format="jsonl"`` writes JSONL even to ``calls.csv``); else JSONL on stdout
    (``out=None``), else the one ``out``'s extension names (:data:`SUFFIXES`, any case).

    Raises :class:`ExportError` for a ``format`` not in :data:`FORMATS`, or for no
    ``format`` and an extension that names none.
    """
    if format is not None:
        for known in FORMATS:
            if format == known:
                return known
        raise ExportError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if out is None:
        return "jsonl"
    found = SUFFIXES.get(out.suffix.lower())
    if found is None:
        extension = f"extension {out.suffix!r}" if out.suffix else "no extension"
        raise ExportError(
            f"cannot tell the format of --out {out} from its {extension}: name the file "
            f"{', '.join(f'*{s}' for s in SUFFIXES)}, or give --format ({', '.join(FORMATS)})"
        )
    return found


_decoder = msgspec.json.Decoder(dict[str, Any])


def jsonl_lines(records: Sequence[bytes | msgspec.Raw]) -> bytes:
    """Records as JSONL: each exactly as sent, one per line (a record that was sent
    pretty-printed over several lines is compacted, which changes only whitespace)."""
    if not records:
        return b""
    data = b"\n".join(records) + b"\n"
    if data.count(b"\n") == len(records) and b"\r" not in data:
        return data
    return b"".join(msgspec.json.format(bytes(r), indent=-1) + b"\n" for r in records)


def _records(jsonl: Path) -> Iterator[dict[str, Any]]:
    with open(jsonl, "rb") as handle:
        for line in handle:
            if line.strip():
                yield _decoder.decode(line)


def _columns(jsonl: Path) -> list[str]:
    seen: dict[str, None] = {}
    for record in _records(jsonl):
        for key in record:
            seen.setdefault(key, None)
    return list(seen)


def csv_cell(value: Any) -> str:
    """How one value is written to CSV."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (dict, list)):
        return msgspec.json.encode(value).decode()
    return str(value)


def jsonl_to_csv(jsonl: Path, out: Path) -> int:
    """Convert a JSONL export to CSV (two streaming passes); returns rows written."""
    columns = _columns(jsonl)
    rows = 0
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for record in _records(jsonl):
            writer.writerow([csv_cell(record.get(column)) for column in columns])
            rows += 1
    return rows


def _arrow_type(kinds: set[type]) -> str:
    kinds = kinds - {type(None)}
    if kinds <= {bool} and kinds:
        return "bool"
    if kinds <= {int} and kinds:
        return "int64"
    if kinds <= {int, float} and kinds:
        return "float64"
    if kinds <= {str} or not kinds:
        return "string"
    return "json"


def jsonl_to_parquet(jsonl: Path, out: Path, batch_size: int = 10_000) -> int:
    """Convert a JSONL export to Parquet with typed columns; returns rows written."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ExportError(
            "--format parquet needs pyarrow: pip install 'callrail-async[parquet]'"
        ) from exc
    kinds: dict[str, set[type]] = {}
    for record in _records(jsonl):
        for key, value in record.items():
            kinds.setdefault(key, set()).add(type(value))
    plan = {key: _arrow_type(types) for key, types in kinds.items()}
    arrow = {
        "bool": pa.bool_(),
        "int64": pa.int64(),
        "float64": pa.float64(),
        "string": pa.string(),
        "json": pa.string(),
    }
    schema = pa.schema(
        [
            pa.field(
                key, arrow[kind], metadata={b"callrail_async": b"json"} if kind == "json" else None
            )
            for key, kind in plan.items()
        ]
    )

    def cell(key: str, value: Any) -> Any:
        if value is None:
            return None
        kind = plan[key]
        if kind == "json":
            return msgspec.json.encode(value).decode()
        if kind == "float64":
            return float(value)
        return value

    rows = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in _records(jsonl):
            batch.append({key: cell(key, record.get(key)) for key in plan})
            if len(batch) >= batch_size:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                rows += len(batch)
                batch = []
        if batch or rows == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            rows += len(batch)
    return rows
