"""Many small requests: ``calls.get`` in many concurrent tasks vs bare aiohttp.

python -m benchmarks.small_requests [--requests 2000] [--tasks 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from typing import Any

import msgspec

from ._common import sandbox_process, save, table

KEY = "sandbox-api-key"


async def _ids(origin: str, count: int) -> tuple[str, list[str]]:
    from callrail_async import CallRail, RateLimits

    async with CallRail(api_key=KEY, base_url=f"{origin}/v3/",
                        rate_limits=RateLimits.unlimited()) as client:  # fmt: skip
        account = await client.resolve_account_id()
        calls = await client.calls.list(max_items=count, per_page=250).collect()
    return account, [str(c.id) for c in calls]


async def _ours(origin: str, account: str, ids: list[str], tasks: int) -> list[float]:
    from callrail_async import CallRail, RateLimits

    latencies: list[float] = []
    queue = iter(ids)
    async with CallRail(api_key=KEY, base_url=f"{origin}/v3/", account_id=account,
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


async def _bare(origin: str, account: str, ids: list[str], tasks: int) -> list[float]:
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
                url = f"{origin}/v3/a/{account}/calls/{call_id}.json"
                async with session.get(url) as response:
                    decoder.decode(await response.read())
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker() for _ in range(tasks)))
    return latencies


def _figures(latencies: list[float], seconds: float) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "requests_per_s": len(ordered) / seconds,
        "p50_ms": ordered[len(ordered) // 2] * 1000,
        "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    runs: dict[str, list[dict[str, float]]] = {"callrail_async": [], "bare aiohttp": []}
    with sandbox_process("--calls", str(max(args.requests, 500)), "--span-days", "6") as origin:
        account, ids = asyncio.run(_ids(origin, args.requests))
        for _ in range(args.rounds):
            for name, run in (("callrail_async", _ours), ("bare aiohttp", _bare)):
                started = time.perf_counter()
                latencies = asyncio.run(run(origin, account, ids, args.tasks))
                runs[name].append(_figures(latencies, time.perf_counter() - started))
    summary = {
        name: {key: statistics.median(r[key] for r in results) for key in results[0]}
        for name, results in runs.items()
    }
    ratio = summary["callrail_async"]["requests_per_s"] / summary["bare aiohttp"]["requests_per_s"]
    print(f"{len(ids):,} calls.get in {args.tasks} concurrent tasks (median of {args.rounds})")
    rows = [[n, f["requests_per_s"], f["p50_ms"], f["p99_ms"]] for n, f in summary.items()]
    print(table(["client", "requests/s", "p50 ms", "p99 ms"], rows))
    print(f"callrail_async / bare aiohttp: {ratio:.2f}")
    result = {"requests": len(ids), "tasks": args.tasks, "summary": summary, "ratio": ratio}
    print(f"results: {save('small_requests', result)}")
    return result


if __name__ == "__main__":
    main()
