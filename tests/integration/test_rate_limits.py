"""The limiter against the sandbox's enforcement: no 429s, budgets shared across processes."""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from callrail_async import ManualClock, RateLimits, Window
from callrail_async.testing import RateLimitWindows, Sandbox

from ..test_ratelimit import max_in_window

ROOT = Path(__file__).resolve().parents[2]


class SettlingClock(ManualClock):
    """A simulated clock that lets requests already sent reach the sandbox before a sleep
    moves time on: on a real clock a request takes milliseconds, while one simulated sleep
    of an hour would otherwise make it arrive an hour after the limiter admitted it."""

    async def sleep(self, seconds: float) -> None:
        for _ in range(SETTLE_ROUNDS):
            await asyncio.sleep(0)
        await super().sleep(seconds)


SETTLE_ROUNDS = 30


async def test_ten_thousand_requests_in_50_tasks_without_a_429() -> None:
    clock = SettlingClock()
    async with Sandbox(calls=50, clock=clock, rate_limits=RateLimitWindows()) as sandbox:
        company = next(iter(sandbox.account().collections["companies"]))
        async with sandbox.client(
            clock=clock, rate_limits=RateLimits(), account_id=sandbox.account_id
        ) as client:

            async def worker() -> None:
                for _ in range(200):
                    await client.companies.get(company)

            started = clock.time()
            await asyncio.gather(*(worker() for _ in range(50)))
            elapsed = clock.time() - started
            status = {(s.rate_class, s.seconds): s for s in await client.rate_limit_status()}
    assert sandbox.stats.count(status=429) == 0
    assert sandbox.stats.count("companies.get", 200) == 10_000
    times = [r.time for r in sandbox.stats.log]
    assert max_in_window(times, 3600) <= 1000 and max_in_window(times, 86400) <= 10_000
    assert 9 * 3600 <= elapsed <= 9 * 3603.6 + 5  # the fastest the hourly window allows
    assert status[("general", 86400)].limit == 10_000


async def test_a_429_from_budget_spent_elsewhere_is_waited_out() -> None:
    clock = ManualClock()
    windows = RateLimitWindows(general=[(20, 60)])
    async with Sandbox(calls=10, clock=clock, rate_limits=windows) as sandbox:
        company = next(iter(sandbox.account().collections["companies"]))
        async with sandbox.client(clock=clock, account_id=sandbox.account_id) as other_tool:
            for _ in range(20):  # another tool spends the whole window
                await other_tool.companies.get(company)
        limits = RateLimits(general=[Window(limit=20, seconds=60, burst=10)])
        async with sandbox.client(
            clock=clock, rate_limits=limits, account_id=sandbox.account_id, max_retries=6
        ) as client:
            started = clock.time()
            results = await asyncio.gather(*(client.companies.get(company) for _ in range(5)))
    assert len(results) == 5
    rejected = [r.time for r in sandbox.stats.log if r.status == 429]
    assert len(rejected) >= 5  # the five requests in flight together hit the wall...
    assert clock.time() - started >= 59  # ...and everyone waited for the window to free up
    # After that first wave the tasks back off together: one probe per (growing) pause,
    # never a burst of 429s at one moment.
    later = rejected[5:]
    assert len(later) == len(set(later))
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(later))


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
async def test_four_processes_share_one_budget_and_finish_at_the_optimum(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    store = (
        f"sqlite:{tmp_path / 'shared.sqlite'}"
        if backend == "sqlite"
        else f"redis:{request.getfixturevalue('redis_url').rsplit('/', 1)[0]}/{os.getpid() % 16}"
    )
    windows = RateLimitWindows(general=[(30, 3.0)])
    per_process = 20  # 80 requests: windows of 30, 30 and 20, the last one starting at 6 s
    async with Sandbox(calls=10, rate_limits=windows) as sandbox:
        start = time.time() + 3.0
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        procs = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.integration._budget_worker",
                sandbox.base_url,
                sandbox.account_id,
                store,
                str(start),
                str(per_process),
                stdout=subprocess.PIPE,
                cwd=ROOT,
                env=env,
            )
            for _ in range(4)
        ]
        outputs = [await p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert sum(int(out.decode().strip()) for out, _ in outputs) == 4 * per_process
    assert sandbox.stats.count(status=429) == 0
    times = [r.time for r in sandbox.stats.log if r.endpoint == "companies.list"]
    assert len(times) == 4 * per_process
    assert max_in_window(times, 3.0) == 30
    # The fastest schedule the window allows ends at 6 s; the margin adds 2 x 1 s.
    assert times[-1] - times[0] <= 1.1 * 6.0 + 4.0, times[-1] - times[0]
