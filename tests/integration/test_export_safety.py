"""The export across runs and failures: safe resume, one export per file, no loss with
--since-last, typed errors and one-line messages, nothing left behind too early."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import sys
import textwrap
from pathlib import Path
from typing import Any

import aiohttp
import msgspec
import pytest

from callrail_async import ManualClock
from callrail_async.errors import (
    AuthenticationError,
    PermissionDeniedError,
    ServerError,
    TransportError,
)
from callrail_async.export import ExportError, ExportOptions, export
from callrail_async.export.checkpoint import checkpoint_path
from callrail_async.export.lock import lock_path
from callrail_async.pagination import envelope_decoder
from callrail_async.testing import Faults, Sandbox

ROOT = Path(__file__).resolve().parents[2]


def ids_of(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_bytes().splitlines() if line]


def cli_env(sandbox: Sandbox, **extra: str) -> dict[str, str]:
    env = {**os.environ, "CALLRAIL_API_KEY": sandbox.api_key, "PYTHONPATH": str(ROOT), **extra}
    env.pop("MATON_API_KEY", None)
    return env


async def cli(sandbox: Sandbox, *args: str, **env: str) -> tuple[int, list[str]]:
    """Run the command against the sandbox; (exit status, stderr lines)."""
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "callrail_async.cli", "export", *args,
        "--base-url", sandbox.base_url, "--quiet",
        env=cli_env(sandbox, **env), stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, stderr = await child.communicate()
    assert child.returncode is not None
    return child.returncode, stderr.decode().strip().splitlines()


async def listed_ids(sandbox: Sandbox, start: dt.date) -> set[str]:
    """The ids the sandbox lists from ``start`` (UTC) on, straight off the wire."""
    decode = envelope_decoder(msgspec.Raw, "calls")
    params = {"start_date": start.isoformat(), "time_zone": "UTC", "per_page": "250"}
    headers = {"Authorization": f'Token token="{sandbox.api_key}"'}
    url = f"{sandbox.base_url}a/{sandbox.account_id}/calls.json"
    ids: set[str] = set()
    async with aiohttp.ClientSession(headers=headers) as session:
        for page in range(1, 10_000):
            async with session.get(url, params={**params, "page": str(page)}) as response:
                items = decode(await response.read()).items
            if not items:
                return ids
            ids |= {json.loads(bytes(raw))["id"] for raw in items}
    raise AssertionError("unreachable")


async def interrupted_export(sandbox: Sandbox, out: Path) -> None:
    """An export cancelled after part of it reached the output."""
    async with sandbox.client() as client:
        task = asyncio.create_task(export(client, ExportOptions(out=out, per_page=50)))
        while not out.exists() or out.stat().st_size < 50_000:
            await asyncio.sleep(0.005)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert checkpoint_path(out).exists()


def damage(out: Path, how: str) -> None:
    if how == "deleted":
        out.unlink()
    elif how == "truncated":
        os.truncate(out, out.stat().st_size // 2)
    else:  # the same length, other bytes: another file written over it
        data = bytearray(out.read_bytes())
        data[-200:-100] = b"x" * 100
        out.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["deleted", "truncated", "replaced"])
async def test_resume_refuses_an_output_that_is_not_the_one_it_wrote(
    tmp_path: Path, how: str
) -> None:
    async with Sandbox(calls=4000, span_days=200, latency=0.01) as sandbox:
        out = tmp_path / "calls.jsonl"
        await interrupted_export(sandbox, out)
        damage(out, how)
        before = out.read_bytes() if out.exists() else None
        await asyncio.sleep(0.1)  # requests the cancelled run had in flight are answered
        served = sandbox.stats.total
        async with sandbox.client() as client:
            with pytest.raises(ExportError, match="cannot resume") as info:
                await export(client, ExportOptions(out=out, per_page=50, resume=True))
        assert str(checkpoint_path(out)) in str(info.value)  # what to do about it
        code, lines = await cli(sandbox, "calls", "--out", str(out), "--per-page", "50",
                                "--resume")  # fmt: skip
        assert sandbox.stats.total == served  # refused before any request
    assert code == 1 and len(lines) == 1 and "cannot resume" in lines[0], lines
    assert (out.read_bytes() if out.exists() else None) == before  # never zero-extended


async def test_resume_after_truncating_only_a_half_written_line_finishes(tmp_path: Path) -> None:
    async with Sandbox(calls=3000, span_days=200, latency=0.01) as sandbox:
        out = tmp_path / "calls.jsonl"
        await interrupted_export(sandbox, out)
        with open(out, "ab") as handle:
            handle.write(b'{"id":"CALhalf')  # past the checkpoint: cut away on resume
        async with sandbox.client() as client:
            report = await export(client, ExportOptions(out=out, per_page=50, resume=True))
    ids = ids_of(out)
    assert len(ids) == len(set(ids)) and set(ids) == set(sandbox.call_ids())
    assert report.verified and b"\0" not in out.read_bytes()


async def test_a_second_export_to_the_same_file_fails_at_once(tmp_path: Path) -> None:
    async with Sandbox(calls=3000, span_days=60, latency=0.2) as sandbox:
        out = tmp_path / "calls.jsonl"
        async with sandbox.client() as client:
            first = asyncio.create_task(export(client, ExportOptions(out=out, per_page=50)))
            while not out.exists():
                await asyncio.sleep(0.005)
            served = sandbox.stats.total
            with pytest.raises(ExportError, match=rf"process {os.getpid()}\) is writing"):
                await export(client, ExportOptions(out=out, per_page=50))
            assert sandbox.stats.total - served < 5  # refused before a request of its own
            code, lines = await cli(sandbox, "calls", "--out", str(out))
            assert not first.done()
            report = await first
    assert code == 1 and len(lines) == 1 and f"process {os.getpid()}" in lines[0], lines
    ids = ids_of(out)
    assert len(ids) == len(set(ids)) and set(ids) == set(sandbox.call_ids()) and report.verified
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls.jsonl"]  # lock removed


async def test_sigkill_never_blocks_resume(tmp_path: Path) -> None:
    async with Sandbox(calls=4000, span_days=200, latency=0.02) as sandbox:
        out = tmp_path / "calls.jsonl"
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "callrail_async.cli", "export", "calls", "--out", str(out),
            "--base-url", sandbox.base_url, "--per-page", "50", "--quiet",
            env=cli_env(sandbox), stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        while not out.exists() or out.stat().st_size < 30_000:
            await asyncio.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        await child.wait()
        assert lock_path(out).exists()  # left behind, but not locked
        async with sandbox.client() as client:
            report = await export(client, ExportOptions(out=out, per_page=50, resume=True))
    ids = ids_of(out)
    assert len(ids) == len(set(ids)) and set(ids) == set(sandbox.call_ids()) and report.verified


async def test_since_last_with_a_past_end_date_loses_nothing_over_two_runs(
    tmp_path: Path,
) -> None:
    clock = ManualClock()
    async with Sandbox(calls=3000, span_days=90, clock=clock) as sandbox:
        today = dt.datetime.fromtimestamp(clock.time(), dt.UTC).date()
        start, end = today - dt.timedelta(days=60), today - dt.timedelta(days=20)
        state, one, two = tmp_path / "s.json", tmp_path / "1.jsonl", tmp_path / "2.jsonl"
        async with sandbox.client(clock=clock) as client:
            options = ExportOptions(out=one, since_last=state, start_date=start, end_date=end)
            assert (await export(client, options)).verified
            clock.advance(3600)
            assert (await export(client, ExportOptions(out=two, since_last=state))).verified
        expected = await listed_ids(sandbox, start)
    ids = ids_of(one) + ids_of(two)
    assert len(ids) == len(set(ids))  # nothing twice...
    assert set(ids) == expected  # ...and exactly the server's calls from start on
    last = max(json.loads(line)["start_time"] for line in one.read_text().splitlines())
    assert dt.datetime.fromisoformat(last).astimezone(dt.UTC).date() <= end


async def test_progress_eta_from_the_plan_and_rate_of_this_run_only(tmp_path: Path) -> None:
    from callrail_async.export import Progress
    from callrail_async.export.command import ProgressDisplay

    async with Sandbox(calls=4000, span_days=200, latency=0.01) as sandbox:
        out = tmp_path / "calls.jsonl"
        await interrupted_export(sandbox, out)
        seen: list[Progress] = []
        async with sandbox.client() as client:
            options = ExportOptions(out=out, per_page=50, resume=True, progress=seen.append)
            await export(client, options)
    first = seen[0]
    assert first.expected == 4000  # the planned total, from the first page on
    assert first.records > first.run_records > 0  # earlier records are not this run's
    assert seen[-1].records - seen[-1].run_records == first.records - first.run_records
    assert seen[-1].checked >= 4000  # the check after the walk shows progress too
    line = ProgressDisplay(sys.stderr, quiet=True, client=None).line(
        Progress(records=3000, pages=1, expected=4000, seconds=10.0, slices_done=0,
                 slices=1, run_records=100)
    )  # fmt: skip
    # 1,000 records to walk, then 4,000 for the check to list again, at 10 records/s:
    assert "| 10/s |" in line and "of ~4,000" in line and "ETA 8:20" in line


async def test_errors_are_the_sdks_own_and_leave_nothing_before_the_first_page(
    tmp_path: Path,
) -> None:
    out = tmp_path / "calls.jsonl"
    async with Sandbox(calls=500) as sandbox:
        async with sandbox.client(api_key="wrong") as client:
            with pytest.raises(AuthenticationError):
                await export(client, ExportOptions(out=out))
        sandbox.forbidden_endpoints = {"calls.list"}
        async with sandbox.client() as client:
            with pytest.raises(PermissionDeniedError):  # inside the walk: no ExceptionGroup
                await export(client, ExportOptions(out=out))
        assert list(tmp_path.iterdir()) == []  # failed before the first page: nothing left
        sandbox.forbidden_endpoints = set()
        sandbox.faults = Faults(rate=1.0, kinds=("500",))
        async with sandbox.client(clock=ManualClock(), max_retries=1) as client:
            with pytest.raises(ServerError) as info:
                await export(client, ExportOptions(out=out))
        assert info.value.status == 500 and info.value.retries == 1
        assert list(tmp_path.iterdir()) == []
        sandbox.faults = Faults(rate=1.0, kinds=("reset",))  # the network fails
        async with sandbox.client(clock=ManualClock(), max_retries=1) as client:
            with pytest.raises(TransportError):
                await export(client, ExportOptions(out=out))
        assert list(tmp_path.iterdir()) == []
        sandbox.faults = None
        code, lines = await cli(sandbox, "calls", "--out", str(out), CALLRAIL_API_KEY="wrong")
    assert code == 1 and len(lines) == 1 and "401" in lines[0], lines


async def test_cli_needs_an_account_for_a_multi_account_key_in_one_line(tmp_path: Path) -> None:
    async with Sandbox(calls=20, accounts=2) as sandbox:
        code, lines = await cli(sandbox, "calls", "--out", str(tmp_path / "c.jsonl"))
    assert code == 1 and len(lines) == 1 and "account" in lines[0], lines
    assert list(tmp_path.iterdir()) == []


DISK_FULL = """
import asyncio, resource, signal, sys
from pathlib import Path
from callrail_async import CallRail, RateLimits
from callrail_async.errors import CallRailError
from callrail_async.export import ExportOptions, export

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
resource.setrlimit(resource.RLIMIT_FSIZE, (SIZE_LIMIT, SIZE_LIMIT))
out, base_url, key, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
if mode == "cli":
    from callrail_async.cli import main
    sys.exit(main(["export", "calls", "--out", str(out), "--base-url", base_url, "--quiet"]))

async def run() -> None:
    async with CallRail(api_key=key, base_url=base_url, rate_limits=RateLimits.unlimited()) as c:
        try:
            await export(c, ExportOptions(out=out, per_page=100))
        except BaseException as exc:
            print(type(exc).__name__, isinstance(exc, CallRailError), exc)
            return
    print("finished")

asyncio.run(run())
"""


@pytest.mark.parametrize("mode", ["api", "cli"])
async def test_disk_full_is_an_export_error(tmp_path: Path, mode: str) -> None:
    script = textwrap.dedent(DISK_FULL).replace("SIZE_LIMIT", str(400_000))
    async with Sandbox(calls=3000, span_days=60) as sandbox:
        out = tmp_path / "calls.jsonl"
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", script, str(out), sandbox.base_url, sandbox.api_key, mode,
            env=cli_env(sandbox, PYTHONDONTWRITEBYTECODE="1"),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        stdout, stderr = await child.communicate()
    if mode == "api":
        assert stdout.decode().startswith("ExportError True could not write"), (stdout, stderr)
        assert "File too large" in stdout.decode()
    else:
        lines = stderr.decode().strip().splitlines()
        assert child.returncode == 1 and len(lines) == 1, stderr
        assert "File too large" in lines[0] and "--resume" in lines[0]


def test_export_help_documents_the_exit_statuses(capsys: Any) -> None:
    from callrail_async.cli import main

    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = capsys.readouterr().out
    for status in ("0 ", "1 ", "2 ", "3 ", "130"):
        assert f"\n  {status}" in text


async def test_a_reader_that_goes_away_stops_the_export_quietly(tmp_path: Path) -> None:
    async with Sandbox(calls=3000, span_days=60) as sandbox:
        command = (f"{sys.executable} -m callrail_async.cli export calls --out - --quiet "
                   f"--base-url {sandbox.base_url} | head -1")  # fmt: skip
        child = await asyncio.create_subprocess_shell(
            command, env=cli_env(sandbox), cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        stdout, stderr = await child.communicate()
    assert len(stdout.splitlines()) == 1 and json.loads(stdout)["id"].startswith("CAL")
    assert stderr == b""  # no traceback, no message: like other tools in a pipe
    assert list(tmp_path.iterdir()) == []


async def test_since_last_works_when_exporting_to_stdout(tmp_path: Path) -> None:
    async with Sandbox(calls=800, span_days=30) as sandbox:
        state = tmp_path / "state.json"
        runs: list[list[str]] = []
        new: list[str] = []
        for _ in range(2):
            child = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "callrail_async.cli", "export", "calls", "--out", "-",
                "--since-last", str(state), "--base-url", sandbox.base_url, "--quiet",
                env=cli_env(sandbox), stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            stdout, stderr = await child.communicate()
            assert child.returncode == 0, stderr
            runs.append([json.loads(line)["id"] for line in stdout.splitlines()])
            if not state.exists():
                break
            new = new or sandbox.insert_calls(7)
            # Calls of the second the next run pins as its end may be left to the run after
            # (its overlap covers them): start that run a second later.
            await asyncio.sleep(1.1)
    assert len(runs) == 2 and sorted(runs[0]) == sorted(set(sandbox.call_ids()) - set(new))
    assert sorted(runs[1]) == sorted(new)  # the state was saved from what went to stdout
