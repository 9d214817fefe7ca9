"""The call report from the DuckDB database that ``callrail-async sync`` writes.

Reads table ``calls`` (one column per call field, under its API name) of schema
``callrail`` or, failing that, ``main`` (where ``sync`` puts it in DuckDB), and tags from
dlt's child table ``calls__tags`` (``value``, or ``name``, linked by ``_dlt_parent_id`` to
``calls._dlt_id``). Rows marked ``deleted`` (hidden calls, removed tags) are left out.
Every column but ``start_time`` is optional: a missing one counts as empty (no answered
calls, no tags...), never as an error.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..enums import DateRange
from ..errors import ConfigurationError, InvalidArgumentError
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
_LOCAL = "timezone($zone, TRY_CAST(start_time AS TIMESTAMPTZ)) AS local"
_SCOPE = "FROM {table} WHERE NOT coalesce({deleted}, false) {company}"
_PERIOD = "WHERE local >= $first AND local < $stop"
# One scan: every figure is a grouping set of the same rows (the previous period's rows
# count only for the days).
_FIGURES = """
WITH rows AS (
    SELECT CAST(local AS DATE) AS day, local >= $start AS current,
           isodow(local) - 1 AS weekday, hour(local) AS hour,
           coalesce(answered, false) AS answered, coalesce(voicemail, false) AS voicemail,
           coalesce(first_call, false) AS first_call,
           coalesce(lead_status = 'good_lead', false) AS lead, duration,
           coalesce(source, '(none)') AS source, coalesce(company_name, '(none)') AS company,
           tracking_phone_number AS number, source_name AS tracker
    FROM (SELECT {columns}, {local} {scope}) {period}
)
SELECT CASE WHEN grouping(day) = 0 THEN 'day' WHEN grouping(hour) = 0 THEN 'hour'
            WHEN grouping(source) = 0 THEN 'source' WHEN grouping(company) = 0 THEN 'company'
            WHEN grouping(number) = 0 THEN 'number' ELSE 'total' END,
       current, coalesce(CAST(day AS VARCHAR), source, company, number), weekday, hour,
       any_value(tracker), count(*), count(*) FILTER (answered), count(*) FILTER (first_call),
       count(*) FILTER (lead), count(*) FILTER (voicemail), avg(duration)
FROM rows
GROUP BY GROUPING SETS ((current), (day), (current, weekday, hour), (current, source),
                        (current, company), (current, number))
"""
_TAGS = """
SELECT t."{name}", count(DISTINCT t._dlt_parent_id) FROM {tags} t
JOIN (SELECT _dlt_id FROM (SELECT _dlt_id, {local} {scope}) {period}) c
  ON t._dlt_parent_id = c._dlt_id
WHERE t."{name}" IS NOT NULL {live} GROUP BY 1 ORDER BY 2 DESC, 1
"""


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
    schema: str | None = None,
) -> CallReport:
    """Build the report from a synced DuckDB file (``last_30_days`` unless dates are given).

    ``time_zone`` (an IANA name) sets the days and hours; by default the time zone most
    of the calls' companies use (``company_time_zone``), else UTC. ``today`` fixes the
    day presets count from (default: today in ``time_zone``). ``schema``: where the tables
    are (default: ``callrail``, else ``main``).
    """
    try:
        import duckdb
    except ModuleNotFoundError:
        raise ConfigurationError(
            "the report from a database needs DuckDB: pip install 'callrail-async[duckdb]'"
        ) from None
    if date_range is not None and (start_date is not None or end_date is not None):
        raise InvalidArgumentError("give date_range or start_date/end_date, not both")
    if schema is not None and not schema.isidentifier():
        raise InvalidArgumentError(f"schema must be a plain name, got {schema!r}")
    if not Path(path).is_file():
        raise InvalidArgumentError(f"no database at {path}: run `callrail-async sync` first")
    try:
        with duckdb.connect(str(path), read_only=True) as db:
            # The default file callrail.duckdb is also catalog "callrail": qualify names fully.
            row = db.execute("SELECT current_database()").fetchone()
            schema, columns = _calls_table(db, [schema] if schema else ["callrail", "main"], path)
            schema_path = f'"{row[0] if row else "memory"}"."{schema}"'
            if company_id and "company_id" not in columns:
                raise InvalidArgumentError(
                    f"{schema}.calls in {path} has no company_id column to filter on"
                )
            table = f"{schema_path}.calls"
            zone_name = time_zone or _common_zone(db, table, columns)
            zone = _zone(zone_name)
            start, end = _period(
                db,
                table,
                zone,
                date_range,
                start_date,
                end_date,
                today or dt.datetime.now(zone).date(),
            )
            prev_start, prev_end = previous_period(start, end)
            select = ", ".join(
                name if name in columns else f"CAST(NULL AS {kind}) AS {name}"
                for name, kind in OPTIONAL.items()
            )
            where = _SCOPE.format(
                table=table,
                deleted="deleted" if "deleted" in columns else "NULL",
                company="AND company_id = $company" if company_id else "",
            )
            params = {
                "zone": zone_name,
                "first": dt.datetime.combine(start, dt.time()),
                "stop": dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
                **({"company": company_id} if company_id else {}),
            }
            figures = db.execute(
                _FIGURES.format(columns=select, local=_LOCAL, scope=where, period=_PERIOD),
                {
                    **params,
                    "first": dt.datetime.combine(prev_start, dt.time()),
                    "start": params["first"],
                },
            ).fetchall()
            tags = _tags(db, schema, schema_path, columns, where, params)
    except duckdb.Error as exc:  # not a DuckDB file, locked by a writer...
        raise InvalidArgumentError(f"{path} could not be read: {exc}") from None
    f = _Figures(figures)
    return CallReport(
        title=title,
        scope=(f.groups["company"][0].key if company_id and f.groups["company"] else company_id)
        or "All companies",
        company_id=company_id,
        start_date=start,
        end_date=end,
        previous_start_date=prev_start,
        previous_end_date=prev_end,
        time_zone=zone_name,
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        data_source="duckdb",
        requests=0,
        totals=f.totals,
        days=_span(f.days, start, end),
        previous_days=_span(f.days, prev_start, prev_end),
        by_source=f.groups["source"],
        by_company=f.groups["company"],
        busiest_hours=f.grid,
        tracking_numbers=f.numbers,
        tags=[TagCount(name=name, calls=count) for name, count in tags],
    )


class _Figures:
    """The rows of the grouping-sets query, sorted into the report's parts."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.days: dict[dt.date, Day] = {}
        self.grid = [[0] * 24 for _ in range(7)]
        self.groups: dict[str, list[Group]] = {"source": [], "company": []}
        self.numbers: list[TrackingNumber] = []
        self.totals = Totals(
            calls=0,
            answered=0,
            missed=0,
            voicemail=0,
            first_time_callers=0,
            leads=0,
            average_duration=0.0,
        )
        for kind, current, key, weekday, hour, tracker, *counts in rows:
            counted = _counts(counts[:4])
            if kind == "day":
                day = dt.date.fromisoformat(key)
                self.days[day] = Day(date=day, **counted)
            elif not current:
                continue
            elif kind == "hour":
                self.grid[weekday][hour] = counted["calls"]
            elif kind in self.groups:
                self.groups[kind].append(Group(key=key, **counted))
            elif kind == "number" and key is not None:
                del counted["first_time_callers"]
                self.numbers.append(TrackingNumber(number=key, name=tracker, **counted))
            elif kind == "total":
                calls, answered, voicemail = counts[0], counts[1], counts[4]
                self.totals = Totals(
                    **counted,
                    voicemail=voicemail,
                    missed=max(0, calls - answered - voicemail),
                    average_duration=float(counts[5] or 0.0),
                )
        for groups in self.groups.values():
            groups.sort(key=lambda g: (-g.calls, g.key))
        self.numbers.sort(key=lambda n: (-n.calls, n.number))


def _calls_table(db: Any, schemas: list[str], path: str | Path) -> tuple[str, set[str]]:
    """The first of ``schemas`` with a ``calls`` table that has ``start_time``, and its
    columns."""
    for schema in schemas:
        columns = _columns(db, schema, "calls")
        if "start_time" in columns:
            return schema, columns
    raise InvalidArgumentError(f"{path} has no table calls with a start_time column in {schemas}")


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
        raise InvalidArgumentError(
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


def _counts(row: Any) -> dict[str, int]:
    calls, answered, first, leads = row
    return {"calls": calls, "answered": answered, "first_time_callers": first, "leads": leads}


def _span(days: dict[dt.date, Day], start: dt.date, end: dt.date) -> list[Day]:
    span = []
    for n in range((end - start).days + 1):
        day = start + dt.timedelta(days=n)
        empty = Day(date=day, calls=0, answered=0, first_time_callers=0, leads=0)
        span.append(days.get(day, empty))
    return span


def _tags(
    db: Any,
    schema: str,
    schema_path: str,
    columns: set[str],
    where: str,
    params: dict[str, Any],
) -> list[tuple[str, int]]:
    tag_columns = _columns(db, schema, "calls__tags")
    name = "value" if "value" in tag_columns else "name"
    if not ({name, "_dlt_parent_id"} <= tag_columns and "_dlt_id" in columns):
        return []
    query = _TAGS.format(
        name=name,
        live="AND NOT coalesce(t.deleted, false)" if "deleted" in tag_columns else "",
        tags=f"{schema_path}.calls__tags",
        local=_LOCAL,
        scope=where,
        period=_PERIOD,
    )
    return [(str(tag), int(n)) for tag, n in db.execute(query, params).fetchall()]
