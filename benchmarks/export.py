"""Export throughput and memory: our export vs a bare aiohttp + msgspec loop.

    python -m benchmarks.export [--calls 1000000] [--concurrency 8] [--rounds 1]

The sandbox (rate limiting off) runs in its own process; each contender runs in a fresh
process, so its peak RSS (VmHWM) is its own. Contenders alternate (A B A B ...) and the
median of each is reported:

- ``export``: ``callrail_async.export`` to JSONL (keyset walk of monthly windows,
  lossless, checkpointed) with the default ``verify="ids"`` (every window listed again
  after the walk and compared id by id), ``concurrency`` requests in flight;
- ``export-counts``: the same with ``verify="counts"`` (windows whose days match CallRail's
  fresh daily counts are not listed again; never reported as verified);
- ``floor``: bare aiohttp fetching every page of the same range with the same concurrency,
  splitting items with a prebuilt ``msgspec`` decoder (``Raw``) and writing them, no SDK logic.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec

from ._common import sandbox_process, save, table

KEY = "sandbox-api-key"
KINDS = ("export", "export-counts", "floor")
"""The contenders: the export (default ``verify="ids"``), with ``verify="counts"``, the floor."""


class _FloorEnvelope(msgspec.Struct):
    total_pages: int = 0
    calls: list[msgspec.Raw] = msgspec.field(default_factory=list)


def _peak_rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def _run_export(
    base_url: str, out: Path, concurrency: int, verify: str = "ids"
) -> dict[str, Any]:
    from callrail_async import CallRail, RateLimits
    from callrail_async.export import ExportOptions, export

    async with CallRail(
        api_key=KEY, base_url=base_url, rate_limits=RateLimits.unlimited()
    ) as client:
        started = time.perf_counter()
        options = ExportOptions(out=out, concurrency=concurrency, verify=verify)  # type: ignore[arg-type]
        report = await export(client, options)
        seconds = time.perf_counter() - started
    return {"records": report.records, "seconds": seconds, "verified": report.verified,
            "reconciled": report.reconciled}  # fmt: skip


async def _run_floor(base_url: str, out: Path, concurrency: int) -> dict[str, Any]:
    import aiohttp

    decoder = msgspec.json.Decoder(_FloorEnvelope)
    headers = {"Authorization": f'Token token="{KEY}"'}
    connector = aiohttp.TCPConnector(limit=32)
    started = time.perf_counter()
    records = 0
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:
        async with session.get(base_url + "a.json") as response:
            account = (await response.json())["accounts"][0]["id"]
        url = f"{base_url}a/{account}/calls.json"
        today = dt.date.today()
        params = {"start_date": (today - dt.timedelta(days=760)).isoformat(),
                  "time_zone": "UTC", "sort": "start_time", "order": "asc",
                  "per_page": "250"}  # fmt: skip
        async with session.get(url, params={**params, "page": "1"}) as response:
            first = decoder.decode(await response.read())
        pages = iter(range(2, first.total_pages + 1))
        with open(out, "wb") as sink:  # noqa: ASYNC230 - the floor does the least possible
            sink.write(b"".join(bytes(raw) + b"\n" for raw in first.calls))
            records += len(first.calls)

            async def worker() -> None:
                nonlocal records
                for number in pages:
                    async with session.get(url, params={**params, "page": str(number)}) as r:
                        envelope = decoder.decode(await r.read())
                    sink.write(b"".join(bytes(raw) + b"\n" for raw in envelope.calls))
                    records += len(envelope.calls)

            await asyncio.gather(*(worker() for _ in range(concurrency)))
    return {"records": records, "seconds": time.perf_counter() - started, "verified": None}


def _worker(kind: str, base_url: str, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "calls.jsonl"
        if kind == "floor":
            result = asyncio.run(_run_floor(base_url, out, concurrency))
        else:
            verify = "counts" if kind == "export-counts" else "ids"
            result = asyncio.run(_run_export(base_url, out, concurrency, verify))
        result["output_mb"] = out.stat().st_size / 1e6
    result["peak_rss_mb"] = _peak_rss_mb()
    print(json.dumps(result))


def _spawn(kind: str, base_url: str, concurrency: int) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.export", "--worker", kind,
               "--base-url", base_url, "--concurrency", str(concurrency)]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--worker", choices=KINDS)
    parser.add_argument("--base-url")
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.base_url, args.concurrency)
        return {}
    runs: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    with sandbox_process("--calls", str(args.calls), "--span-days", "700") as origin:
        base_url = f"{origin}/v3/"
        for _ in range(args.rounds):
            for kind in KINDS:
                runs[kind].append(_spawn(kind, base_url, args.concurrency))

    def median(kind: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs[kind])

    rate = {k: median(k, "records") / median(k, "seconds") for k in runs}
    rows = [
        [kind, int(median(kind, "records")), median(kind, "seconds"), rate[kind],
         median(kind, "peak_rss_mb"), median(kind, "output_mb")]
        for kind in runs
    ]  # fmt: skip
    ratios = {k: rate[k] / rate["floor"] for k in KINDS if k != "floor"}
    print(f"export of {args.calls:,} sandbox calls, per_page=250, concurrency {args.concurrency}, "
          f"median of {args.rounds} interleaved round(s)")  # fmt: skip
    print(table(["contender", "records", "seconds", "records/s", "peak RSS MB", "output MB"], rows))
    for kind, ratio in ratios.items():
        print(f"{kind} / floor throughput: {ratio:.2f}; "
              f"peak RSS {median(kind, 'peak_rss_mb'):.0f} MB "
              f"(floor {median('floor', 'peak_rss_mb'):.0f} MB)")  # fmt: skip
    result = {"calls": args.calls, "concurrency": args.concurrency, "runs": runs,
              "throughput_ratio": ratios["export"], "throughput_ratios": ratios}  # fmt: skip
    print(f"results: {save('export', result)}")
    return result


if __name__ == "__main__":
    main()
