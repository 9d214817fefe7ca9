"""``callrail-async report`` and the demo's report, as a user runs them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import msgspec
import pytest

from benchmarks.duckdb_calls import copy_calls
from callrail_async.report import CallReport
from callrail_async.report.html_page import CSP
from callrail_async.testing import Sandbox

from .test_cli import _run


def _api(sandbox: Sandbox) -> tuple[list[str], dict[str, str]]:
    return ["--base-url", sandbox.base_url, "--rate-limits", "off"], {
        "CALLRAIL_API_KEY": sandbox.api_key
    }


async def test_html_then_json_from_the_api(tmp_path: Path) -> None:
    async with Sandbox(calls=1500, span_days=40) as sandbox:
        args, env = _api(sandbox)
        out = tmp_path / "r.html"
        code, printed, err = await _run("report", *args, "--out", str(out), env=env)
        assert code == 0, err
        assert printed.strip() == str(out) and err == ""  # a small cost is not announced
        assert CSP in out.read_text()
        code, printed, err = await _run(
            "report", *args, "--date-range", "last_7_days", "--format", "json", "--out", "-",
            env=env,
        )  # fmt: skip
    assert code == 0, err
    report = msgspec.json.decode(printed, type=CallReport)
    assert len(report.days) == 7 and report.totals.calls > 0 and report.data_source == "api"


async def test_a_large_cost_is_announced_first(tmp_path: Path) -> None:
    end = dt.date.today() - dt.timedelta(days=1)
    async with Sandbox(calls=500, span_days=10) as sandbox:
        args, env = _api(sandbox)
        code, _, err = await _run(
            "report", *args, "--start-date", str(end - dt.timedelta(days=300)),
            "--end-date", str(end), "--out", str(tmp_path / "r.json"), env=env,
        )  # fmt: skip
    assert code == 0, err
    assert "this report costs" in err and "API requests" in err
    assert (tmp_path / "r.json").read_text().lstrip().startswith("{")  # from the suffix


async def test_from_a_synced_database(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    async with Sandbox(calls=1500, span_days=40) as sandbox:
        async with sandbox.client() as client:
            db = tmp_path / "callrail.duckdb"
            await copy_calls(client, db, account_id=sandbox.account_id)
    out = tmp_path / "r.json"
    code, _, err = await _run(
        "report", "--db", str(db), "--time-zone", "America/New_York", "--out", str(out),
        env={"CALLRAIL_API_KEY": "", "MATON_API_KEY": ""},
    )  # fmt: skip
    assert code == 0, err
    report = msgspec.json.decode(out.read_bytes(), type=CallReport)
    assert report.data_source == "duckdb" and report.requests == 0
    assert report.totals.calls > 0 and report.time_zone == "America/New_York"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date-range", "last_7_days", "--start-date", "2026-01-01"], "not both"),
        (["--time-zone", "UTC"], "--db only"),
        (["--db", "/nonexistent/callrail.duckdb"], "no database"),
        (["--out", "/nonexistent/dir/r.html"], "no directory"),
    ],
)
async def test_bad_arguments_are_one_clear_line(args: list[str], message: str) -> None:
    code, _, err = await _run("report", *args, env={"CALLRAIL_API_KEY": "k"})
    assert code == 1 and message in err and err.strip().count("\n") == 0


async def test_the_demo_ends_with_its_report(tmp_path: Path) -> None:
    env = {"CALLRAIL_API_KEY": "", "MATON_API_KEY": ""}
    code, out, err = await _run("demo", "--calls", "800", "--out-dir", str(tmp_path), env=env)
    assert code == 0, err
    page = tmp_path / "report.html"
    assert out.rstrip().splitlines()[-1].endswith(str(page.resolve()))
    assert "<svg" in page.read_text()
