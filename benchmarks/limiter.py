"""Rate limiter overhead and budget use.

    python -m benchmarks.limiter [--acquires 200000]

Prints µs per acquire (in-memory store; uncontended, and 1,000 tasks sharing one budget)
and, under a simulated clock with unlimited demand, the share of each daily budget admitted
over a day and the busiest rolling hour/day against the limits (which must never be exceeded).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from typing import Any

from callrail_async import ManualClock, RateLimiter, RateLimits, Window

from ._common import busiest_window, save, table


async def _uncontended(n: int) -> float:
    # A budget no run can spend: every acquire is admitted at once (the common case).
    limits = RateLimits(general=[Window(limit=10**12, seconds=1.0, burst=10**11)], maton=None)
    limiter = RateLimiter(limits)
    acquire = limiter.acquire
    started = time.perf_counter()
    for _ in range(n):
        await acquire("acct", "general")
    return (time.perf_counter() - started) / n * 1e6


async def _contended(tasks: int, per_task: int) -> float:
    limits = RateLimits(general=[Window(limit=10**12, seconds=1.0, burst=10**11)], maton=None)
    limiter = RateLimiter(limits)

    async def worker() -> None:
        for _ in range(per_task):
            await limiter.acquire("acct", "general")
            await asyncio.sleep(0)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(tasks)))
    elapsed = time.perf_counter() - started

    # Subtract the cost of the bare task switches so the figure is the limiter's own.
    async def bare() -> None:
        for _ in range(per_task):
            await asyncio.sleep(0)

    started = time.perf_counter()
    await asyncio.gather(*(bare() for _ in range(tasks)))
    baseline = time.perf_counter() - started
    return max(0.0, elapsed - baseline) / (tasks * per_task) * 1e6


async def _utilization(rate_class: str, days: int = 2) -> dict[str, Any]:
    clock = ManualClock()
    limits = RateLimits()
    limiter = RateLimiter(limits, clock=clock)
    start = clock.time()
    times: list[float] = []
    while clock.time() - start < days * 86400:
        await limiter.acquire("acct", rate_class)  # type: ignore[arg-type]
        times.append(clock.time() - start)
    hourly, daily = limits.windows(rate_class)  # type: ignore[arg-type]
    per_day = [sum(1 for t in times if d * 86400 <= t < (d + 1) * 86400) for d in range(days)]
    return {
        "class": rate_class,
        "daily_limit": daily.limit,
        "first_day_share": per_day[0] / daily.limit,
        "second_day_share": per_day[1] / daily.limit,
        "busiest_hour": busiest_window(times, hourly.seconds),
        "hourly_limit": hourly.limit,
        "busiest_day": busiest_window(times, daily.seconds),
        "first_hour_share": sum(1 for t in times if t < 3600) / hourly.limit,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--acquires", type=int, default=200_000)
    parser.add_argument("--tasks", type=int, default=1000)
    args = parser.parse_args(argv)
    uncontended = asyncio.run(_uncontended(args.acquires))
    contended = asyncio.run(_contended(args.tasks, max(1, args.acquires // args.tasks)))
    usage = [asyncio.run(_utilization(c)) for c in ("general", "sms", "outbound_call")]
    print("acquire overhead (in-memory store)")
    print(
        table(
            ["case", "µs/acquire", "target"],
            [["uncontended", uncontended, "< 5"], [f"{args.tasks} tasks", contended, ""]],
        )
    )
    print("\nbudget use, unlimited demand, simulated clock (429s: none possible by construction)")
    print(
        table(
            ["class", "day 1", "day 2", "hour 1", "busiest hour", "busiest day"],
            [
                [u["class"], f"{u['first_day_share']:.2%}", f"{u['second_day_share']:.2%}",
                 f"{u['first_hour_share']:.1%}", f"{u['busiest_hour']}/{u['hourly_limit']}",
                 f"{u['busiest_day']}/{u['daily_limit']}"]
                for u in usage
            ],
        )
    )  # fmt: skip
    result = {"uncontended_us": uncontended, "contended_us": contended, "tasks": args.tasks,
              "utilization": usage}  # fmt: skip
    print(f"results: {save('limiter', result)}")
    return result


if __name__ == "__main__":
    main()
