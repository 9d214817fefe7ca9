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


BOOLEANS = ("answered", "voicemail", "first_call")


async def copy_calls(
    client: Any,
    path: Path,
    *,
    account_id: str,
    deleted: frozenset[str] = frozenset(),
    days: int = 400,
    batch: int = 50_000,
) -> int:
    """Copy every call of the last ``days`` days into a new DuckDB file at ``path``, through
    ``calls.list`` (offset pages), ``batch`` calls at a time; ids in ``deleted`` are marked
    deleted. Returns the number of calls."""
    import duckdb

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
    count = 0
    with duckdb.connect(str(path)) as db:
        # callrail.duckdb is also catalog "callrail": qualify names fully.
        row = db.execute("SELECT current_database()").fetchone()
        assert row is not None
        schema = f'"{row[0]}".callrail'
        db.execute(f"CREATE SCHEMA {schema}")
        pending: list[SyncedCall] = []
        async for raw in paginator.raw():
            pending.append(decode(raw))
            if len(pending) == batch:
                _insert(db, schema, pending, count, account_id, deleted)
                count += len(pending)
                pending = []
        _insert(db, schema, pending, count, account_id, deleted)
    return count + len(pending)


def _insert(
    db: Any,
    schema: str,
    calls: list[SyncedCall],
    first: int,
    account_id: str,
    deleted: frozenset[str],
) -> None:
    import pyarrow as pa

    names = [f for f in SyncedCall.__struct_fields__ if f != "tags"]
    kinds = {**dict.fromkeys(BOOLEANS, pa.bool_()), "duration": pa.int64()}
    fields = [(n, kinds.get(n, pa.string())) for n in names]
    columns: dict[str, list[Any]] = {n: [] for n in names}
    ids: list[str] = []
    tags: dict[str, list[Any]] = {"value": [], "_dlt_parent_id": [], "_dlt_list_idx": []}
    for n, call in enumerate(calls, start=first):
        for name in names:
            value = getattr(call, name)
            columns[name].append(str(value) if name == "value" and value is not None else value)
        ids.append(f"row{n}")
        for i, tag in enumerate(call.tags or []):
            tags["value"].append(tag)
            tags["_dlt_parent_id"].append(f"row{n}")
            tags["_dlt_list_idx"].append(i)
    rows = pa.table(
        {**columns, "_dlt_id": ids}, schema=pa.schema([*fields, ("_dlt_id", pa.string())])
    )
    tag_fields = [("value", pa.string()), ("_dlt_parent_id", pa.string()),
                  ("_dlt_list_idx", pa.int64())]  # fmt: skip
    tag_rows = pa.table(tags, schema=pa.schema(tag_fields))
    gone = pa.table({"id": sorted(deleted)}, schema=pa.schema([("id", pa.string())]))
    db.register("batch_rows", rows)
    db.register("batch_tags", tag_rows)
    db.register("deleted_ids", gone)
    verb = "CREATE TABLE {} AS" if first == 0 else "INSERT INTO {}"
    db.execute(
        verb.format(f"{schema}.calls")
        + " SELECT * REPLACE (CAST(start_time AS TIMESTAMPTZ) AS start_time), "
        "? AS account_id, id IN (SELECT id FROM deleted_ids) AS deleted, "
        "'load1' AS _dlt_load_id FROM batch_rows",
        [account_id],
    )
    db.execute(
        verb.format(f"{schema}.calls__tags")
        + " SELECT *, _dlt_parent_id || '.' || _dlt_list_idx AS _dlt_id FROM batch_tags"
    )
    for name in ("batch_rows", "batch_tags", "deleted_ids"):
        db.unregister(name)
