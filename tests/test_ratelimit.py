"""The rate limiter under a simulated clock: exact windows, fastest schedules, pauses, status."""

from __future__ import annotations

import asyncio
import itertools
import math
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks._common import busiest_window as max_in_window
from callrail_async import ManualClock, RateLimiter, RateLimits, Window, WindowStatus
from callrail_async.ratelimit import WindowLog, binding_window, completion_time

HOUR, DAY = 3600.0, 86400.0


async def admit_all(
    limiter: RateLimiter, clock: ManualClock, gaps: Sequence[float], rate_class: str = "general"
) -> list[float]:
    """Requests ``gaps`` apart (after the previous admission), each admitted as soon as the
    limiter lets it; their admission times on the monotonic clock."""
    times = []
    for gap in gaps:
        clock.advance(gap)
        await limiter.acquire("acct", rate_class)  # type: ignore[arg-type]
        times.append(clock.monotonic())
    return times


def earliest_admissions(gaps: Sequence[float], windows: Sequence[tuple[int, float]]) -> list[float]:
    """An independent model: each request admitted at the earliest instant at or after its
    arrival when every window has fewer than ``limit`` admissions in the last ``span``."""
    times: list[float] = []
    previous = 0.0
    for gap in gaps:
        t = previous + gap
        while True:
            later = t
            for limit, span in windows:
                inside = [x for x in times if x > t - span + 1e-6]
                if len(inside) >= limit:
                    later = max(later, inside[len(inside) - limit] + span)
            if later == t:
                break
            t = later
        times.append(t)
        previous = t
    return times


def test_window_validation() -> None:
    for bad in [(0, 1), (5, 0), (5, math.inf), (5, math.nan), (5, -1)]:
        with pytest.raises(ValueError):
            Window(*bad)  # type: ignore[arg-type]
    for burst in (0, 6):
        with pytest.raises(ValueError):
            Window(5, 1, burst=burst)
    for bad_limits in [{"margin": math.inf}, {"default_pause": math.nan}, {"max_pause": math.inf}]:
        with pytest.raises(ValueError):
            RateLimits(**bad_limits)  # type: ignore[arg-type]


def test_unlimited_has_no_windows() -> None:
    limits = RateLimits.unlimited()
    assert not limits.enabled and limits.specs("a", "general") == []


def test_margin_is_documented_slack() -> None:
    limits = RateLimits()
    assert limits.span(Window(1000, 3600)) == 3603.6
    assert limits.span(Window(10000, 86400)) == 86486.4
    assert limits.span(Window(10, 1)) == 1.1


@pytest.mark.parametrize(
    ("requests", "optimum"), [(1000, 0.0), (4000, 3 * HOUR), (12000, 25 * HOUR)]
)
async def test_published_jobs_finish_at_the_fastest_schedule(requests: int, optimum: float) -> None:
    nominal = [WindowLog(1000, HOUR), WindowLog(10000, DAY)]
    assert completion_time(nominal, requests) == optimum
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(), clock=clock)
    times = await admit_all(limiter, clock, [0.0] * requests)
    assert optimum <= times[-1] <= optimum * 1.001 + 1  # the margin: 3.6 s an hour, 86.4 s a day
    assert max_in_window(times, HOUR) == 1000 and max_in_window(times, DAY) <= 10000


@pytest.mark.parametrize("rate_class", ["sms", "outbound_call"])
async def test_other_classes_burst_to_their_hourly_limit(rate_class: str) -> None:
    clock = ManualClock()
    limits = RateLimits()
    hourly, daily = limits.windows(rate_class)  # type: ignore[arg-type]
    times = await admit_all(
        RateLimiter(limits, clock=clock), clock, [0.0] * (daily.limit + 1), rate_class
    )
    assert times[hourly.limit - 1] == 0.0 and times[hourly.limit] == pytest.approx(3603.6)
    assert max_in_window(times, hourly.seconds) == hourly.limit
    assert max_in_window(times, daily.seconds) == daily.limit
    assert times[-1] >= daily.seconds  # the day's budget was spent: the next waits a day


window_sets = st.lists(st.tuples(st.integers(1, 25), st.floats(0.5, 60.0)), min_size=1, max_size=3)
gaps_strategy = st.lists(
    st.one_of(st.just(0.0), st.floats(0.0, 0.5), st.floats(0.0, 30.0)), min_size=1, max_size=200
)


@given(windows=window_sets, gaps=gaps_strategy, smooth=st.booleans())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_property_exact_windows(
    windows: list[tuple[int, float]], gaps: list[float], smooth: bool
) -> None:
    """No rolling window is ever exceeded, and no request waits while every window (with
    its documented margin; with smooth=True also its pacing) has room: admissions match
    the independent model."""
    limits = RateLimits(general=[Window(n, s) for n, s in windows], maton=None, smooth=smooth)

    async def run() -> list[float]:
        clock = ManualClock()
        return await admit_all(RateLimiter(limits, clock=clock), clock, gaps)

    times = asyncio.run(run())
    for limit, seconds in windows:
        assert max_in_window(times, seconds) <= limit
    spans = [(n, limits.span(Window(n, s))) for n, s in windows]
    spans += [(1, s / n) for n, s in windows if smooth and n > 1]
    assert times == pytest.approx(earliest_admissions(gaps, spans), abs=1e-5)


@given(windows=window_sets, used=st.lists(st.floats(0.0, 30.0), max_size=60), n=st.integers(0, 200))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_property_estimate_matches_the_run(
    windows: list[tuple[int, float]], used: list[float], n: int
) -> None:
    limits = RateLimits(general=[Window(k, s) for k, s in windows], maton=None)

    async def run() -> tuple[float, float]:
        clock = ManualClock()
        limiter = RateLimiter(limits, clock=clock)
        await admit_all(limiter, clock, used)
        estimate = await limiter.estimate("acct", "general", n)
        start = clock.monotonic()
        await admit_all(limiter, clock, [0.0] * n)
        return estimate, clock.monotonic() - start

    estimate, actual = asyncio.run(run())
    assert estimate == pytest.approx(actual, abs=1e-5)


async def test_429_fills_the_windows_for_everyone_until_the_pause_ends() -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(limit=100, seconds=100), Window(1000, 1000)])
    limiter = RateLimiter(limits, clock=clock)
    await limiter.acquire("acct", "general")
    await limiter.rate_limited("acct", "general", 30.0)
    for status in [s for s in await limiter.status("acct") if s.rate_class == "general"]:
        assert status.remaining == 0 and status.admitted == status.limit
        assert status.next_slot_in == pytest.approx(30.0)
    paused = clock.monotonic()
    admitted: list[float] = []

    async def task() -> None:
        await limiter.acquire("acct", "general")
        admitted.append(clock.monotonic())

    await asyncio.gather(*(task() for _ in range(5)))
    assert min(admitted) - paused == pytest.approx(30.0)  # nobody before the pause ended
    await limiter.rate_limited("acct", "general", None)
    before = clock.monotonic()
    await limiter.acquire("acct", "general")
    assert clock.monotonic() - before == pytest.approx(1.001)  # 100.1 s / 100: one's share


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        (1e9, 300.0),
        (math.inf, 8.64864),
        (math.nan, 8.64864),
        (-5.0, 8.64864),
        (None, 8.64864),
        (0.0, 0.0),
        (12.0, 12.0),
    ],
)
async def test_a_429_pause_is_clamped(retry_after: float | None, expected: float) -> None:
    # Without a usable Retry-After: one request's share of the day (86,486.4 s / 10,000).
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(), clock=clock)
    await limiter.rate_limited("acct", "general", retry_after)
    before = clock.monotonic()
    await limiter.acquire("acct", "general")
    assert clock.monotonic() - before == pytest.approx(expected)


async def test_a_pause_never_outlasts_the_longest_window() -> None:
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(general=[Window(5, 20)], max_pause=300), clock=clock)
    await limiter.rate_limited("acct", "general", 250.0)
    before = clock.monotonic()
    await limiter.acquire("acct", "general")
    assert clock.monotonic() - before == pytest.approx(20.1)


async def test_wall_clock_stepping_back_an_hour_does_not_stall_memory() -> None:
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(general=[Window(5, 60)]), clock=clock)
    await admit_all(limiter, clock, [0.0] * 5)
    clock.step_wall_clock(-HOUR)
    before = clock.monotonic()
    await limiter.acquire("acct", "general")
    assert clock.monotonic() - before == pytest.approx(60.1)  # the window, not an hour more


async def test_waiting_acquire_is_cancellable_and_releases_the_queue() -> None:
    limiter = RateLimiter(RateLimits(general=[Window(limit=1, seconds=3600)]))
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
    limiter = RateLimiter(RateLimits(general=[Window(limit=100, seconds=10)]), clock=clock)
    order: list[int] = []
    times: list[float] = []

    async def task(n: int) -> None:
        await limiter.acquire("acct", "general")
        order.append(n)
        times.append(clock.monotonic())

    await asyncio.gather(*(task(n) for n in range(1000)))
    assert order == list(range(1000))
    assert max_in_window(times, 10) == 100
    assert times[-1] == pytest.approx(9 * 10.1)  # ten full windows, back to back


async def test_classes_and_accounts_have_separate_budgets() -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(5, 60)], sms=[Window(5, 60)])
    limiter = RateLimiter(limits, clock=clock)
    for key, rate_class in [("a", "general"), ("a", "sms"), ("b", "general")]:
        for _ in range(5):
            await limiter.acquire(key, rate_class)  # type: ignore[arg-type]
    assert clock.sleeps == []


async def test_status_reports_admitted_remaining_and_next_slot() -> None:
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(), clock=clock)
    await admit_all(limiter, clock, [0.0] * 990 + [10.0] * 10)
    statuses = await limiter.status("acct")
    status = {(s.rate_class, s.seconds): s for s in statuses}
    hourly, daily = status[("general", HOUR)], status[("general", DAY)]
    assert (hourly.admitted, hourly.remaining) == (1000, 0)
    assert hourly.next_slot_in == pytest.approx(3603.6 - 100)  # the first 990 went at 0
    assert (daily.admitted, daily.remaining, daily.next_slot_in) == (1000, 9000, 0.0)
    assert status[("sms", HOUR)].remaining == 150
    assert binding_window(statuses, "general") == hourly
    assert hourly.summary() == "0 of 1,000/hour left, next in 58m"
    assert daily.summary() == "9,000 of 10,000/day left"
    assert await limiter.estimate("acct", "general", 1) == pytest.approx(3503.6)


async def test_storage_is_bounded_by_the_limit() -> None:
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(general=[Window(50, 10)]), clock=clock)
    await admit_all(limiter, clock, [0.01] * 2000)
    await limiter.rate_limited("acct", "general", 5.0)
    (log,) = await limiter.store.peek(limiter.plan("acct", "general"), clock.monotonic())
    assert len(log) == 50


async def test_maton_window_applies_on_top() -> None:
    clock = ManualClock()
    limiter = RateLimiter(RateLimits(), clock=clock).for_gateway("maton-key")
    times = await admit_all(limiter, clock, [0.0] * 100)
    assert max_in_window(times, 1.0) == 10
    assert "maton" in {s.rate_class for s in await limiter.status("acct")}


async def test_smooth_paces_at_the_average_rate() -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(100, 50)], smooth=True, maton=None)
    times = await admit_all(RateLimiter(limits, clock=clock), clock, [0.0] * 300)
    gaps = {round(b - a, 6) for a, b in itertools.pairwise(times)}
    assert gaps - {0.5} == {round(50.1 - 99 * 0.5, 6)}  # evenly 0.5 s, the margin once a window
    assert max_in_window(times, 50) <= 100


async def test_burst_paces_with_bursts_of_that_size() -> None:
    clock = ManualClock()
    limits = RateLimits(general=[Window(100, 100, burst=10)], maton=None)
    times = await admit_all(RateLimiter(limits, clock=clock), clock, [0.0] * 30)
    assert times[:10] == [0.0] * 10 and times[10] == pytest.approx(10.0)
    assert max_in_window(times, 10.0) == 10


@pytest.mark.parametrize(
    ("seconds", "remaining", "next_in", "text"),
    [
        (20.0, 0, 30.4, "0 of 10/20s left, next in 30s"),
        (86400.0, 0, 7300.0, "0 of 10/day left, next in 2.0h"),
        (3600.0, 3, 0.0, "3 of 10/hour left"),
    ],
)
def test_status_summary(seconds: float, remaining: int, next_in: float, text: str) -> None:
    status = WindowStatus("general", 10, seconds, 10 - remaining, remaining, next_in)
    assert status.summary() == text


async def test_export_progress_shows_the_binding_windows_budget() -> None:
    from callrail_async.export.command import budget_text

    clock = ManualClock()
    limiter = RateLimiter(RateLimits(), clock=clock)
    await admit_all(limiter, clock, [0.0] * 10)
    assert budget_text(await limiter.status("acct")) == "990 of 1,000/hour left"
    await admit_all(limiter, clock, [0.0] * 990)
    assert budget_text(await limiter.status("acct")) == "0 of 1,000/hour left, next in 60m"
    assert budget_text([]) == ""
