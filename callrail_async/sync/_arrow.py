"""Typed records to Arrow tables, column by column (dlt loads them without a Python pass).

Calls become one row each with one column per requested field under its API name, plus
``account_id``; their tags become rows of ``calls__tags`` linked by ``_dlt_parent_id``
(= the call's ``_dlt_id``, which is the call id). A hidden call becomes a *tombstone*: a row
whose ``deleted`` column is true, which dlt's ``hard_delete`` hint turns into a delete.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import msgspec
import pyarrow as pa

from ..models import Call

__all__ = [
    "CALL_COLUMNS",
    "calls_table",
    "hidden_table",
    "records_table",
    "tags_table",
]

_TIMESTAMP = pa.timestamp("us", tz="UTC")


def _arrow_type(hint: Any) -> tuple[pa.DataType, Callable[[Any], Any] | None]:
    """The Arrow type of a model field and a converter for values that need one."""
    args = {_bare(a) for a in typing.get_args(hint) or (hint,)} - {type(None)}
    if typing.get_origin(hint) is typing.Annotated:
        args = {_bare(hint)}
    if args == {dt.datetime}:
        return _TIMESTAMP, None
    if args == {bool}:
        return pa.bool_(), None
    if args == {int}:
        return pa.int64(), None
    if args == {str}:
        return pa.string(), None
    if args and args <= {str, int, float}:
        return pa.string(), _text  # ids and values CallRail sends as strings or numbers
    return pa.string(), _json  # nested objects, lists, anything else: JSON text


def _bare(hint: Any) -> Any:
    """``Annotated[T, ...]`` -> ``T``."""
    return typing.get_args(hint)[0] if typing.get_origin(hint) is typing.Annotated else hint


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _json(value: Any) -> str | None:
    return None if value is None else msgspec.json.encode(value).decode()


def _columns(model: type[msgspec.Struct]) -> dict[str, tuple[pa.DataType, Any]]:
    hints = typing.get_type_hints(model, include_extras=True)
    return {name: _arrow_type(hints[name]) for name in model.__struct_fields__}


CALL_COLUMNS: dict[str, tuple[pa.DataType, Callable[[Any], Any] | None]] = {
    name: spec for name, spec in _columns(Call).items() if name != "tags"
}
"""Arrow type and value converter of every column a call can have (tags excepted)."""
_DEFAULT_FIELDS = Call.__struct_fields__[: Call.__struct_fields__.index("agent_email")]


def _column(items: Sequence[Any], name: str, spec: tuple[pa.DataType, Any]) -> pa.Array:
    kind, convert = spec
    values = [getattr(item, name) for item in items]
    if convert is not None:
        values = [convert(v) for v in values]
    return pa.array(values, type=kind)


def calls_table(calls: Sequence[Call], account_id: str, fields: Iterable[str]) -> pa.Table:
    """One row per call: CallRail's default fields and ``fields`` as typed columns, ``account_id``,
    ``deleted`` (false) and ``_dlt_id`` (the call id)."""
    extra = [f for f in fields if f in CALL_COLUMNS and f not in _DEFAULT_FIELDS]
    names = [*_DEFAULT_FIELDS, *dict.fromkeys(extra)]
    arrays = {name: _column(calls, name, CALL_COLUMNS[name]) for name in names}
    ids = arrays["id"]
    arrays["account_id"] = pa.array([account_id] * len(calls), pa.string())
    arrays["deleted"] = pa.array([False] * len(calls), pa.bool_())
    arrays["_dlt_id"] = ids
    return _keyed(pa.table(arrays), "id")


def _keyed(table: pa.Table, *names: str) -> pa.Table:
    """``table`` with its key columns declared non-null, as dlt declares keys."""
    fields = [f.with_nullable(False) if f.name in names else f for f in table.schema]
    return table.cast(pa.schema(fields))


def tags_table(calls: Sequence[Call]) -> pa.Table:
    """The calls' tags as ``calls__tags`` rows (``value``: the tag name), plus one
    tombstone per call without tags so that tags removed since the last run go too."""
    values: list[str | None] = []
    parents: list[str] = []
    positions: list[int | None] = []
    deleted: list[bool] = []
    for call in calls:
        parent = str(call.id)
        names = [_tag_name(tag) for tag in call.tags or ()]
        if not names:
            values.append(None)
            parents.append(parent)
            positions.append(None)
            deleted.append(True)
            continue
        for position, name in enumerate(names):
            values.append(name)
            parents.append(parent)
            positions.append(position)
            deleted.append(False)
    return _tags(values, parents, positions, deleted)


def _tag_name(tag: Any) -> str:
    # CallRail lists tag names; some payloads carry tag objects instead.
    if isinstance(tag, dict):
        return str(tag.get("name", ""))
    return str(tag)


def _tags(
    values: list[str | None], parents: list[str], positions: list[int | None], deleted: list[bool]
) -> pa.Table:
    parent = pa.array(parents, pa.string())
    row_ids = [f"{p}:{'-' if i is None else i}" for p, i in zip(parents, positions, strict=True)]
    table = pa.table(
        {
            "value": pa.array(values, pa.string()),
            "_dlt_parent_id": parent,
            "_dlt_root_id": parent,
            "_dlt_list_idx": pa.array(positions, pa.int64()),
            "_dlt_id": pa.array(row_ids, pa.string()),
            "deleted": pa.array(deleted, pa.bool_()),
        }
    )
    return _keyed(table, "_dlt_root_id")


def hidden_table(
    hidden: dict[str, float], account_id: str, detected_at: dt.datetime
) -> tuple[pa.Table, pa.Table, pa.Table]:
    """Tombstones for calls that left CallRail's listings: ``(calls, calls__tags,
    hidden_calls)`` rows, the last one a record of when each disappearance was seen."""
    ids = list(hidden)
    starts = pa.array([dt.datetime.fromtimestamp(hidden[i], dt.UTC) for i in ids], type=_TIMESTAMP)
    id_array = pa.array(ids, pa.string())
    account = pa.array([account_id] * len(ids), pa.string())
    calls = pa.table(
        {
            "id": id_array,
            "start_time": starts,
            "account_id": account,
            "deleted": pa.array([True] * len(ids), pa.bool_()),
            "_dlt_id": id_array,
        }
    )
    tags = _tags([None] * len(ids), ids, [None] * len(ids), [True] * len(ids))
    log = pa.table(
        {
            "id": id_array,
            "account_id": account,
            "start_time": starts,
            "detected_at": pa.array([detected_at] * len(ids), type=_TIMESTAMP),
        }
    )
    return _keyed(calls, "id"), tags, _keyed(log, "id")


def records_table(items: Sequence[msgspec.Struct], account_id: str) -> pa.Table:
    """Any typed records (companies, trackers, ...): scalar fields as typed columns,
    nested ones as JSON text, plus ``account_id`` and ``deleted`` (false)."""
    model = type(items[0])
    arrays = {name: _column(items, name, spec) for name, spec in _columns(model).items()}
    arrays["account_id"] = pa.array([account_id] * len(items), pa.string())
    arrays["deleted"] = pa.array([False] * len(items), pa.bool_())
    return _keyed(pa.table(arrays), "id", "account_id")


def empty_account_table(account_id: str) -> pa.Table:
    """A tombstone that empties an account's rows of a snapshot table."""
    table = pa.table(
        {"account_id": pa.array([account_id], pa.string()), "deleted": pa.array([True])}
    )
    return _keyed(table, "account_id")
