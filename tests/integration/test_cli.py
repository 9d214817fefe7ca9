"""The console command: demo, summary, and the export's progress output."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from callrail_async.testing import Sandbox

ROOT = Path(__file__).resolve().parents[2]


async def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "callrail_async.cli", *args,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await child.communicate()
    assert child.returncode is not None
    return child.returncode, out.decode(), err.decode()


async def test_demo_needs_nothing_configured(tmp_path: Path) -> None:
    env = {"CALLRAIL_API_KEY": "", "MATON_API_KEY": ""}
    code, out, err = await _run("demo", "--calls", "800", "--out-dir", str(tmp_path), env=env)
    assert code == 0, err
    lines = (tmp_path / "calls.jsonl").read_text().splitlines()
    assert len(lines) == 800 and len({json.loads(x)["id"] for x in lines}) == 800
    assert "exported 800 calls" in out and "verified: all 800 records" in out
    assert "Calls per day:" in out and "│" in out  # the time-series chart


async def test_the_demo_is_not_blocked_by_an_interrupted_demo(tmp_path: Path) -> None:
    from callrail_async.export.checkpoint import checkpoint_path

    (tmp_path / "calls.jsonl").write_text('{"id": "CAL1"}\n')
    checkpoint_path(tmp_path / "calls.jsonl").write_text('{"left": "by a killed demo"}')
    env = {"CALLRAIL_API_KEY": "", "MATON_API_KEY": ""}
    code, out, err = await _run("demo", "--calls", "300", "--out-dir", str(tmp_path), env=env)
    assert code == 0, err
    assert "verified: all 300 records" in out
    assert len((tmp_path / "calls.jsonl").read_text().splitlines()) == 300


async def test_summary_prints_a_table_and_a_chart() -> None:
    async with Sandbox(calls=500, span_days=20) as sandbox:
        code, out, err = await _run(
            "summary", "--base-url", sandbox.base_url, "--rate-limits", "off",
            "--group-by", "source", "--date-range", "last_30_days",
            env={"CALLRAIL_API_KEY": sandbox.api_key},
        )  # fmt: skip
    assert code == 0, err
    assert "Calls by source, last_30_days:" in out and "answered" in out
    assert "Calls per day:" in out
    rows = [line for line in out.splitlines() if "│" in line]
    assert sum(int(line.rsplit(" ", 1)[1].replace(",", "")) for line in rows) > 0


async def test_export_progress_lines_when_not_a_terminal(tmp_path: Path) -> None:
    async with Sandbox(calls=3000, span_days=20) as sandbox:
        out = tmp_path / "calls.jsonl"
        code, _, err = await _run(
            "export", "calls", "--out", str(out), "--base-url", sandbox.base_url,
            "--rate-limits", "off", "--per-page", "25",
            env={"CALLRAIL_API_KEY": sandbox.api_key},
        )  # fmt: skip
    assert code == 0, err
    progress = [line for line in err.splitlines() if "records |" in line and "pages" in line]
    assert progress and "ETA" in progress[0]  # a line every 50 pages, not a live display
    assert "verified: all 3,000 records" in err


async def test_missing_credentials_are_one_clear_line() -> None:
    code, _, err = await _run("summary", env={"CALLRAIL_API_KEY": "", "MATON_API_KEY": ""})
    assert code == 1
    assert err.strip().count("\n") == 0
    assert "CALLRAIL_API_KEY" in err and "MATON_API_KEY" in err
