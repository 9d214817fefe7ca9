"""Listing calls: the SDK side by side with an independent floor, on pre-rendered pages.

    python -m benchmarks.compare [--calls 100000] [--rounds 5]
                                 [--latency-calls 25000] [--latency 0.15] [--latency-rounds 3]

The server is ``benchmarks._pages`` in its own process (pre-encoded records: not the
sandbox, which renders every record and would be the bottleneck). Every contender runs in
a fresh process, interleaved per round; medians are reported, with the client's own CPU
time (``time.process_time`` in the client process) beside the wall clock.

- ``floor``: bare aiohttp and one prebuilt ``msgspec.json.Decoder`` of a plain 16-field
  struct of its own, offset pages of 250, the same number of requests in flight;
- ``floor (raw)``: the same, each call kept as raw JSON bytes;
- ``sdk typed (offset)``: ``client.calls.list(relative=False)`` into typed ``Call``;
- ``sdk typed (default)``: ``client.calls.list(start_date=..., end_date=...)`` with every
  other argument left at its default (date windows walked by start time);
- ``sdk raw (offset)``: ``client.calls.list(relative=False).raw()``;
- ``export``: ``callrail_async.export`` to JSONL (raw passthrough, its defaults).

Two settings: the server answering instantly (CPU-bound) and 150 ms per response
(latency-bound), where the floor and the SDK have the same number of requests in flight.
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import msgspec

from ._common import save, table

KEY = "bench-key"
ACCOUNT = "ACC00000000000000000000000000000001"
CPU_BOUND = ("floor", "sdk typed (offset)", "sdk typed (default)", "floor (raw)",
             "sdk raw (offset)", "export")  # fmt: skip
LATENCY_BOUND = ("floor", "sdk typed (default)", "sdk typed (offset)")


class _PlainCall(msgspec.Struct):
    id: str
    answered: bool | None = None
    business_phone_number: str | None = None
    customer_city: str | None = None
    customer_country: str | None = None
    customer_name: str | None = None
    customer_phone_number: str | None = None
    customer_state: str | None = None
    direction: str | None = None
    duration: int | None = None
    recording: str | None = None
    recording_duration: int | str | None = None
    recording_player: str | None = None
    start_time: str | None = None
    tracking_phone_number: str | None = None
    voicemail: bool | None = None


class _StructPage(msgspec.Struct):
    total_pages: int = 0
    calls: list[_PlainCall] = msgspec.field(default_factory=list)


class _RawPage(msgspec.Struct):
    total_pages: int = 0
    calls: list[msgspec.Raw] = msgspec.field(default_factory=list)


@contextmanager
def pages_server(calls: int, latency: float) -> Iterator[tuple[str, str, str]]:
    """Run ``benchmarks._pages``; yield its origin and the first and last day of data."""
    command = [sys.executable, "-m", "benchmarks._pages", "--calls", str(calls),
               "--latency", str(latency)]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline().split()
        if line[:2] != ["listening", "on"]:
            raise RuntimeError(f"benchmark server did not start: {line!r}")
        yield line[2], line[3], line[4]
    finally:
        child.terminate()
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()


def _client(origin: str, concurrency: int | None = None) -> Any:
    from callrail_async import CallRail, RateLimits

    extra = {} if concurrency is None else {"page_concurrency": concurrency}
    return CallRail(api_key=KEY, base_url=f"{origin}/v3/", account_id=ACCOUNT,
                    rate_limits=RateLimits.unlimited(), **extra)  # fmt: skip


async def _sdk(origin: str, days: tuple[str, str], concurrency: int | None, mode: str) -> int:
    records = 0
    async with _client(origin, concurrency) as client:
        if mode == "default":
            listing = client.calls.list(start_date=days[0], end_date=days[1])
        else:
            listing = client.calls.list(relative=False)
        if mode == "raw":
            listing = listing.raw()
        async for _ in listing:
            records += 1
    return records


async def _export(origin: str, days: tuple[str, str], concurrency: int) -> int:
    from callrail_async.export import ExportOptions, export

    with tempfile.TemporaryDirectory() as tmp:
        async with _client(origin) as client:
            first, last = (dt.date.fromisoformat(day) for day in days)
            options = ExportOptions(out=Path(tmp) / "c.jsonl", concurrency=concurrency,
                                    start_date=first, end_date=last)  # fmt: skip
            report = await export(client, options)
    return int(report.records)


async def _floor(origin: str, concurrency: int, page_type: type[Any]) -> int:
    import aiohttp

    decoder = msgspec.json.Decoder(page_type)
    headers = {"Authorization": f'Token token="{KEY}"'}
    url = f"{origin}/v3/a/{ACCOUNT}/calls.json"
    records = 0
    connector = aiohttp.TCPConnector(limit=32)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:

        async def fetch(number: int) -> Any:
            params = {"per_page": "250", "page": str(number)}
            async with session.get(url, params=params) as response:
                return decoder.decode(await response.read())

        first = await fetch(1)
        records += len(first.calls)
        numbers = iter(range(2, first.total_pages + 1))

        async def worker() -> None:
            nonlocal records
            for number in numbers:
                page = await fetch(number)
                records += len(page.calls)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return records


def _worker(
    kind: str, origin: str, days: tuple[str, str], concurrency: int, sdk_default: bool
) -> None:
    from callrail_async.models import DECODE_STATS

    ours = None if sdk_default else concurrency

    runners: dict[str, Any] = {
        "floor": lambda: _floor(origin, concurrency, _StructPage),
        "floor (raw)": lambda: _floor(origin, concurrency, _RawPage),
        "sdk typed (offset)": lambda: _sdk(origin, days, ours, "offset"),
        "sdk typed (default)": lambda: _sdk(origin, days, ours, "default"),
        "sdk raw (offset)": lambda: _sdk(origin, days, ours, "raw"),
        "export": lambda: _export(origin, days, concurrency),
    }
    import aiohttp  # noqa: F401 - imports are not part of the run

    import callrail_async.export  # noqa: F401

    started, cpu = time.perf_counter(), time.process_time()
    records = asyncio.run(runners[kind]())
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    stats = {"lenient": DECODE_STATS.lenient, "lenient_pages": DECODE_STATS.lenient_pages}
    print(json.dumps({"records": records, "seconds": seconds, "cpu": cpu, **stats}))


def _spawn(
    kind: str, origin: str, days: tuple[str, str], concurrency: int, sdk_default: bool
) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.compare", "--worker", kind, "--origin", origin,
               "--days", *days, "--concurrency", str(concurrency),
               *(["--sdk-default-concurrency"] if sdk_default else [])]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    except subprocess.TimeoutExpired:
        return {"error": "did not finish within 900s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": f"failed: {last[:160]}"}
    return dict(json.loads(lines[-1]))


def _setting(
    calls: int,
    latency: float,
    rounds: int,
    concurrency: int,
    contenders: tuple[str, ...],
    sdk_default: bool = False,
) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in contenders}
    with pages_server(calls, latency) as (origin, first_day, last_day):
        for _ in range(rounds):
            for kind in contenders:
                days = (first_day, last_day)
                runs[kind].append(_spawn(kind, origin, days, concurrency, sdk_default))
    summary: dict[str, Any] = {}
    for kind, results in runs.items():
        good = [r for r in results if "seconds" in r]
        if not good:
            summary[kind] = {"error": results[0].get("error", "no result")}
            continue
        summary[kind] = {
            key: statistics.median(r[key] for r in good)
            for key in ("records", "seconds", "cpu", "lenient", "lenient_pages")
        }
    return summary


def _rows(summary: dict[str, Any], floors: dict[str, str]) -> list[list[object]]:
    rows: list[list[object]] = []
    for kind, f in summary.items():
        if "error" in f:
            rows.append([kind, f["error"], "", "", "", ""])
            continue
        floor = summary.get(floors.get(kind, "floor"), {})
        wall = cpu = ""
        if "seconds" in floor and kind != floors.get(kind, "floor"):
            wall = f"{floor['seconds'] / f['seconds']:.2f}x"
            cpu = f"{floor['cpu'] / f['cpu']:.2f}x"
        rows.append([kind, int(f["records"]), f["seconds"], f["records"] / f["seconds"],
                     f["records"] / f["cpu"], wall, cpu])  # fmt: skip
    return rows


HEADERS = ["contender", "records", "seconds", "records/s", "records/cpu-s", "rate vs floor",
           "per-cpu vs floor"]  # fmt: skip
RAW_FLOORS = {"sdk raw (offset)": "floor (raw)", "export": "floor (raw)", "floor (raw)": "floor"}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run both settings and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--latency-calls", type=int, default=25_000)
    parser.add_argument("--latency", type=float, default=0.15)
    parser.add_argument("--latency-rounds", type=int, default=3)
    parser.add_argument("--latency-concurrency", type=int, default=16)
    parser.add_argument("--worker")
    parser.add_argument("--origin")
    parser.add_argument("--days", nargs=2)
    parser.add_argument("--sdk-default-concurrency", action="store_true")
    args = parser.parse_args(argv)
    if args.worker:
        days = (args.days[0], args.days[1])
        _worker(args.worker, args.origin, days, args.concurrency, args.sdk_default_concurrency)
        return {}
    result: dict[str, Any] = {"calls": args.calls, "concurrency": args.concurrency}
    instant = _setting(args.calls, 0.0, args.rounds, args.concurrency, CPU_BOUND)
    result["instant"] = instant
    print(f"{args.calls:,} calls, server answering instantly, {args.concurrency} requests in "
          f"flight (median of {args.rounds} interleaved rounds)")  # fmt: skip
    print(table(HEADERS, _rows(instant, RAW_FLOORS)))
    if args.latency_rounds:
        slow = _setting(args.latency_calls, args.latency, args.latency_rounds,
                        args.latency_concurrency, LATENCY_BOUND, sdk_default=True)  # fmt: skip
        result["latency"] = {"calls": args.latency_calls, "concurrency":
                             args.latency_concurrency, **slow}  # fmt: skip
        print(f"\n{args.latency_calls:,} calls, {args.latency * 1000:.0f} ms per response, "
              f"{args.latency_concurrency} in flight (SDK: its default page_concurrency) "
              f"(median of {args.latency_rounds})")  # fmt: skip
        print(table(HEADERS, _rows(slow, {})))
    print(f"results: {save('compare', result)}")
    return result


if __name__ == "__main__":
    main()
