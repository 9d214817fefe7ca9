"""The call report from a synced DuckDB file: days and hours in the report's time zone,
deleted calls left out, missing optional columns tolerated, hostile text escaped."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from callrail_async.errors import ConfigurationError, InvalidArgumentError
from callrail_async.report import render_html, report_from_duckdb

duckdb = pytest.importorskip("duckdb", reason="the report's DuckDB source needs duckdb")

LA = "America/Los_Angeles"
# US daylight saving time starts on 2026-03-08: the period straddles it.
START, END = dt.date(2026, 3, 7), dt.date(2026, 3, 9)
FULL = """CREATE TABLE "{cat}".callrail.calls (
    id VARCHAR, start_time TIMESTAMPTZ, answered BOOLEAN, voicemail BOOLEAN,
    first_call BOOLEAN, duration BIGINT, source VARCHAR, company_id VARCHAR,
    company_name VARCHAR, company_time_zone VARCHAR, tracking_phone_number VARCHAR,
    source_name VARCHAR, lead_status VARCHAR, deleted BOOLEAN, _dlt_id VARCHAR)"""


def _db(path: Path, rows: list[tuple[object, ...]], tags: Sequence[tuple[str, str]] = ()) -> Path:
    with duckdb.connect(str(path)) as db:
        cat = db.execute("SELECT current_database()").fetchone()[0]
        db.execute(f'CREATE SCHEMA "{cat}".callrail')
        db.execute(FULL.format(cat=cat))
        marks = ", ".join("?" * 15)
        db.executemany(f'INSERT INTO "{cat}".callrail.calls VALUES ({marks})', rows)
        db.execute(
            f'CREATE TABLE "{cat}".callrail.calls__tags '
            "(value VARCHAR, _dlt_parent_id VARCHAR, _dlt_list_idx BIGINT, _dlt_id VARCHAR)"
        )
        for n, (value, parent) in enumerate(tags):
            db.execute(
                f'INSERT INTO "{cat}".callrail.calls__tags VALUES (?, ?, 0, ?)',
                [value, parent, f"t{n}"],
            )
    return path


def _call(n: int, utc: str, **over: object) -> tuple[object, ...]:
    row: dict[str, object] = {
        "id": f"CAL{n}", "start_time": utc, "answered": True, "voicemail": False,
        "first_call": False, "duration": 60, "source": "Google Ads", "company_id": "COM1",
        "company_name": "Acme", "company_time_zone": LA, "tracking_phone_number": "+14045551234",
        "source_name": "Ads", "lead_status": None, "deleted": None, "_dlt_id": f"r{n}",
    }  # fmt: skip
    row.update(over)
    return tuple(row.values())


def test_days_and_hours_are_local_and_the_period_edges_exact(tmp_path: Path) -> None:
    path = _db(
        tmp_path / "callrail.duckdb",
        [
            _call(1, "2026-03-07T07:59:00Z"),  # Fri 6th 23:59 PST: previous period
            _call(2, "2026-03-07T08:00:00Z"),  # Sat 7th 00:00 PST: first minute
            _call(3, "2026-03-10T06:30:00Z"),  # Mon 9th 23:30 PDT: last hour
            _call(4, "2026-03-10T07:00:00Z"),  # Tue 10th 00:00 PDT: after the end
            _call(5, "2026-03-08T10:30:00Z", answered=False, voicemail=True),  # 03:30 PDT
        ],
    )
    report = report_from_duckdb(path, start_date=START, end_date=END, time_zone=LA)
    assert [(d.date.day, d.calls) for d in report.days] == [(7, 1), (8, 1), (9, 1)]
    assert [(d.date.day, d.calls) for d in report.previous_days] == [(4, 0), (5, 0), (6, 1)]
    cells = {
        (w, h): c for w, row in enumerate(report.busiest_hours) for h, c in enumerate(row) if c
    }
    assert cells == {(5, 0): 1, (6, 3): 1, (0, 23): 1}
    t = report.totals
    assert (t.calls, t.answered, t.voicemail, t.missed) == (3, 2, 1, 0)
    # Without a time zone: the companies' own.
    assert report_from_duckdb(path, start_date=START, end_date=END).time_zone == LA


def test_deleted_calls_and_their_tags_are_left_out(tmp_path: Path) -> None:
    path = _db(
        tmp_path / "c.duckdb",
        [
            _call(1, "2026-03-08T18:00:00Z", lead_status="good_lead", first_call=True),
            _call(2, "2026-03-08T18:00:00Z", deleted=True, source="Spam"),
            _call(3, "2026-03-08T19:00:00Z", deleted=False, source="Bing"),
        ],
        tags=[("VIP", "r1"), ("Follow up", "r1"), ("VIP", "r2"), ("Follow up", "r3"),
              ("Removed", "r3")],
    )  # fmt: skip
    with duckdb.connect(str(path)) as db:  # a removed tag, as sync's tombstone row
        db.execute("ALTER TABLE callrail.calls__tags ADD COLUMN deleted BOOLEAN")
        db.execute("UPDATE callrail.calls__tags SET deleted = (value = 'Removed')")
    report = report_from_duckdb(path, start_date=START, end_date=END, time_zone=LA)
    assert report.totals.calls == 2 and report.totals.leads == 1
    assert report.totals.first_time_callers == 1
    assert [(g.key, g.calls) for g in report.by_source] == [("Bing", 1), ("Google Ads", 1)]
    assert [(t.name, t.calls) for t in report.tags] == [("Follow up", 2), ("VIP", 1)]
    assert [(n.number, n.name, n.calls) for n in report.tracking_numbers] == [
        ("+14045551234", "Ads", 2)
    ]


def test_only_start_time_is_required_in_either_schema(tmp_path: Path) -> None:
    path = tmp_path / "thin.duckdb"
    with duckdb.connect(str(path)) as db:  # DuckDB's default schema, "main", as sync does
        db.execute("CREATE TABLE calls (id VARCHAR, start_time VARCHAR)")
        db.execute("INSERT INTO calls VALUES ('CAL1', '2026-03-08T12:00:00.000-08:00')")
    report = report_from_duckdb(path, start_date=START, end_date=END)
    assert report.time_zone == "UTC"
    assert report.totals.calls == 1 and report.totals.answered == 0
    assert [g.key for g in report.by_source] == ["(none)"]
    assert report.tags == [] and report.tracking_numbers == []
    assert "<svg" in render_html(report)


def test_one_company_and_presets(tmp_path: Path) -> None:
    path = _db(
        tmp_path / "c.duckdb",
        [
            _call(1, "2026-03-08T18:00:00Z"),
            _call(2, "2026-03-08T18:00:00Z", company_id="COM2", company_name="Other"),
        ],
    )
    one = report_from_duckdb(path, company_id="COM2", date_range="last_7_days",
                             today=dt.date(2026, 3, 10), time_zone=LA)  # fmt: skip
    assert (one.start_date, one.end_date) == (dt.date(2026, 3, 3), dt.date(2026, 3, 9))
    assert one.scope == "Other" and one.totals.calls == 1
    assert [g.key for g in one.by_company] == ["Other"]
    everything = report_from_duckdb(path, date_range="all_time", time_zone=LA)
    assert (everything.start_date, everything.totals.calls) == (dt.date(2026, 3, 8), 2)


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    path = _db(
        tmp_path / "c.duckdb",
        [
            _call(
                1,
                "2026-03-08T18:00:00Z",
                source="<script>alert(1)</script>",
                company_name='"><img src=x onerror=alert(1)>',
            )
        ],
        tags=[("<b>tag</b>", "r1")],
    )
    page = render_html(report_from_duckdb(path, start_date=START, end_date=END, time_zone=LA))
    assert "<script" not in page and "<img" not in page and "<b>tag" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no database"):
        report_from_duckdb(tmp_path / "missing.duckdb")
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(ValueError, match="no table calls"):
        report_from_duckdb(empty)
    path = _db(tmp_path / "c.duckdb", [_call(1, "2026-03-08T18:00:00Z")])
    with pytest.raises(ValueError, match="time zone"):
        report_from_duckdb(path, time_zone="Mars/Olympus")
    with pytest.raises(ValueError, match="not both"):
        report_from_duckdb(path, date_range="today", start_date=START)
    with pytest.raises(InvalidArgumentError, match="schema"):
        report_from_duckdb(path, schema='x"; DROP TABLE calls; --')
    garbage = tmp_path / "notes.duckdb"
    garbage.write_text("not a database\n" * 100)
    with pytest.raises(InvalidArgumentError, match="could not be read"):
        report_from_duckdb(garbage)


def test_a_database_locked_by_a_writer_is_one_typed_error(tmp_path: Path) -> None:
    path = _db(tmp_path / "c.duckdb", [_call(1, "2026-03-08T18:00:00Z")])
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; db = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.read()", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        with pytest.raises(InvalidArgumentError, match="could not be read"):
            report_from_duckdb(path, start_date=START, end_date=END)
    finally:
        holder.communicate("")


def test_without_duckdb_installed_the_error_says_which_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "duckdb", None)  # as if not installed
    with pytest.raises(ConfigurationError, match=r"callrail-async\[duckdb\]"):
        report_from_duckdb(tmp_path / "callrail.duckdb")


def test_many_sources_stay_readable_and_small(tmp_path: Path) -> None:
    rows = [_call(n, "2026-03-08T18:00:00Z", source=f"Source {n:03d}") for n in range(500)]
    path = _db(tmp_path / "c.duckdb", rows)
    report = report_from_duckdb(path, start_date=START, end_date=END, time_zone=LA)
    assert len(report.by_source) == 500  # the data keeps every group
    page = render_html(report)
    assert "… and 400 more rows." in page  # the table shows the first 100
    chart = page[page.index("id='by-source'") :]
    assert chart[: chart.index("</svg>")].count("<rect") == 2 * 12  # 12 bars, 2 rects each
    assert len(page) < 200_000


@pytest.mark.parametrize(
    ("peak", "top"), [(0, 4), (3, 4), (35, 40), (83, 100), (200, 200), (1001, 2000)]
)
def test_the_daily_axis_has_whole_round_ticks(peak: int, top: int) -> None:
    from callrail_async.report.svg import line_chart

    days = [START + dt.timedelta(days=n) for n in range(3)]
    chart = line_chart("Calls per day", days, [peak, 0, 1], [])
    ticks = [f">{top * n // 4:,}</text>" for n in range(5)]
    assert all(t in chart for t in ticks), (peak, ticks)
