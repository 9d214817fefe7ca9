"""The demo's report in a real headless Chromium: it makes no network request, its tables
hold the sandbox's summary figures, and it renders (screenshot).

Chromium comes from Debian's packages (``.ci/run`` installs it); elsewhere the tests skip.
Set ``REPORT_SCREENSHOT=path.png`` to keep the screenshot (the README's comes from here).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from callrail_async import CallRail
from callrail_async.report import CallReport
from callrail_async.report.command import write_report
from callrail_async.report.html_page import CSP
from callrail_async.testing import Sandbox

from .report_helpers import NumberTables, number

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--no-pings", "--hide-scrollbars",
    # Hermetic: no name resolves, so nothing the browser itself tries leaves the machine.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)  # fmt: skip


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if found := shutil.which(name):
            return found
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is missing although .ci/run installs it under CI")
    pytest.skip("Chromium is not installed (Debian: apt-get install chromium)")


async def browse(chromium: str, page: Path, tmp: Path, *args: str) -> tuple[str, list[str]]:
    """Open ``page`` in a fresh headless Chromium: its stdout and the URLs the page asked
    for (from Chromium's own network log: requests of a ``file://`` page)."""
    run = len(list(tmp.glob("netlog-*")))
    netlog = tmp / f"netlog-{run}.json"
    child = await asyncio.create_subprocess_exec(
        chromium, *FLAGS, f"--user-data-dir={tmp / f'profile-{run}'}",
        f"--log-net-log={netlog}", *args, page.as_uri(),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    out, _ = await asyncio.wait_for(child.communicate(), 120)
    assert child.returncode == 0
    log = json.loads(netlog.read_text())
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    asked = [
        event["params"]["url"]
        for event in log["events"]
        if event["type"] == start_job
        and "file://" in event.get("params", {}).get("network_isolation_key", "")
    ]
    return out.decode(), asked


async def test_the_request_detector_sees_what_a_page_asks_for(
    chromium: str, tmp_path: Path
) -> None:
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<!DOCTYPE html><link rel="stylesheet" href="https://fonts.example.com/a.css">'
        '<img src="http://127.0.0.1:9/pixel.png"><p>hello</p>'
    )
    dom, asked = await browse(chromium, leaky, tmp_path, "--dump-dom")
    assert "hello" in dom
    assert set(asked) == {"https://fonts.example.com/a.css", "http://127.0.0.1:9/pixel.png"}


@pytest.fixture
async def demo(tmp_path: Path) -> AsyncIterator[tuple[CallRail, CallReport, Path]]:
    # As `callrail-async demo` does: its sandbox, then write_report.
    async with Sandbox(calls=5000, span_days=60) as sandbox:
        async with sandbox.client() as client:
            report = await write_report(client, tmp_path / "report.html")
            yield client, report, tmp_path / "report.html"


async def test_demo_report_is_offline_renders_and_holds_the_summary_figures(
    chromium: str, demo: tuple[CallRail, CallReport, Path], tmp_path: Path
) -> None:
    client, report, page = demo
    dom, asked = await browse(chromium, page, tmp_path, "--dump-dom")
    assert asked == []
    assert f'content="{CSP}"' in dom and "<script" not in dom
    charts = 6 + (1 if report.tags else 0)  # the sandbox seeds no tags on calls
    assert dom.count("<svg") == dom.count("<details>") == charts  # a table under each chart
    tables = NumberTables(dom)

    period = {"start_date": report.start_date, "end_date": report.end_date}
    fields = ("total_calls", "answered_calls", "missed_calls", "leads", "first_time_callers")
    by_source = await client.calls.summary(group_by="source", fields=fields, **period)
    voicemail = await client.calls.summary(answer_status="voicemail", **period)
    total, vm = by_source.total_results, voicemail.total_results
    assert total is not None and vm is not None and total.total_calls
    share = {k: number(v[0]) for k, v in tables.body("share").items()}
    assert share["Answered"] == total.answered_calls
    assert share["Voicemail"] == vm.total_calls
    assert share["Missed"] + share["Voicemail"] == total.missed_calls
    sources = {k: [number(c) for c in v[:2] + v[3:]] for k, v in tables.body("source").items()}
    assert sources == {
        g.key: [g.total_calls, g.answered_calls, g.first_time_callers, g.leads]
        for g in by_source.grouped_results or []
    }
    by_company = await client.calls.summary(group_by="company", fields=fields, **period)
    companies = {k: number(v[0]) for k, v in tables.body("company").items()}
    assert companies == {g.key: g.total_calls for g in by_company.grouped_results or []}

    daily = await client.calls.timeseries(interval="day", **period)
    rows = tables.body("daily")
    assert {k: number(v[0]) for k, v in rows.items()} == {
        p.date: p.total_calls for p in daily.data or []
    }
    before = await client.calls.timeseries(
        interval="day", start_date=report.previous_start_date, end_date=report.previous_end_date
    )
    assert [number(v[1]) for v in rows.values()] == [p.total_calls for p in before.data or []]
    hours = [number(c) for row in tables.body("hours").values() for c in row]
    assert sum(hours) == total.total_calls and len(hours) == 7 * 24

    trackers = {
        t.tracking_numbers[0]: t
        for t in await client.trackers.list().collect()
        if t.tracking_numbers
    }
    for shown, cells in tables.body("numbers").items():
        one = await client.calls.summary(tracker_ids=[trackers[shown].id], **period)
        assert one.total_results is not None
        assert number(cells[1]) == one.total_results.total_calls

    shot = tmp_path / "report.png"
    _, asked = await browse(
        chromium, page, tmp_path, "--window-size=960,1930", f"--screenshot={shot}"
    )
    assert asked == []
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (960, 1930)
    assert len(png) > 60_000  # a blank or unstyled page compresses to far less
    if keep := os.environ.get("REPORT_SCREENSHOT"):
        Path(keep).write_bytes(png)


def test_the_readme_screenshot_is_small_and_shown() -> None:
    root = Path(__file__).resolve().parents[2]
    png = (root / "docs" / "report.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) < 200_000
    assert "](docs/report.png)" in (root / "README.md").read_text()
