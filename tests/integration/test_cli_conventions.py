"""CLI conventions: --dry-run sends only counting requests and writes nothing; --json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from callrail_async.testing import Sandbox

from .test_cli import _run


async def test_export_dry_run_plans_without_listing_or_writing(tmp_path: Path) -> None:
    async with Sandbox(calls=3000, span_days=40) as sandbox:
        out = tmp_path / "calls.jsonl"
        today = dt.date.fromtimestamp(sandbox.clock.time())
        code, stdout, err = await _run(
            "export", "calls", "--out", str(out), "--dry-run",
            "--start-date", str(today - dt.timedelta(days=45)), "--end-date", str(today),
            "--base-url", sandbox.base_url,
            env={"CALLRAIL_API_KEY": sandbox.api_key},
        )  # fmt: skip
        listed = sandbox.stats.count("calls.list")
        counted = sandbox.stats.count("calls.timeseries")
    assert code == 0, err
    assert "plan: calls" in stdout and "records: about" in stdout and "requests: about" in stdout
    assert listed == 0 and counted >= 1  # only the counting requests were sent
    assert list(tmp_path.iterdir()) == []  # nothing written: no file, lock or checkpoint


async def test_summary_json_is_machine_readable() -> None:
    async with Sandbox(calls=500, span_days=20) as sandbox:
        code, stdout, err = await _run(
            "summary", "--json", "--base-url", sandbox.base_url,
            env={"CALLRAIL_API_KEY": sandbox.api_key},
        )  # fmt: skip
    assert code == 0, err
    data = json.loads(stdout)
    assert data["summary"]["total_results"]["total_calls"] >= 1
    assert isinstance(data["timeseries"]["data"], list)


async def test_summary_refuses_an_unknown_interval_before_any_request() -> None:
    async with Sandbox(calls=10) as sandbox:
        code, _out, err = await _run(
            "summary", "--interval", "fortnight", "--base-url", sandbox.base_url,
            env={"CALLRAIL_API_KEY": sandbox.api_key},
        )  # fmt: skip
        sent = sandbox.stats.total
    assert code == 2 and "--interval" in err and "fortnight" in err
    assert sent == 0


async def test_every_subcommand_reads_a_day_the_same_way() -> None:
    for command in ("export calls --out x.jsonl", "report", "sync"):
        code, _out, err = await _run(*command.split(), "--start-date", "soon")
        assert code == 2, (command, err)
        assert "--start-date: not a date (YYYY-MM-DD): 'soon'" in err, (command, err)


async def test_errors_name_flags_not_python_arguments() -> None:
    async with Sandbox(calls=10, accounts=2) as sandbox:
        code, _out, err = await _run(
            "summary", "--base-url", sandbox.base_url, env={"CALLRAIL_API_KEY": sandbox.api_key}
        )
    assert code == 1
    assert "--account" in err and "account_id" not in err
    assert len(err.strip().splitlines()) == 1


async def test_help_shows_defaults_and_exit_codes() -> None:
    code, out, _err = await _run("--help")
    assert code == 0 and "exit status:" in out and "CALLRAIL_BASE_URL" in out
    code, out, _err = await _run("export", "--help")
    assert "(default: 250)" in out and "--dry-run" in out


def test_flag_names_are_not_rewritten_twice() -> None:
    from callrail_async.cli import _as_flags

    assert _as_flags("--overlap-hours must be >= 0") == "--overlap-hours must be >= 0"
    assert _as_flags("pass account_id= to choose one") == "pass --account to choose one"
    assert _as_flags("start_date after end_date") == "--start-date after --end-date"


async def test_the_demo_runs_on_the_base_install_alone(tmp_path: Path) -> None:
    """The README's first command installs no extra: the demo must not need one."""
    import asyncio
    import os
    import sys

    blocked = ["dlt", "duckdb", "pyarrow", "opentelemetry", "redis"]
    code = (
        "import sys\n"
        f"for name in {blocked!r}: sys.modules[name] = None  # as if not installed\n"
        "from callrail_async.cli import main\n"
        f"sys.exit(main(['demo', '--calls', '400', '--out-dir', {str(tmp_path)!r}]))\n"
    )
    root = Path(__file__).resolve().parents[2]
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code,
        env={**os.environ, "PYTHONPATH": str(root), "CALLRAIL_API_KEY": "", "MATON_API_KEY": ""},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await child.communicate()
    assert child.returncode == 0, err.decode()[-2000:]
    assert "skipping the database step" in out.decode()
    assert (tmp_path / "calls.jsonl").exists() and (tmp_path / "report.html").exists()
