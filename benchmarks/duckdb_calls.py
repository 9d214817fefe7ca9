"""Calls into DuckDB in the schema ``callrail-async sync`` writes, through the SDK.

A stand-in for ``sync`` in the report's tests and benchmark: table ``callrail.calls`` with
one column per call field under its API name plus ``account_id``, ``deleted``,
``_dlt_id`` and ``_dlt_load_id``, and tags in dlt's child table ``callrail.calls__tags``
(``value``, ``_dlt_parent_id`` -> ``calls._dlt_id``, ``_dlt_list_idx``, ``_dlt_id``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import msgspec

FIELDS = (
    "company_id",
    "company_name",
    "company_time_zone",
    "first_call",
    "lead_status",
    "medium",
    "source",
    "source_name",
    "tags",
    "tracker_id",
    "value",
)


class SyncedCall(msgspec.Struct):
    """The call fields the report reads (the rest of a synced row does not matter here)."""

    id: str
    start_time: str
    answered: bool | None = None
    voicemail: bool | None = None
    duration: int | None = None
    direction: str | None = None
    tracking_phone_number: str | None = None
    company_id: str | None = None
    company_name: str | None = None
    company_time_zone: str | None = None
    first_call: bool | None = None
    lead_status: str | None = None
    medium: str | None = None
    source: str | None = None
    source_name: str | None = None
    tags: list[str] | None = None
    tracker_id: str | None = None
    value: Any = None


async def fetch_calls(client: Any, days: int = 400) -> list[SyncedCall]:
    """Every call of the last ``days`` days, through ``calls.list`` (offset pages)."""
    decode = msgspec.json.Decoder(SyncedCall).decode
    today = dt.date.today()
    paginator = client.calls.list(
        start_date=today - dt.timedelta(days=days),
        end_date=today + dt.timedelta(days=1),
        fields=FIELDS,
        per_page=250,
        relative=False,
        concurrency=8,
    )
    return [decode(raw) for raw in [r async for r in paginator.raw()]]


def write_duckdb(
    calls: list[SyncedCall], path: Path, *, account_id: str, deleted: frozenset[str] = frozenset()
) -> None:
    """Write ``calls`` to a new DuckDB file at ``path``; ids in ``deleted`` are marked so."""
    import duckdb
    import pyarrow as pa

    names = [f for f in SyncedCall.__struct_fields__ if f != "tags"]
    columns: dict[str, list[Any]] = {name: [] for name in [*names, "_dlt_id"]}
    tag_rows: dict[str, list[Any]] = {"value": [], "_dlt_parent_id": [], "_dlt_list_idx": []}
    for n, call in enumerate(calls):
        for name in names:
            value = getattr(call, name)
            columns[name].append(
                None if value is None else str(value) if name == "value" else value
            )
        columns["_dlt_id"].append(f"row{n}")
        for i, tag in enumerate(call.tags or []):
            tag_rows["value"].append(tag)
            tag_rows["_dlt_parent_id"].append(f"row{n}")
            tag_rows["_dlt_list_idx"].append(i)
    rows = pa.table(columns)
    tags = pa.table(tag_rows, schema=pa.schema([("value", pa.string()),
                    ("_dlt_parent_id", pa.string()), ("_dlt_list_idx", pa.int64())]))  # fmt: skip
    ids = pa.table({"id": sorted(deleted)}, schema=pa.schema([("id", pa.string())]))
    with duckdb.connect(str(path)) as db:
        db.register("rows", rows)
        db.register("tag_rows", tags)
        db.register("deleted_ids", ids)
        # callrail.duckdb is also catalog "callrail": qualify names fully.
        row = db.execute("SELECT current_database()").fetchone()
        assert row is not None
        schema = f'"{row[0]}".callrail'
        db.execute(f"CREATE SCHEMA {schema}")
        db.execute(
            f"CREATE TABLE {schema}.calls AS SELECT * REPLACE "
            "(CAST(start_time AS TIMESTAMPTZ) AS start_time), "
            "? AS account_id, id IN (SELECT id FROM deleted_ids) AS deleted, "
            "'load1' AS _dlt_load_id FROM rows",
            [account_id],
        )
        db.execute(
            f"CREATE TABLE {schema}.calls__tags AS SELECT *, "
            "_dlt_parent_id || '.' || _dlt_list_idx AS _dlt_id FROM tag_rows"
        )
