"""Rate limiter: job completion time against the fastest schedule, and acquire overhead.

    python -m benchmarks.limiter [--acquires 200000] [--scale 1.0] [--stores memory,sqlite,redis]

On a simulated clock, from a fresh budget with CallRail's published windows, each job of N
back-to-back requests is run through the limiter; printed: its completion time, the fastest
schedule the windows allow (computed independently from the nominal windows), their ratio,
and the most requests seen in any rolling hour and day. The shared stores run with four
workers, each with its own limiter and store connection (as four processes would), on a
virtual clock that moves only when every worker is waiting. Then µs per acquire (in-memory
store; uncontended, and 1,000 tasks sharing one budget).
"""

from __future__ import annotations

import argparse
import asyncio
import heapq
import itertools
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from callrail_async import RateLimiter, RateLimits, Window
from callrail_async.ratelimit import BucketStore, MemoryBucketStore, RateClass, SqliteBucketStore

from ._common import busiest_window, redis_server, save, table

JOBS: dict[RateClass, list[int]] = {
    "general": [1000, 4000, 12000],
    "sms": [150, 600, 1300],
    "outbound_call": [100, 400, 2200],
}


class VirtualClock:
    """Simulated time shared by several workers: it moves to the earliest wake-up only when
    every worker is asleep (so no request is ever "in flight" while time jumps)."""

    def __init__(self, workers: int) -> None:
        self.now = 1_800_000_000.0
        self.start = self.now
        self.active = workers
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._all_asleep = asyncio.Event()

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now - self.start

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._seq), future))
        self._check()
        await future

    def done(self) -> None:
        self.active -= 1
        self._check()

    def _check(self) -> None:
        if len(self._sleepers) >= self.active:
            self._all_asleep.set()

    async def run(self) -> None:
        """Wake the earliest sleeper each time every worker is asleep, until all are done."""
        while self.active:
            await self._all_asleep.wait()
            self._all_asleep.clear()
            if self._sleepers:
                wake, _, future = heapq.heappop(self._sleepers)
                self.now = max(self.now, wake)
                future.set_result(None)


async def run_job(
    make_store: Callable[[], BucketStore], rate_class: RateClass, requests: int, workers: int
) -> list[float]:
    """Admission times (seconds from the start) of ``requests`` shared by ``workers``."""
    clock = VirtualClock(workers)
    limits = RateLimits(maton=None)
    times: list[float] = []
    pending = iter(range(requests))

    async def worker() -> None:
        limiter = RateLimiter(limits, store=make_store(), clock=clock)
        try:
            for _ in pending:
                await limiter.acquire("acct", rate_class)
                times.append(clock.now - clock.start)
        finally:
            await limiter.close()
            clock.done()

    await asyncio.gather(clock.run(), *(worker() for _ in range(workers)))
    return times


def optimum(rate_class: RateClass, requests: int) -> float:
    """The fastest schedule, by brute force over the nominal windows: the k-th request (from
    0) can go no earlier than ``w.seconds`` after the (k - limit)-th, for every window."""
    times: list[float] = []
    for k in range(requests):
        t = times[-1] if times else 0.0
        for window in RateLimits().windows(rate_class):
            if k >= window.limit:
                t = max(t, times[k - window.limit] + window.seconds)
        times.append(t)
    return times[-1]


async def _jobs(stores: list[str], scale: float, redis_url: str | None) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for store in stores:
            if store == "redis" and redis_url is None:
                print("redis-server not installed: skipping the Redis rows")
                continue
            classes: list[RateClass] = list(JOBS) if store == "memory" else ["general"]
            for rate_class in classes:
                for size in JOBS[rate_class]:
                    n = max(1, int(size * scale))
                    make, workers = _store_factory(store, Path(tmp), redis_url)
                    times = await run_job(make, rate_class, n, workers)
                    rows.append(_row(store, workers, rate_class, times))
    return rows


def _row(store: str, workers: int, rate_class: RateClass, times: list[float]) -> dict[str, Any]:
    hourly, daily = RateLimits().windows(rate_class)
    return {
        "store": store if workers == 1 else f"{store} x{workers}",
        "class": rate_class,
        "requests": len(times),
        "hours": times[-1] / 3600,
        "optimum_hours": optimum(rate_class, len(times)) / 3600,
        "busiest_hour": busiest_window(times, hourly.seconds),
        "hourly_limit": hourly.limit,
        "busiest_day": busiest_window(times, daily.seconds),
        "daily_limit": daily.limit,
    }


def _store_factory(
    store: str, tmp: Path, redis_url: str | None
) -> tuple[Callable[[], BucketStore], int]:
    if store == "memory":
        shared = MemoryBucketStore()
        return (lambda: shared), 1
    if store == "sqlite":
        path = tmp / f"{uuid.uuid4().hex}.sqlite"
        return (lambda: SqliteBucketStore(path)), 4
    from callrail_async.ratelimit.redis import RedisBucketStore

    prefix = f"{uuid.uuid4().hex}:"
    return (lambda: RedisBucketStore(redis_url, prefix=prefix)), 4


async def _uncontended(n: int) -> float:
    # CallRail's windows with a budget no run can spend: every acquire is admitted at once.
    limits = RateLimits(general=[Window(10**9, 3600), Window(10**10, 86400)], maton=None)
    acquire = RateLimiter(limits).acquire
    started = time.perf_counter()
    for _ in range(n):
        await acquire("acct", "general")
    return (time.perf_counter() - started) / n * 1e6


async def _contended(tasks: int, per_task: int) -> float:
    limits = RateLimits(general=[Window(10**9, 3600), Window(10**10, 86400)], maton=None)
    limiter = RateLimiter(limits)

    async def worker() -> None:
        for _ in range(per_task):
            await limiter.acquire("acct", "general")
            await asyncio.sleep(0)

    async def bare() -> None:
        for _ in range(per_task):
            await asyncio.sleep(0)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(tasks)))
    elapsed = time.perf_counter() - started
    started = time.perf_counter()
    await asyncio.gather(*(bare() for _ in range(tasks)))
    baseline = time.perf_counter() - started  # the task switches alone, subtracted
    return max(0.0, elapsed - baseline) / (tasks * per_task) * 1e6


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--acquires", type=int, default=200_000)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--scale", type=float, default=1.0, help="job sizes x this")
    parser.add_argument("--stores", default="memory,sqlite,redis")
    args = parser.parse_args(argv)
    stores = args.stores.split(",")
    binary = shutil.which("redis-server") if "redis" in stores else None
    with redis_server(binary) if binary else nullcontext() as redis_url:
        rows = asyncio.run(_jobs(stores, args.scale, redis_url))
    print("jobs from a fresh budget, CallRail's windows, simulated clock")
    print(
        table(
            ["store", "class", "requests", "done in", "fastest possible", "ratio", "busiest hour",
             "busiest day"],
            [[r["store"], r["class"], r["requests"], f"{r['hours']:.3f} h",
              f"{r['optimum_hours']:.2f} h",
              f"{r['hours'] / r['optimum_hours']:.4f}" if r["optimum_hours"] else "-",
              f"{r['busiest_hour']}/{r['hourly_limit']}", f"{r['busiest_day']}/{r['daily_limit']}"]
             for r in rows],
        )
    )  # fmt: skip
    uncontended = asyncio.run(_uncontended(args.acquires))
    contended = asyncio.run(_contended(args.tasks, max(1, args.acquires // args.tasks)))
    print("\nacquire overhead (in-memory store, CallRail's two windows)")
    print(
        table(
            ["case", "µs/acquire", "target"],
            [["uncontended", uncontended, "< 5"], [f"{args.tasks} tasks", contended, ""]],
        )
    )
    result = {"uncontended_us": uncontended, "contended_us": contended, "tasks": args.tasks,
              "jobs": rows}  # fmt: skip
    print(f"results: {save('limiter', result)}")
    return result


if __name__ == "__main__":
    main()
