"""The call report from the DuckDB database that ``callrail-async sync`` writes.

Reads table ``calls`` of schema ``callrail`` (one column per call field, under its API
name) and tags from dlt's child table ``calls__tags`` (``value``, or ``name``, linked by
``_dlt_parent_id`` to ``calls._dlt_id``). Calls marked
``deleted`` are left out. Every column but ``start_time`` is optional: a missing one
counts as empty (no answered calls, no tags...), never as an error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..enums import DateRange
from .model import CallReport, Day, Group, TagCount, Totals, TrackingNumber
from .periods import preset_days, previous_period

__all__ = ["report_from_duckdb"]

OPTIONAL = {
    "answered": "BOOLEAN",
    "voicemail": "BOOLEAN",
    "first_call": "BOOLEAN",
    "deleted": "BOOLEAN",
    "duration": "DOUBLE",
    "lead_status": "VARCHAR",
    "source": "VARCHAR",
    "company_id": "VARCHAR",
    "company_name": "VARCHAR",
    "tracking_phone_number": "VARCHAR",
    "source_name": "VARCHAR",
    "_dlt_id": "VARCHAR",
}
_ROWS = """
CREATE TEMP TABLE report_calls AS
SELECT CAST(local AS DATE) AS day, isodow(local) - 1 AS weekday, hour(local) AS hour,
       coalesce(answered, false) AS answered, coalesce(voicemail, false) AS voicemail,
       coalesce(first_call, false) AS first_call,
       coalesce(lead_status = 'good_lead', false) AS lead, duration,
       coalesce(source, '(none)') AS source, coalesce(company_name, '(none)') AS company,
       tracking_phone_number AS number, source_name AS tracker, _dlt_id AS row_id
FROM (SELECT {columns}, timezone($zone, TRY_CAST(start_time AS TIMESTAMPTZ)) AS local
      FROM {table} WHERE NOT coalesce({deleted}, false) {company})
WHERE local >= $first AND local < $stop
"""
_COUNTS = (
    "count(*), count(*) FILTER (answered), count(*) FILTER (first_call), count(*) FILTER (lead)"
)


def report_from_duckdb(
    path: str | Path,
    *,
    date_range: DateRange | None = None,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    company_id: str | None = None,
    time_zone: str | None = None,
    today: dt.date | None = None,
    title: str = "Call report",
    schema: str = "callrail",
) -> CallReport:
    """Build the report from a synced DuckDB file (``last_30_days`` unless dates are given).

    ``time_zone`` (an IANA name) sets the days and hours; by default the time zone most
    of the calls' companies use (``company_time_zone``), else UTC. ``today`` fixes the
    day presets count from (default: today in ``time_zone``).
    """
    try:
        import duckdb
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "the report from a database needs DuckDB: pip install 'callrail-async[duckdb]'"
        ) from None
    if date_range is not None and (start_date is not None or end_date is not None):
        raise ValueError("give date_range or start_date/end_date, not both")
    if not schema.isidentifier():
        raise ValueError(f"schema must be a plain name, got {schema!r}")
    if not Path(path).is_file():
        raise ValueError(f"no database at {path}: run `callrail-async sync` first")
    with duckdb.connect(str(path), read_only=True) as db:
        # The default file callrail.duckdb is also catalog "callrail": qualify names fully.
        row = db.execute("SELECT current_database()").fetchone()
        schema_path = f'"{row[0] if row else "memory"}"."{schema}"'
        columns = _columns(db, schema, "calls")
        if "start_time" not in columns:
            raise ValueError(f"{path} has no table {schema}.calls with a start_time column")
        if company_id and "company_id" not in columns:
            raise ValueError(f"{schema}.calls in {path} has no company_id column to filter on")
        table = f"{schema_path}.calls"
        zone_name = time_zone or _common_zone(db, table, columns)
        zone = _zone(zone_name)
        start, end = _period(
            db, table, zone, date_range, start_date, end_date, today or dt.datetime.now(zone).date()
        )
        prev_start, prev_end = previous_period(start, end)
        select = ", ".join(
            name if name in columns else f"CAST(NULL AS {kind}) AS {name}"
            for name, kind in OPTIONAL.items()
        )
        db.execute(
            _ROWS.format(
                columns=select,
                table=table,
                deleted="deleted" if "deleted" in columns else "NULL",
                company="AND company_id = $company" if company_id else "",
            ),
            {
                "zone": zone_name,
                "first": dt.datetime.combine(prev_start, dt.time()),
                "stop": dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
                **({"company": company_id} if company_id else {}),
            },
        )
        current = f"WHERE day >= DATE '{start.isoformat()}'"
        total = db.execute(
            f"SELECT {_COUNTS}, count(*) FILTER (voicemail), avg(duration) FROM report_calls "
            f"{current}"
        ).fetchone()
        assert total is not None
        days = {
            row[0]: Day(date=row[0], **_counts(row[1:]))
            for row in db.execute(f"SELECT day, {_COUNTS} FROM report_calls GROUP BY day")
            .fetchall()
        }  # fmt: skip
        grid = [[0] * 24 for _ in range(7)]
        for weekday, hour, count in db.execute(
            f"SELECT weekday, hour, count(*) FROM report_calls {current} GROUP BY ALL"
        ).fetchall():
            grid[weekday][hour] = count
        numbers = db.execute(
            f"SELECT number, any_value(tracker), {_COUNTS} FROM report_calls {current} "
            "AND number IS NOT NULL GROUP BY number ORDER BY 3 DESC, 1"
        ).fetchall()
        company_scope = (
            db.execute(f"SELECT any_value(company) FROM report_calls {current}").fetchone()
            if company_id
            else None
        )
        tags = _tags(db, schema, schema_path, columns, current)
        return CallReport(
            title=title,
            scope=(company_scope[0] if company_scope and company_scope[0] else company_id)
            if company_id
            else "All companies",
            company_id=company_id,
            start_date=start,
            end_date=end,
            previous_start_date=prev_start,
            previous_end_date=prev_end,
            time_zone=zone_name,
            generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
            data_source="duckdb",
            requests=0,
            totals=Totals(
                **_counts(total[:4]),
                voicemail=total[4],
                missed=max(0, total[0] - total[1] - total[4]),
                average_duration=float(total[5] or 0.0),
            ),
            days=_span(days, start, end),
            previous_days=_span(days, prev_start, prev_end),
            by_source=_groups(db, "source", current),
            by_company=_groups(db, "company", current),
            busiest_hours=grid,
            tracking_numbers=[
                TrackingNumber(number=n, name=name, **_counts(c, first_time=False))
                for n, name, *c in numbers
            ],
            tags=[TagCount(name=name, calls=count) for name, count in tags],
        )


def _columns(db: Any, schema: str, table: str) -> set[str]:
    rows = db.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchall()
    return {row[0] for row in rows}


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r} (an IANA name such as America/New_York)"
        ) from None


def _common_zone(db: Any, table: str, columns: set[str]) -> str:
    if "company_time_zone" not in columns:
        return "UTC"
    rows = db.execute(
        f"SELECT company_time_zone, count(*) FROM {table} "
        "WHERE company_time_zone IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 5"
    ).fetchall()
    for name, _ in rows:
        try:
            ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return str(name)
    return "UTC"


def _period(
    db: Any,
    table: str,
    zone: ZoneInfo,
    date_range: DateRange | None,
    start: dt.date | None,
    end: dt.date | None,
    today: dt.date,
) -> tuple[dt.date, dt.date]:
    if start is not None or end is not None:
        first = start or (end or today) - dt.timedelta(days=29)
        return first, end or today
    if date_range == "all_time":
        low, high = db.execute(f"SELECT min(start_time), max(start_time) FROM {table}").fetchone()
        if low is None:
            return today, today
        return _local_day(low, zone), _local_day(high, zone)
    return preset_days(date_range or "last_30_days", today)


def _local_day(value: Any, zone: ZoneInfo) -> dt.date:
    moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(zone).date()


def _counts(row: Any, *, first_time: bool = True) -> dict[str, int]:
    calls, answered, first, leads = row
    counts = {"calls": calls, "answered": answered, "leads": leads}
    if first_time:
        counts["first_time_callers"] = first
    return counts


def _span(days: dict[dt.date, Day], start: dt.date, end: dt.date) -> list[Day]:
    span = []
    for n in range((end - start).days + 1):
        day = start + dt.timedelta(days=n)
        empty = Day(date=day, calls=0, answered=0, first_time_callers=0, leads=0)
        span.append(days.get(day, empty))
    return span


def _groups(db: Any, column: str, current: str) -> list[Group]:
    rows = db.execute(
        f"SELECT {column}, {_COUNTS} FROM report_calls {current} "
        f"GROUP BY {column} ORDER BY 2 DESC, 1"
    ).fetchall()
    return [Group(key=key, **_counts(counts)) for key, *counts in rows]


def _tags(
    db: Any, schema: str, schema_path: str, columns: set[str], current: str
) -> list[tuple[str, int]]:
    tag_columns = _columns(db, schema, "calls__tags")
    name = "value" if "value" in tag_columns else "name"
    if {name, "_dlt_parent_id"} <= tag_columns and "_dlt_id" in columns:
        query = (
            f'SELECT t."{name}", count(DISTINCT t._dlt_parent_id) FROM {schema_path}.calls__tags t '
            f"JOIN report_calls r ON t._dlt_parent_id = r.row_id {current.replace('day', 'r.day')} "
            f'AND t."{name}" IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1'
        )
        return [(str(name), int(n)) for name, n in db.execute(query).fetchall()]
    return []
