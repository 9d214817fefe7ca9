"""The rate limiter under a simulated clock: window safety, budget use, pauses, backends."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks._common import busiest_window as max_in_window
from callrail_async import ManualClock, RateLimiter, RateLimits, Window
from callrail_async.ratelimit import BucketStore, MemoryBucketStore, SqliteBucketStore
from callrail_async.ratelimit.redis import RedisBucketStore


async def admit_all(limiter: RateLimiter, clock: ManualClock, gaps: Sequence[float]) -> list[float]:
    """Arrivals ``gaps`` apart, each admitted as soon as the limiter lets it."""
    times = []
    for gap in gaps:
        clock.advance(gap)
        await limiter.acquire("acct", "general")
        times.append(clock.time())
    return times


def test_default_buckets_never_exceed_their_window() -> None:
    limits = RateLimits()
    for rate_class in ("general", "sms", "outbound_call"):
        for bucket in limits.buckets("a", rate_class):  # type: ignore[arg-type]
            window = bucket.window
            assert bucket.capacity >= 1
            assert bucket.capacity + bucket.rate * window.seconds <= window.limit
            assert bucket.capacity + bucket.rate * limits.span(window) == pytest.approx(
                window.limit
            )


def test_unlimited_has_no_buckets() -> None:
    limits = RateLimits.unlimited()
    assert not limits.enabled and limits.buckets("a", "general") == []


@pytest.mark.parametrize("bad", [{"limit": 0, "seconds": 1}, {"limit": 5, "seconds": 0},
                                 {"limit": 5, "seconds": 1, "burst": 5}])  # fmt: skip
def test_window_validation(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        Window(**bad)  # type: ignore[arg-type]


gaps_strategy = st.lists(
    st.one_of(
        st.just(0.0),
        st.floats(min_value=0.0, max_value=0.5),
        st.floats(min_value=0.0, max_value=30.0),
    ),
    min_size=1,
    max_size=400,
)


@given(gaps=gaps_strategy)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_property_short_windows_never_exceeded(gaps: list[float]) -> None:
    limits = RateLimits(general=[Window(limit=20, seconds=2.0), Window(limit=50, seconds=10.0)])

    async def run() -> list[float]:
        clock = ManualClock()
        return await admit_all(RateLimiter(limits, clock=clock), clock, gaps)

    times = asyncio.run(run())
    assert len(times) == len(gaps)
    assert max_in_window(times, 2.0) <= 20
    assert max_in_window(times, 10.0) <= 50


bursts_strategy = st.lists(
    st.tuples(st.floats(min_value=0, max_value=7200), st.integers(min_value=1, max_value=400)),
    min_size=1,
    max_size=12,
)


@given(bursts=bursts_strategy)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_property_callrail_hour_and_day_never_exceeded(bursts: list[tuple[float, int]]) -> None:
    gaps = [g for pause, size in bursts for g in [pause] + [0.0] * (size - 1)]

    async def run() -> list[float]:
        clock = ManualClock()
        return await admit_all(RateLimiter(RateLimits(), clock=clock), clock, gaps)

    times = asyncio.run(run())
    assert max_in_window(times, 3600) <= 1000
    assert max_in_window(times, 86400) <= 10000


@pytest.mark.parametrize("rate_class", ["general", "sms", "outbound_call"])
async def test_unlimited_demand_uses_99_percent_of_each_day(rate_class: str) -> None:
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(), clock=clock)
    start = clock.time()
    times = []
    while clock.time() - start < 2 * 86400:
        await limiter.acquire("acct", rate_class)  # type: ignore[arg-type]
        times.append(clock.time() - start)
    windows = RateLimits().windows(rate_class)  # type: ignore[arg-type]
    hourly, daily = windows[0], windows[1]
    first_day = sum(1 for t in times if t < 86400)
    second_day = sum(1 for t in times if 86400 <= t < 2 * 86400)
    assert first_day >= 0.99 * daily.limit and second_day >= 0.99 * daily.limit
    assert max_in_window(times, hourly.seconds) <= hourly.limit
    assert max_in_window(times, daily.seconds) <= daily.limit


async def test_a_fresh_budget_allows_an_immediate_burst() -> None:
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(), clock=clock)
    for _ in range(50):
        await limiter.acquire("acct", "general")
    assert clock.sleeps == []


async def test_any_window_length_works() -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(limit=20, seconds=2)])
    limiter = RateLimiter(limits, clock=clock)
    start = clock.time()
    times = [await limiter.acquire("a", "general") or clock.time() - start for _ in range(400)]
    assert max_in_window(times, 2.0) <= 20
    assert len(times) / (times[-1] / 2.0) >= 0.9 * 20  # at least 90% of the budget


async def test_classes_and_accounts_have_separate_budgets() -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(5, 60, burst=4)], sms=[Window(5, 60, burst=4)])
    limiter = RateLimiter(limits, clock=clock)
    for key, rate_class in [("a", "general"), ("a", "sms"), ("b", "general")]:
        for _ in range(4):
            await limiter.acquire(key, rate_class)  # type: ignore[arg-type]
    assert clock.sleeps == []  # three budgets, each within its burst


async def test_429_pauses_every_task_until_refill() -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(limit=100, seconds=100)])
    limiter = RateLimiter(limits, clock=clock)
    await limiter.acquire("acct", "general")
    await limiter.rate_limited("acct", "general", None)
    paused = clock.time()
    admitted: list[float] = []

    async def task() -> None:
        await limiter.acquire("acct", "general")
        admitted.append(clock.time())

    await asyncio.gather(*(task() for _ in range(5)))
    bucket = limits.buckets("acct", "general")[0]
    assert min(admitted) - paused >= 1 / bucket.rate - 1e-6  # nobody went before the pause ended
    await limiter.rate_limited("acct", "general", 30.0)
    before = clock.time()
    await limiter.acquire("acct", "general")
    assert clock.time() - before >= 30.0  # Retry-After, when given, sets the pause


async def test_waiting_acquire_is_cancellable_and_releases_the_queue() -> None:
    limits = RateLimits(general=[Window(limit=2, seconds=3600)])
    limiter = RateLimiter(limits)  # the real clock: the second acquire waits ~30 minutes
    await limiter.acquire("acct", "general")
    waiter = asyncio.create_task(limiter.acquire("acct", "general"))
    await asyncio.sleep(0.01)
    assert not waiter.done()
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert not limiter._locks[("acct", "general")].locked()


async def test_thousand_tasks_share_one_budget_in_fifo_order() -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(limit=100, seconds=10)])
    limiter = RateLimiter(limits, clock=clock)
    order: list[int] = []
    times: list[float] = []

    async def task(n: int) -> None:
        await limiter.acquire("acct", "general")
        order.append(n)
        times.append(clock.time())

    await asyncio.gather(*(task(n) for n in range(1000)))
    assert order == list(range(1000))
    assert max_in_window(times, 10) <= 100


async def test_status_reports_remaining_and_next_refill() -> None:
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(), clock=clock)
    for _ in range(10):
        await limiter.acquire("acct", "general")
    status = {(s.rate_class, s.seconds): s for s in await limiter.status("acct")}
    daily = status[("general", 86400)]
    assert daily.limit == 10000 and daily.remaining == 40 and daily.capacity == 50
    assert daily.next_token_in == 0 and daily.paused_for == 0
    assert status[("sms", 3600)].remaining == 75
    await limiter.rate_limited("acct", "general", None)
    daily = {(s.rate_class, s.seconds): s for s in await limiter.status("acct")}[("general", 86400)]
    assert daily.remaining == 0 and daily.paused_for > 0 and daily.next_token_in > 0


async def test_maton_window_applies_on_top() -> None:
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(), clock=clock).for_gateway("maton-key")
    times = []
    for _ in range(100):
        await limiter.acquire("acct", "general")
        times.append(clock.time())
    assert max_in_window(times, 1.0) <= 10
    labels = {s.rate_class for s in await limiter.status("acct")}
    assert "maton" in labels


@pytest.fixture(params=["memory", "sqlite", "redis"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BucketStore]:
    if request.param == "memory":
        made: BucketStore = MemoryBucketStore()
    elif request.param == "sqlite":
        made = SqliteBucketStore(tmp_path / "buckets.sqlite")
    else:
        url = request.getfixturevalue("redis_url")
        made = RedisBucketStore(url, prefix=f"test-{uuid.uuid4().hex}:")
    yield made
    await made.close()


async def test_every_backend_enforces_the_same_windows(store: BucketStore) -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(limit=20, seconds=2.0), Window(limit=50, seconds=10.0)])
    limiter = RateLimiter(limits, store=store, clock=clock)
    times = await admit_all(limiter, clock, [0.0] * 60 + [0.3] * 60)
    assert max_in_window(times, 2.0) <= 20 and max_in_window(times, 10.0) <= 50
    await limiter.rate_limited("acct", "general", 5.0)
    before = clock.time()
    await limiter.acquire("acct", "general")
    assert clock.time() - before >= 5.0


async def test_sqlite_budget_survives_a_restart(tmp_path: Path) -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(limit=100, seconds=3600, burst=50)])
    path = tmp_path / "budget.sqlite"
    first = RateLimiter(limits, store=SqliteBucketStore(path), clock=clock)
    for _ in range(30):
        await first.acquire("acct", "general")
    await first.close()
    again = RateLimiter(limits, store=SqliteBucketStore(path), clock=clock)
    remaining = {
        s.seconds: s.remaining for s in await again.status("acct") if s.rate_class == "general"
    }
    await again.close()
    capacity = limits.buckets("acct", "general")[0].capacity
    assert remaining[3600] == capacity - 30


async def test_redis_budget_is_shared_between_limiters(redis_url: str) -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(limit=100, seconds=3600, burst=50)])
    prefix = f"shared-{uuid.uuid4().hex}:"
    one = RateLimiter(limits, store=RedisBucketStore(redis_url, prefix=prefix), clock=clock)
    two = RateLimiter(limits, store=RedisBucketStore(redis_url, prefix=prefix), clock=clock)
    for _ in range(10):
        await one.acquire("acct", "general")
        await two.acquire("acct", "general")
    remaining = {
        s.seconds: s.remaining for s in await one.status("acct") if s.rate_class == "general"
    }
    capacity = limits.buckets("acct", "general")[0].capacity
    assert remaining[3600] == capacity - 20
    await one.close()
    await two.close()
