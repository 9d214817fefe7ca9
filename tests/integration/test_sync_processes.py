"""Sync in real OS processes: killed with SIGKILL mid-run, and two workers sharing
per-account budgets through Redis."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from callrail_async.testing import RateLimitWindows, Sandbox

from ._sync_helpers import change_calls, duckdb_state, server_state

ROOT = Path(__file__).resolve().parents[2]


async def _worker(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.integration._sync_worker", *args,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "RUNTIME__LOG_LEVEL": "ERROR"},
    )  # fmt: skip


async def _finish(process: asyncio.subprocess.Process) -> str:
    out, err = await asyncio.wait_for(process.communicate(), 240)
    assert process.returncode == 0, err.decode()[-2000:]
    return out.decode()


async def _quiet_for(sandbox: Sandbox, seconds: float) -> None:
    """Wait until the sandbox has served requests and then none for ``seconds``."""
    seen, since = -1, time.monotonic()
    while True:
        await asyncio.sleep(0.02)
        total = sandbox.stats.total
        if total != seen:
            seen, since = total, time.monotonic()
        elif total > 0 and time.monotonic() - since >= seconds:
            return


@pytest.mark.parametrize("moment", ["fetching", "loading"])
async def test_sigkill_then_rerun_gives_the_servers_state(moment: str, tmp_path: Path) -> None:
    async with Sandbox(calls=4000, accounts=3, span_days=20, seed=3, latency=0.01) as sandbox:
        db, work = tmp_path / "callrail.duckdb", tmp_path / "work"
        args = (sandbox.base_url, str(db), str(work))
        process = await _worker(*args)
        if moment == "fetching":
            while sandbox.stats.count("calls.list") < 12:
                await asyncio.sleep(0.005)
        else:  # every request answered: dlt is normalizing or loading
            await _quiet_for(sandbox, 0.05)
        process.send_signal(signal.SIGKILL)
        await process.wait()
        await change_calls(sandbox, 0, 7.0)
        await _finish(await _worker(*args))
        assert duckdb_state(db) == await server_state(sandbox)


async def test_two_workers_share_each_accounts_budget_through_redis(
    redis_url: str, tmp_path: Path
) -> None:
    limit, seconds = 8, 2.0
    # The sandbox also counts each worker's account listing (GET a.json, spent from the
    # key's budget, not an account's) against the first account: allow for those two.
    # The workers give their limiter a 0.5 s margin for the delay between admission and
    # arrival (see _sync_worker); the sandbox counts arrivals over the budget's own window.
    windows = RateLimitWindows(general=[(limit + 2, seconds)], maton_per_second=None)
    async with Sandbox(calls=1500, accounts=2, span_days=20, rate_limits=windows) as sandbox:
        budget = (redis_url, str(limit), str(seconds))
        workers = []
        for n in range(2):
            db, work = str(tmp_path / f"w{n}.duckdb"), str(tmp_path / f"p{n}")
            workers.append(await _worker(sandbox.base_url, db, work, *budget))
        await asyncio.gather(*(_finish(w) for w in workers))
        assert sandbox.stats.count(status=429) == 0
        log = list(sandbox.stats.log)  # the workers' requests only
        sandbox.rate_limits = None  # the checks below are not part of the budget
        expected = await server_state(sandbox)
        for n in range(2):
            assert duckdb_state(tmp_path / f"w{n}.duckdb") == expected
        # The budget bound: each account's requests, in every rolling window, within it;
        # and the job needed more than one window's worth, so the sharing was exercised.
        for account in sandbox.data.accounts:
            prefix = f"/v3/a/{account.id}/"
            times = sorted(r.time for r in log if r.path.startswith(prefix))
            assert len(times) > limit
            for i, start in enumerate(times):
                assert sum(1 for t in times[i:] if t < start + seconds) <= limit
