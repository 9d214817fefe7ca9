"""Concurrency soak: many tasks mixing list, get and update against a faulty sandbox.

    python -m benchmarks.soak [--tasks 500] [--seconds 60] [--fault-rate 0.1]

Prints requests done, faults absorbed, retries spent, records lost (must be 0), connections
left checked out (must be 0) and memory over the run (must stay flat).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import logging
import time
import tracemalloc
from typing import Any

from callrail_async import ManualClock
from callrail_async.testing import Faults, Sandbox

from ._common import save, table


class _RetryCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.retries = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("retrying"):
            self.retries += 1


async def run_soak(
    tasks: int, seconds: float, fault_rate: float, calls: int = 3000
) -> dict[str, Any]:
    """Run the soak; returns its figures (see the module docstring)."""
    counter = _RetryCounter()
    logger = logging.getLogger("callrail_async")
    logger.addHandler(counter)
    faults = Faults(rate=fault_rate, kinds=("500", "503", "429", "truncate", "reset"), seed=2)
    async with Sandbox(calls=calls, span_days=30) as sandbox:
        sandbox.faults = faults
        today = dt.datetime.fromtimestamp(sandbox.clock.time(), dt.UTC).date()
        span = {"start_date": today - dt.timedelta(days=35), "end_date": today}
        company = next(iter(sandbox.account().collections["companies"]))
        ids = sandbox.call_ids()
        notes: dict[str, str] = {}
        listed = short = 0
        memory: list[int] = []
        async with sandbox.client(clock=ManualClock(), max_retries=20) as client:
            deadline = time.monotonic() + seconds

            async def worker(n: int) -> None:
                nonlocal listed, short
                step = 0
                while True:
                    kind = (n + step) % 3
                    if kind == 0:
                        page = await client.calls.list(
                            relative=False, per_page=50, max_items=50, **span
                        ).collect()
                        listed += 1
                        short += len(page) != 50
                    elif kind == 1:
                        await client.companies.get(company)
                    else:
                        call_id = ids[(n * 7919 + step) % len(ids)]
                        note = f"soak {n}/{step}"
                        await client.calls.update(call_id, note=note)
                        notes[call_id] = note
                    step += 1
                    if time.monotonic() >= deadline and step >= 3:
                        return

            tracemalloc.start()

            async def sample() -> None:
                while time.monotonic() < deadline:
                    gc.collect()
                    memory.append(tracemalloc.get_traced_memory()[0])
                    await asyncio.sleep(max(0.05, seconds / 10))

            sampler = asyncio.create_task(sample())
            await asyncio.gather(*(worker(n) for n in range(tasks)))
            await sampler
            gc.collect()
            memory.append(tracemalloc.get_traced_memory()[0])
            tracemalloc.stop()
            connector = client._transport.session.connector
            checked_out = len(connector._acquired) if connector is not None else 0  # type: ignore[attr-defined]
        sandbox.faults = None
        store = sandbox.account().calls
        lost = sum(
            1
            for call_id, note in notes.items()
            if store.attrs(store.index_of(call_id) or 0)["note"] != note
        )
        faults_absorbed = sum(1 for r in sandbox.stats.log if r.fault)
        requests = sandbox.stats.total
    logger.removeHandler(counter)
    settled = memory[1:] or memory
    return {
        "tasks": tasks,
        "seconds": seconds,
        "requests": requests,
        "faults_absorbed": faults_absorbed,
        "retries": counter.retries,
        "updates": len(notes),
        "lists": listed,
        "short_lists": short,
        "records_lost": lost + short,
        "connections_checked_out": checked_out,
        "memory_start_kb": settled[0] // 1024,
        "memory_end_kb": settled[-1] // 1024,
        "memory_growth_kb": (settled[-1] - settled[0]) // 1024,
    }


def main(argv: list[str] | None = None) -> None:
    """Run the soak and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--fault-rate", type=float, default=0.1)
    args = parser.parse_args(argv)
    result = asyncio.run(run_soak(args.tasks, args.seconds, args.fault_rate))
    print(f"soak: {args.tasks} tasks for {args.seconds:.0f}s, {args.fault_rate:.0%} faults")
    print(table(["figure", "value"], [[k, v] for k, v in result.items()]))
    print(f"results: {save('soak', result)}")


if __name__ == "__main__":
    main()
