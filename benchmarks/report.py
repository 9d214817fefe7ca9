"""The call report of 1,000,000 sandbox calls from DuckDB: time to build it, file size.

Targets (issue #18): report (queries + HTML) under 5 s, the HTML file under 2 MB. The
floor beside it is one bare DuckDB aggregate over the same table (calls per local day),
the least work any report of that table does.

    python -m benchmarks.report [--calls 1000000] [--rounds 3] [--keep callrail.duckdb]

The calls reach DuckDB through the SDK (a sandbox in its own process, ``calls.list``),
in the schema ``callrail-async sync`` writes; that copy is set-up, not measured.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._common import sandbox_process, save, table
from .duckdb_calls import copy_calls

KEY = "sandbox-api-key"
ZONE = "America/New_York"


async def _copy(base_url: str, path: Path) -> int:
    from callrail_async import CallRail, RateLimits

    async with CallRail(
        api_key=KEY, base_url=base_url, rate_limits=RateLimits.unlimited()
    ) as client:
        return await copy_calls(client, path, account_id="ACC-benchmark")


def _report(path: Path) -> dict[str, float]:
    from callrail_async.report import render_html, report_from_duckdb

    started = time.perf_counter()
    report = report_from_duckdb(path, time_zone=ZONE)
    queried = time.perf_counter()
    page = render_html(report).encode()
    rendered = time.perf_counter()
    return {
        "query_s": queried - started,
        "render_s": rendered - queried,
        "total_s": rendered - started,
        "html_bytes": len(page),
        "calls_in_period": report.totals.calls,
    }


def _floor(path: Path) -> float:
    import duckdb

    started = time.perf_counter()
    with duckdb.connect(str(path), read_only=True) as db:
        db.execute(
            "SELECT CAST(timezone(?, start_time) AS DATE), count(*) "
            f'FROM "{path.stem}".callrail.calls GROUP BY 1',
            [ZONE],
        ).fetchall()
    return time.perf_counter() - started


def _count(path: Path) -> int:
    import duckdb

    with duckdb.connect(str(path), read_only=True) as db:
        row = db.execute(f'SELECT count(*) FROM "{path.stem}".callrail.calls').fetchone()
    return int(row[0]) if row else 0


def _tag_a_fifth(path: Path) -> int:
    """Tag one call in five (the sandbox seeds no tags; tagging through the API would cost
    a request per call): one of 8 tags each, a second tag on one in four of those."""
    import duckdb

    schema = f'"{path.stem}".callrail'
    with duckdb.connect(str(path)) as db:
        db.execute(
            f"INSERT INTO {schema}.calls__tags "
            "SELECT 'Tag ' || (hash(id) % 8), _dlt_id, n, _dlt_id || '.' || n "
            f"FROM {schema}.calls, range(2) AS r(n) "
            "WHERE hash(id) % 5 = 0 AND (n = 0 OR hash(id) % 4 = 0)"
        )
        row = db.execute(f"SELECT count(*) FROM {schema}.calls__tags").fetchone()
    return int(row[0]) if row else 0


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run the benchmark; print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the database here; reuse it if there")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "callrail.duckdb"
        started = time.perf_counter()
        reused = path.exists()
        if reused:
            copied = _count(path)
        else:
            with sandbox_process("--calls", str(args.calls), "--span-days", "60") as origin:
                copied = asyncio.run(_copy(f"{origin}/v3/", path))
            _tag_a_fifth(path)
        setup = time.perf_counter() - started
        runs, floors = [], []
        for _ in range(args.rounds):
            runs.append(_report(path))
            floors.append(_floor(path))
        megabytes = path.stat().st_size / 1e6

    def median(key: str) -> float:
        return statistics.median(float(r[key]) for r in runs)

    floor = statistics.median(floors)
    html_mb = median("html_bytes") / 1e6
    origin = f"reused {path}" if reused else f"copied through the SDK in {setup:.0f} s"
    print(f"report of {copied:,} sandbox calls from DuckDB ({megabytes:.0f} MB, {origin}), "
          f"median of {args.rounds} round(s)")  # fmt: skip
    print(table(
        ["step", "seconds"],
        [["queries", median("query_s")], ["HTML", median("render_s")],
         ["report total", median("total_s")], ["floor: one bare aggregate", floor]],
    ))  # fmt: skip
    print(f"report total {median('total_s'):.2f} s (target < 5), HTML {html_mb:.3f} MB "
          f"(target < 2), {median('total_s') / floor:.1f}x the floor; "
          f"{int(median('calls_in_period')):,} calls in the last 30 days")  # fmt: skip
    result = {"calls": copied, "runs": runs, "floor_s": floors, "setup_s": setup}
    print(f"results: {save('report', result)}")
    return result


if __name__ == "__main__":
    main()
