"""The call report from the API: its numbers against the sandbox's own endpoints and
against the calls themselves (in DuckDB), and what it costs in requests."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
import pytest

from benchmarks.duckdb_calls import copy_calls
from callrail_async import CallRail, ManualClock
from callrail_async.errors import ServerError
from callrail_async.report import (
    CallReport,
    RequestPlan,
    render_html,
    report_from_api,
    report_from_duckdb,
    to_json,
)
from callrail_async.testing import Faults, Sandbox

from .report_helpers import TAGS, tag_some_calls

pytest.importorskip("duckdb", reason="the report's DuckDB source needs the duckdb extra")


@pytest.fixture
async def tagged() -> AsyncIterator[tuple[Sandbox, CallRail]]:
    async with Sandbox(calls=3000, span_days=70) as sandbox:
        async with sandbox.client(clock=ManualClock()) as client:
            await tag_some_calls(client)
            yield sandbox, client


async def test_figures_match_the_summary_endpoints(
    tagged: tuple[Sandbox, CallRail],
) -> None:
    _, client = tagged
    report = await report_from_api(client, date_range="last_30_days")
    period = {"start_date": report.start_date, "end_date": report.end_date}
    fields = ("total_calls", "answered_calls", "missed_calls", "first_time_callers", "leads")
    summary = await client.calls.summary(fields=fields, **period)
    total = summary.total_results
    assert total is not None and total.total_calls
    voicemail = await client.calls.summary(answer_status="voicemail", **period)
    assert voicemail.total_results is not None
    vm = voicemail.total_results.total_calls or 0
    t = report.totals
    assert (t.calls, t.answered, t.first_time_callers, t.leads) == (
        total.total_calls, total.answered_calls, total.first_time_callers, total.leads
    )  # fmt: skip
    assert t.voicemail == vm > 0 and t.missed + t.voicemail == total.missed_calls
    assert t.answered + t.missed + t.voicemail == t.calls
    assert len(report.days) == 30 and report.days[-1].date == report.end_date
    assert sum(d.calls for d in report.days) == t.calls
    assert sum(map(sum, report.busiest_hours)) == t.calls
    # The previous period: the 30 days before, day by day.
    assert report.previous_end_date == report.start_date - dt.timedelta(days=1)
    assert [d.date for d in report.previous_days] == [
        d.date - dt.timedelta(days=30) for d in report.days
    ]
    before = await client.calls.summary(
        start_date=report.previous_start_date, end_date=report.previous_end_date
    )
    assert before.total_results is not None
    assert report.previous_calls == before.total_results.total_calls > 0
    assert {t.name: t.calls for t in report.tags} == TAGS


async def _both(tagged: tuple[Sandbox, CallRail], tmp_path: Path) -> tuple[CallReport, ...]:
    """The API's report, and the same period's from the calls copied into DuckDB."""
    sandbox, client = tagged
    report = await report_from_api(client)
    path = tmp_path / "callrail.duckdb"
    await copy_calls(client, path, account_id=sandbox.account_id)
    db = report_from_duckdb(
        path, start_date=report.start_date, end_date=report.end_date, time_zone=report.time_zone
    )
    return report, db


async def test_the_api_report_agrees_with_the_calls_themselves(
    tagged: tuple[Sandbox, CallRail], tmp_path: Path
) -> None:
    report, db = await _both(tagged, tmp_path)
    assert report.time_zone == "America/New_York"
    assert db.totals == msgspec.structs.replace(
        report.totals, average_duration=pytest.approx(db.totals.average_duration, abs=0.5)
    )
    for name in ("days", "previous_days", "by_source", "by_company", "busiest_hours", "tags"):
        assert getattr(db, name) == getattr(report, name), name


async def test_tracking_numbers_agree_with_the_calls_themselves(
    tagged: tuple[Sandbox, CallRail], tmp_path: Path
) -> None:
    report, db = await _both(tagged, tmp_path)
    assert db.tracking_numbers == report.tracking_numbers


async def test_a_30_day_report_costs_a_handful_of_requests(
    tagged: tuple[Sandbox, CallRail],
) -> None:
    sandbox, client = tagged
    plans: list[RequestPlan] = []
    before = sandbox.stats.total
    report = await report_from_api(client, on_plan=plans.append)
    made = sandbox.stats.total - before
    trackers = len(await client.trackers.list().collect())
    tag_names = {t.name for t in await client.tags.list().collect()}
    # 3 summaries + 2 daily and 4 hourly time series + 2 lists + 1 per tracker and tag name.
    assert made == report.requests == plans[0].total == 11 + trackers + len(tag_names)
    assert "API requests" in plans[0].describe()


async def test_the_plan_comes_before_the_bulk_of_the_requests(
    tagged: tuple[Sandbox, CallRail],
) -> None:
    sandbox, client = tagged
    before = sandbox.stats.total

    class Declined(Exception):
        pass

    def decline(plan: RequestPlan) -> None:
        raise Declined(plan.describe())

    with pytest.raises(Declined):
        await report_from_api(client, on_plan=decline)
    assert sandbox.stats.total - before == 3  # the summary and the two lists only


async def test_one_company(tagged: tuple[Sandbox, CallRail]) -> None:
    _, client = tagged
    company = (await client.companies.list().collect())[1]
    report = await report_from_api(client, company_id=company.id, date_range="last_7_days")
    summary = await client.calls.summary(company_id=company.id, date_range="last_7_days")
    assert summary.total_results is not None
    assert report.totals.calls == summary.total_results.total_calls > 0
    assert report.scope == company.name
    assert [(g.key, g.calls) for g in report.by_company] == [(company.name, report.totals.calls)]
    assert len(report.days) == 7


async def test_explicit_dates_and_json_round_trip(tagged: tuple[Sandbox, CallRail]) -> None:
    _, client = tagged
    end = dt.date.today() - dt.timedelta(days=3)
    start = end - dt.timedelta(days=9)
    report = await report_from_api(client, start_date=start, end_date=end)
    assert (report.start_date, report.end_date, len(report.days)) == (start, end, 10)
    again = msgspec.json.decode(to_json(report), type=CallReport)
    assert again == report


async def test_bad_arguments_fail_before_any_request(tagged: tuple[Sandbox, CallRail]) -> None:
    sandbox, client = tagged
    before = sandbox.stats.total
    with pytest.raises(ValueError, match="not both"):
        await report_from_api(client, date_range="last_7_days", start_date=dt.date.today())
    with pytest.raises(ValueError, match="concurrency"):
        await report_from_api(client, concurrency=0)
    with pytest.raises(ValueError, match="company_id"):
        await report_from_api(client, company_id="bad/../id")
    assert sandbox.stats.total == before


@pytest.mark.filterwarnings("error::RuntimeWarning")  # "coroutine ... was never awaited"
async def test_a_server_fault_midway_is_one_typed_error_and_nothing_left_running() -> None:
    async with Sandbox(calls=500, span_days=20) as sandbox:
        async with sandbox.client(max_retries=0) as client:

            def break_the_server(plan: RequestPlan) -> None:
                sandbox.faults = Faults(rate=1.0, kinds=("500",))

            with pytest.raises(ServerError) as caught:
                await report_from_api(client, on_plan=break_the_server, concurrency=4)
            assert caught.value.status == 500
            await asyncio.sleep(0)
            left = [t for t in asyncio.all_tasks() if "report_from_api" in repr(t.get_coro())]
            assert left == []
            gc.collect()  # a request coroutine never awaited would warn now, failing the test


async def test_the_report_holds_no_caller_names_or_numbers(
    tagged: tuple[Sandbox, CallRail],
) -> None:
    _, client = tagged
    report = await report_from_api(client)
    page, data = render_html(report), to_json(report).decode()
    callers = await client.calls.list(date_range="last_30_days").collect(200)
    personal = {c.customer_name for c in callers} | {c.customer_phone_number for c in callers}
    personal.discard(None)
    assert personal and not [p for p in personal if p and (p in page or p in data)]
