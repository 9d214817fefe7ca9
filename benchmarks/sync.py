"""Sync throughput and memory: ``callrail-async sync`` into DuckDB vs the raw JSONL export.

    python -m benchmarks.sync [--calls 1000000] [--rounds 1]

The sandbox (rate limiting off) runs in its own process; each contender runs in a fresh
process, so its peak RSS (VmHWM) is its own. Both read the same calls with the same fields
(CallRail's defaults plus the sync's reporting fields, tags included):

- ``export``: ``callrail_async.export`` to JSONL (the raw, lossless dump);
- ``sync``: the calls resource of the dlt source into a new DuckDB file (Arrow batches,
  merge on id, tags into ``calls__tags``), fetch + normalize + load, end to end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from ._common import peak_rss_mb, run_worker, sandbox_process, save, table

KEY = "sandbox-api-key"


async def _run_export(base_url: str, tmp: Path) -> dict[str, Any]:
    from callrail_async import CallRail, RateLimits
    from callrail_async.export import ExportOptions, export
    from callrail_async.sync._calls import DEFAULT_CALL_FIELDS

    async with CallRail(api_key=KEY, base_url=base_url, rate_limits=RateLimits.unlimited()) as c:
        started = time.perf_counter()
        options = ExportOptions(out=tmp / "calls.jsonl", fields=list(DEFAULT_CALL_FIELDS))
        report = await export(c, options)
        seconds = time.perf_counter() - started
    return {"records": report.records, "seconds": seconds}


def _run_sync(base_url: str, tmp: Path) -> dict[str, Any]:
    from callrail_async.sync.command import load, pipeline
    from callrail_async.sync.source import callrail_source

    source = callrail_source(
        resources=["calls"], client_options={"api_key": KEY, "base_url": base_url}
    )
    started = time.perf_counter()
    load(pipeline(f"duckdb:///{tmp / 'callrail.duckdb'}", tmp / "work"), source)
    seconds = time.perf_counter() - started
    import duckdb

    with duckdb.connect(str(tmp / "callrail.duckdb"), read_only=True) as db:
        row = db.execute("SELECT count(*) FROM main.calls").fetchone()
    return {"records": row[0] if row else 0, "seconds": seconds}


def _worker(kind: str, base_url: str) -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        if kind == "export":
            result = asyncio.run(_run_export(base_url, tmp))
        else:
            result = _run_sync(base_url, tmp)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--worker", choices=("export", "sync"))
    parser.add_argument("--base-url")
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.base_url)
        return {}
    runs: dict[str, list[dict[str, Any]]] = {"export": [], "sync": []}
    with sandbox_process("--calls", str(args.calls), "--span-days", "90") as origin:
        for _ in range(args.rounds):
            for kind in ("export", "sync"):
                runs[kind].append(
                    run_worker("benchmarks.sync", kind, "--base-url", f"{origin}/v3/")
                )

    def median(kind: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs[kind])

    rate = {k: median(k, "records") / median(k, "seconds") for k in runs}
    rows = [
        [k, int(median(k, "records")), median(k, "seconds"), rate[k], median(k, "peak_rss_mb")]
        for k in runs
    ]
    ratio = rate["sync"] / rate["export"]
    print(f"{args.calls:,} sandbox calls, median of {args.rounds} interleaved round(s)")
    print(table(["contender", "records", "seconds", "records/s", "peak RSS MB"], rows))
    print(f"sync / export throughput: {ratio:.2f} (target >= 0.50); "
          f"sync peak RSS {median('sync', 'peak_rss_mb'):.0f} MB (target < 500)")  # fmt: skip
    result = {"calls": args.calls, "runs": runs, "throughput_ratio": ratio}
    print(f"results: {save('sync', result)}")
    return result


if __name__ == "__main__":
    main()
