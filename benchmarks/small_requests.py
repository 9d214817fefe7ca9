"""Many small requests: ``calls.get`` in many concurrent tasks vs bare aiohttp.

    python -m benchmarks.small_requests [--requests 3000] [--tasks 50] [--rounds 5]

Against ``benchmarks._pages`` (pre-encoded calls, its own process), so the figures are the
client's: the client's CPU time per request (``time.process_time``) for the SDK and for a
bare aiohttp loop decoding into a plain struct, interleaved, median of the rounds; the
difference is what the SDK adds per request.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

import msgspec

from ._common import save, table
from .compare import ACCOUNT, KEY, pages_server


async def _ids(origin: str, count: int) -> list[str]:
    import aiohttp

    class Ids(msgspec.Struct):
        calls: list[dict[str, Any]]

    ids: list[str] = []
    headers = {"Authorization": f'Token token="{KEY}"'}
    async with aiohttp.ClientSession(headers=headers) as session:
        page = 1
        while len(ids) < count:
            params = {"per_page": "250", "page": str(page)}
            url = f"{origin}/v3/a/{ACCOUNT}/calls.json"
            async with session.get(url, params=params) as response:
                ids += [c["id"] for c in msgspec.json.decode(await response.read(), type=Ids).calls]
            page += 1
    return ids[:count]


async def _ours(origin: str, ids: list[str], tasks: int) -> list[float]:
    from callrail_async import CallRail, RateLimits

    latencies: list[float] = []
    queue = iter(ids)
    async with CallRail(api_key=KEY, base_url=f"{origin}/v3/", account_id=ACCOUNT,
                        rate_limits=RateLimits.unlimited()) as client:  # fmt: skip

        async def worker() -> None:
            for call_id in queue:
                started = time.perf_counter()
                await client.calls.get(call_id)
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(tasks)))
    return latencies


class _Call(msgspec.Struct):
    id: str
    duration: int | None = None
    start_time: str | None = None


async def _bare(origin: str, ids: list[str], tasks: int) -> list[float]:
    import aiohttp

    decoder = msgspec.json.Decoder(_Call)
    latencies: list[float] = []
    queue = iter(ids)
    headers = {"Authorization": f'Token token="{KEY}"'}
    connector = aiohttp.TCPConnector(limit=32)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:

        async def worker() -> None:
            for call_id in queue:
                started = time.perf_counter()
                url = f"{origin}/v3/a/{ACCOUNT}/calls/{call_id}.json"
                async with session.get(url) as response:
                    decoder.decode(await response.read())
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(tasks)))
    return latencies


def _figures(latencies: list[float], seconds: float, cpu: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "requests_per_s": len(ordered) / seconds,
        "cpu_us_per_request": cpu / len(ordered) * 1e6,
        "p50_ms": ordered[len(ordered) // 2] * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--tasks", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    runs: dict[str, list[dict[str, float]]] = {"callrail_async": [], "bare aiohttp": []}
    with pages_server(max(args.requests, 500), 0.0) as (origin, _, _):
        ids = asyncio.run(_ids(origin, args.requests))
        for _ in range(args.rounds):
            for name, run in (("callrail_async", _ours), ("bare aiohttp", _bare)):
                started, cpu = time.perf_counter(), time.process_time()
                latencies = asyncio.run(run(origin, ids, args.tasks))
                seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
                runs[name].append(_figures(latencies, seconds, cpu))
    summary = {
        name: {key: statistics.median(r[key] for r in results) for key in results[0]}
        for name, results in runs.items()
    }
    ours, bare = summary["callrail_async"], summary["bare aiohttp"]
    ratio = ours["requests_per_s"] / bare["requests_per_s"]
    overhead = ours["cpu_us_per_request"] - bare["cpu_us_per_request"]
    print(f"{len(ids):,} calls.get in {args.tasks} concurrent tasks (median of {args.rounds})")
    rows = [[n, f["requests_per_s"], f["cpu_us_per_request"], f["p50_ms"], f["p99_ms"]]
            for n, f in summary.items()]  # fmt: skip
    print(table(["client", "requests/s", "client cpu µs/request", "p50 ms", "p99 ms"], rows))
    print(f"callrail_async / bare aiohttp: {ratio:.2f} (rate); SDK overhead: {overhead:.1f} µs "
          "of client CPU per request")  # fmt: skip
    result = {"requests": len(ids), "tasks": args.tasks, "summary": summary, "ratio": ratio,
              "overhead_us": overhead}  # fmt: skip
    print(f"results: {save('small_requests', result)}")
    return result


if __name__ == "__main__":
    main()
