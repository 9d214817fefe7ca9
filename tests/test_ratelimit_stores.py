"""The three window stores: same semantics, shared budgets, clock steps, bounded failures."""

from __future__ import annotations

import asyncio
import itertools
import math
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callrail_async import ManualClock, RateLimiter, RateLimits, Window
from callrail_async.errors import RateLimitStoreError
from callrail_async.ratelimit import BucketStore, MemoryBucketStore, SqliteBucketStore
from callrail_async.ratelimit.redis import RedisBucketStore
from callrail_async.testing import Sandbox

from .conftest import _free_port
from .test_ratelimit import admit_all, earliest_admissions, max_in_window, window_sets

SHORT = RateLimits(general=[Window(limit=20, seconds=2.0), Window(limit=50, seconds=10.0)])


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BucketStore]:
    if request.param == "memory":
        made: BucketStore = MemoryBucketStore()
    elif request.param == "sqlite":
        made = SqliteBucketStore(tmp_path / "windows.sqlite")
    else:
        made = RedisBucketStore(request.getfixturevalue("redis_url"), prefix=f"{uuid.uuid4()}:")
    yield made
    await made.close()


@pytest.fixture(params=["sqlite", "redis"])
def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    """A factory of stores sharing one budget."""
    if request.param == "sqlite":
        return lambda: SqliteBucketStore(tmp_path / "shared.sqlite")
    url, prefix = request.getfixturevalue("redis_url"), f"{uuid.uuid4()}:"
    return lambda: RedisBucketStore(url, prefix=prefix)


async def test_every_store_admits_exactly_like_the_model(store: BucketStore) -> None:
    clock = ManualClock()
    limiter = RateLimiter(SHORT, store=store, clock=clock)
    gaps = [0.0] * 60 + [0.3] * 60 + [3.0, 0.0, 11.0] + [0.0] * 30
    times = await admit_all(limiter, clock, gaps)
    assert max_in_window(times, 2.0) <= 20 and max_in_window(times, 10.0) <= 50
    spans = [(20, SHORT.span(Window(20, 2.0))), (50, SHORT.span(Window(50, 10.0)))]
    assert times == pytest.approx(earliest_admissions(gaps, spans), abs=1e-5)
    clock.advance(10.1)
    statuses = [s for s in await limiter.status("acct") if s.rate_class == "general"]
    assert [s.admitted for s in statuses] == [0, 0]


@pytest.mark.parametrize("kind", ["sqlite", "redis"])
def test_property_shared_stores_admit_like_the_model(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("redis_url") if kind == "redis" else ""

    @given(windows=window_sets, gaps=st.lists(st.sampled_from([0.0, 0.05, 0.7, 4.0]), max_size=80))
    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def check(windows: list[tuple[int, float]], gaps: list[float]) -> None:
        limits = RateLimits(general=[Window(n, sec) for n, sec in windows], maton=None)
        store: BucketStore = (
            SqliteBucketStore(tmp_path / f"{uuid.uuid4()}.sqlite")
            if kind == "sqlite"
            else RedisBucketStore(url, prefix=f"{uuid.uuid4()}:")
        )

        async def run() -> list[float]:
            clock = ManualClock()
            limiter = RateLimiter(limits, store=store, clock=clock)
            try:
                return await admit_all(limiter, clock, gaps)
            finally:
                await limiter.close()

        times = asyncio.run(run())
        spans = [(n, limits.span(Window(n, sec))) for n, sec in windows]
        assert times == pytest.approx(earliest_admissions(gaps, spans), abs=1e-5)

    check()


async def test_a_failing_store_reaches_the_caller_as_the_sdk_error(tmp_path: Path) -> None:
    async with Sandbox(calls=5) as sandbox:
        store = SqliteBucketStore(tmp_path)  # a directory: cannot be opened as a database
        async with sandbox.client(rate_limits=RateLimits(), rate_limit_store=store) as client:
            with pytest.raises(RateLimitStoreError):
                await client.companies.list().collect()
    assert sandbox.stats.log == []  # nothing was sent without the budget's say


async def test_every_store_pauses_the_same_way(store: BucketStore) -> None:
    clock = ManualClock()
    limiter = RateLimiter(SHORT, store=store, clock=clock)
    await admit_all(limiter, clock, [0.0] * 3)
    await limiter.rate_limited("acct", "general", 1.5)
    statuses = [s for s in await limiter.status("acct") if s.rate_class == "general"]
    assert [(s.admitted, s.remaining) for s in statuses] == [(20, 0), (50, 0)]
    assert [s.next_slot_in for s in statuses] == pytest.approx([1.5, 1.5])
    before = clock.monotonic()
    await limiter.acquire("acct", "general")
    assert clock.monotonic() - before == pytest.approx(1.5)
    # The window counts as spent evenly: slots come back one by one, at the slower
    # window's average spacing (10.1 s / 50), not all at once.
    times = await admit_all(limiter, clock, [0.0] * 5)
    assert [b - a for a, b in itertools.pairwise(times)] == pytest.approx([0.202] * 4)


@pytest.mark.parametrize("retry_after", [math.inf, 1e309, -1.0, math.nan, 1e9])
async def test_a_hostile_retry_after_never_persists_a_long_pause(
    shared_store: object, retry_after: float
) -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(1000, 3600)], max_pause=120.0, default_pause=30.0)
    first = RateLimiter(limits, store=shared_store(), clock=clock)  # type: ignore[operator]
    await first.rate_limited("acct", "general", retry_after)
    await first.close()
    restarted = RateLimiter(limits, store=shared_store(), clock=clock)  # type: ignore[operator]
    before = clock.time()
    await restarted.acquire("acct", "general")
    assert clock.time() - before == pytest.approx(120.0 if retry_after == 1e9 else 30.0)
    await restarted.close()


@pytest.mark.parametrize("hostile", [math.inf, math.nan, -5.0])
async def test_a_store_given_a_hostile_pause_directly_pauses_nothing(
    store: BucketStore, hostile: float
) -> None:
    clock = ManualClock()
    limiter = RateLimiter(SHORT, store=store, clock=clock)
    now = clock.time() if store.shared else clock.monotonic()
    await store.pause(limiter.plan("acct", "general"), now, hostile)
    await limiter.acquire("acct", "general")
    assert clock.sleeps == []


async def test_redis_keys_always_expire(redis_url: str) -> None:
    import redis.asyncio as redis_asyncio

    clock, prefix = ManualClock(), f"{uuid.uuid4()}:"
    limiter = RateLimiter(SHORT, store=RedisBucketStore(redis_url, prefix=prefix), clock=clock)
    await limiter.acquire("acct", "general")
    await limiter.rate_limited("acct", "general", math.inf)
    for hostile in (math.inf, math.nan, -1e309):  # straight to the store, past the clamp
        await limiter.store.pause(limiter.plan("acct", "general"), clock.time(), hostile)
    client = redis_asyncio.Redis.from_url(redis_url)
    keys = await client.keys(prefix + "*")
    ttls = [await client.pttl(key) for key in keys]
    await client.aclose()
    await limiter.close()
    assert len(keys) == 2 and all(0 < ttl <= 70_100 for ttl in ttls), ttls


async def test_a_wall_clock_stepping_back_an_hour_does_not_stall(shared_store: object) -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(5, 60), Window(8, 600)])
    limiter = RateLimiter(limits, store=shared_store(), clock=clock)  # type: ignore[operator]
    await admit_all(limiter, clock, [0.0] * 3 + [10.0] * 2)
    clock.step_wall_clock(-3600)
    before = clock.time()
    await limiter.acquire("acct", "general")  # 60 s window full since 10 s ago (shifted)
    assert clock.time() - before == pytest.approx(60.1 - 20.0)
    statuses = [s for s in await limiter.status("acct") if s.rate_class == "general"]
    assert [s.admitted for s in statuses] == [3, 6]  # nothing was forgotten either
    await limiter.close()


async def test_sqlite_budget_survives_a_restart(tmp_path: Path) -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(limit=100, seconds=3600)])
    path = tmp_path / "budget.sqlite"
    first = RateLimiter(limits, store=SqliteBucketStore(path), clock=clock)
    await admit_all(first, clock, [0.0] * 30)
    await first.close()
    again = RateLimiter(limits, store=SqliteBucketStore(path), clock=clock)
    (status,) = [s for s in await again.status("acct") if s.rate_class == "general"]
    await again.close()
    assert (status.admitted, status.remaining) == (30, 70)


async def test_two_limiters_share_one_budget(shared_store: object) -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(limit=100, seconds=3600)])
    one = RateLimiter(limits, store=shared_store(), clock=clock)  # type: ignore[operator]
    two = RateLimiter(limits, store=shared_store(), clock=clock)  # type: ignore[operator]
    for _ in range(50):
        await one.acquire("acct", "general")
        await two.acquire("acct", "general")
    before = clock.time()
    await two.acquire("acct", "general")
    assert clock.time() - before == pytest.approx(3603.6)
    await one.close()
    await two.close()


async def test_redis_unreachable_is_a_typed_error_quickly() -> None:
    store = RedisBucketStore(f"redis://127.0.0.1:{_free_port()}/0", timeout=0.5)
    limiter = RateLimiter(SHORT, store=store)
    started = time.monotonic()
    with pytest.raises(RateLimitStoreError) as caught:
        await limiter.acquire("acct", "general")
    assert time.monotonic() - started < 5.0
    assert caught.value.__cause__ is None and "redis" not in type(caught.value).__module__
    await limiter.close()


async def test_redis_that_accepts_but_never_answers_is_bounded() -> None:
    connections: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)
        await reader.read(1 << 16)  # swallow the command, answer nothing

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    limiter = RateLimiter(SHORT, store=RedisBucketStore(f"redis://127.0.0.1:{port}", timeout=0.3))
    started = time.monotonic()
    with pytest.raises(RateLimitStoreError, match=r"did not answer within 0\.3 s"):
        await limiter.acquire("acct", "general")
    assert time.monotonic() - started < 3.0
    await limiter.close()
    for writer in connections:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_a_locked_sqlite_file_is_a_typed_error_after_the_busy_timeout(
    tmp_path: Path,
) -> None:
    path = tmp_path / "locked.sqlite"
    store = SqliteBucketStore(path, busy_timeout=0.2)
    limiter = RateLimiter(SHORT, store=store)
    await limiter.acquire("acct", "general")  # creates the schema
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(RateLimitStoreError, match="locked"):
        await limiter.acquire("acct", "general")
    assert time.monotonic() - started < 3.0
    holder.execute("ROLLBACK")
    holder.close()
    await limiter.acquire("acct", "general")  # usable again once the lock is gone
    await limiter.close()


async def test_an_unwritable_sqlite_path_is_a_typed_error(tmp_path: Path) -> None:
    limiter = RateLimiter(SHORT, store=SqliteBucketStore(tmp_path))  # a directory
    with pytest.raises(RateLimitStoreError):
        await limiter.acquire("acct", "general")
    limiter = RateLimiter(SHORT, store=SqliteBucketStore(tmp_path / "missing" / "x.sqlite"))
    with pytest.raises(RateLimitStoreError):
        await limiter.acquire("acct", "general")


async def test_the_client_estimates_a_job_from_its_budget() -> None:
    clock = ManualClock()
    async with Sandbox(calls=5, clock=clock) as sandbox:
        async with sandbox.client(
            clock=clock, rate_limits=RateLimits(), account_id=sandbox.account_id
        ) as client:
            assert await client.rate_limit_estimate(1000) == 0.0
            assert await client.rate_limit_estimate(4000) == pytest.approx(3 * 3603.6)
            await client.companies.list(per_page=1, max_items=1).collect()
            assert await client.rate_limit_estimate(1000) == pytest.approx(3603.6)
            assert await client.rate_limit_estimate(150, "sms") == 0.0
        async with sandbox.client(clock=clock) as unlimited:
            assert await unlimited.rate_limit_estimate(10**6) == 0.0


async def test_many_stores_opening_one_new_sqlite_file_together(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite"
    stores = [SqliteBucketStore(path) for _ in range(8)]
    limiters = [RateLimiter(SHORT, store=store) for store in stores]
    await asyncio.gather(*(limiter.acquire("acct", "general") for limiter in limiters))
    (status, _) = [s for s in await limiters[0].status("acct") if s.rate_class == "general"]
    assert status.admitted == 8
    for limiter in limiters:
        await limiter.close()


def test_many_processes_opening_a_new_sqlite_store_at_once_all_get_in(tmp_path: Path) -> None:
    # The first connections to a new file race to switch it to WAL; SQLite answers the
    # losers "database is locked" at once, not after busy_timeout (seen in CI as a
    # RateLimitStoreError from one of four workers starting together). Each thread has
    # its own store, hence its own connection, like a process.
    import threading

    failures: list[BaseException] = []
    for attempt in range(40):
        path = tmp_path / f"shared-{attempt}.sqlite"
        barrier = threading.Barrier(8)

        def first_admission(path: Path = path, barrier: threading.Barrier = barrier) -> None:
            store = SqliteBucketStore(path)
            barrier.wait()
            try:
                store._transact(lambda conn: conn.execute("SELECT 1").fetchone())
            except BaseException as exc:  # collected and asserted below
                failures.append(exc)

        threads = [threading.Thread(target=first_admission) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
