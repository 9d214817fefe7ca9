"""The export against the sandbox: lossless, resumable, incremental, verified."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

import aiohttp
import msgspec
import pytest

from callrail_async import CallRail, ManualClock
from callrail_async.export import RESOURCES, ExportError, ExportOptions, export
from callrail_async.export.checkpoint import checkpoint_path, partial_path
from callrail_async.export.formats import csv_cell
from callrail_async.pagination import envelope_decoder
from callrail_async.testing import LiveTraffic, Sandbox

ROOT = Path(__file__).resolve().parents[2]
EXTRA = {"x_future_field": {"nested": [1, "two", None]}, "x_flag": True}


def ids_of(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_bytes().splitlines() if line]


async def served_records(sandbox: Sandbox) -> bytes:
    """Every visible call as the sandbox serves it (oldest first), one per line."""
    decode = envelope_decoder(msgspec.Raw, "calls")
    today = dt.datetime.fromtimestamp(sandbox.clock.time(), dt.UTC).date()
    params = {"start_date": (today - dt.timedelta(days=700)).isoformat(), "time_zone": "UTC",
              "sort": "start_time", "order": "asc", "per_page": "250"}  # fmt: skip
    lines: list[bytes] = []
    headers = {"Authorization": f'Token token="{sandbox.api_key}"'}
    url = f"{sandbox.base_url}a/{sandbox.account_id}/calls.json"
    async with aiohttp.ClientSession(headers=headers) as session:
        page = 1
        while True:
            async with session.get(url, params={**params, "page": str(page)}) as response:
                items = decode(await response.read()).items
            if not items:
                return b"".join(bytes(raw) + b"\n" for raw in lines)
            lines += items
            page += 1


async def test_jsonl_is_byte_identical_to_what_was_served(tmp_path: Path) -> None:
    async with Sandbox(calls=3000, span_days=200, extra_call_fields=EXTRA) as sandbox:
        out = tmp_path / "calls.jsonl"
        async with sandbox.client() as client:
            report = await export(client, ExportOptions(out=out, per_page=100))
        expected = await served_records(sandbox)
    assert out.read_bytes() == expected
    first = json.loads(out.read_bytes().splitlines()[0])
    assert first["x_future_field"] == EXTRA["x_future_field"]  # unknown fields kept
    assert report.records == 3000 and report.verified and report.listed == report.present == 3000
    assert not checkpoint_path(out).exists()  # finished exports leave no checkpoint


async def test_csv_and_parquet_round_trip(tmp_path: Path) -> None:
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    async with Sandbox(calls=600, extra_call_fields=EXTRA) as sandbox:
        async with sandbox.client() as client:
            jsonl, as_csv, as_parquet = (tmp_path / f"c.{x}" for x in ("jsonl", "csv", "parquet"))
            fields = ["source", "tags", "milestones", "company_id"]
            for out, fmt in ((jsonl, "jsonl"), (as_csv, "csv"), (as_parquet, "parquet")):
                await export(client, ExportOptions(out=out, format=fmt, fields=fields))  # type: ignore[arg-type]
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    with open(as_csv, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(records) == 600
    for record, row in zip(records, rows, strict=True):
        assert set(row) == set(record)
        assert all(row[key] == csv_cell(value) for key, value in record.items())
    table = pyarrow_parquet.read_table(as_parquet)
    assert table.num_rows == 600
    assert str(table.schema.field("duration").type) == "int64"
    assert str(table.schema.field("answered").type) == "bool"
    parquet_rows = table.to_pylist()
    for record, row in zip(records, parquet_rows, strict=True):
        assert row["id"] == record["id"] and row["duration"] == record["duration"]
        assert json.loads(row["x_future_field"]) == record["x_future_field"]
    assert not partial_path(tmp_path / "c.csv").exists()


async def test_sigint_saves_the_checkpoint_and_resume_finishes(tmp_path: Path) -> None:
    async with Sandbox(calls=4000, span_days=200, latency=0.02) as sandbox:
        out = tmp_path / "calls.jsonl"
        env = {**os.environ, "CALLRAIL_API_KEY": sandbox.api_key, "PYTHONPATH": str(ROOT)}
        env.pop("MATON_API_KEY", None)
        command = [sys.executable, "-m", "callrail_async.cli", "export", "calls", "--out",
                   str(out), "--base-url", sandbox.base_url, "--rate-limits", "off",
                   "--per-page", "50", "--quiet"]  # fmt: skip
        child = await asyncio.create_subprocess_exec(
            *command, env=env, stderr=asyncio.subprocess.PIPE
        )
        while not out.exists() or out.stat().st_size < 50_000:
            await asyncio.sleep(0.02)
        child.send_signal(signal.SIGINT)
        _, stderr = await child.communicate()
        assert child.returncode == 130, stderr
        assert b"--resume" in stderr and checkpoint_path(out).exists()
        again = await asyncio.create_subprocess_exec(
            *command, "--resume", env=env, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await again.communicate()
        assert again.returncode == 0, stderr
    ids = ids_of(out)
    assert len(ids) == len(set(ids)) and set(ids) == set(sandbox.call_ids())


async def test_incremental_exports_only_new_calls(tmp_path: Path) -> None:
    clock = ManualClock()
    async with Sandbox(calls=1500, clock=clock) as sandbox:
        state = tmp_path / "state.json"
        async with sandbox.client(clock=clock) as client:
            first = await export(client, ExportOptions(out=tmp_path / "1.jsonl", since_last=state))
            assert first.records == 1500 and state.exists()
            clock.advance(3600)
            new = sandbox.insert_calls(7)
            clock.advance(5)  # the next run starts a little after the calls arrived
            second = await export(client, ExportOptions(out=tmp_path / "2.jsonl", since_last=state))
    assert sorted(ids_of(tmp_path / "2.jsonl")) == sorted(new)
    assert second.records == 7 and second.verified


async def test_calls_inserted_during_an_export_appear_exactly_once(tmp_path: Path) -> None:
    clock = ManualClock()
    async with Sandbox(calls=2000, clock=clock) as sandbox:
        sandbox.live = LiveTraffic(inserts_per_request=2, max_inserts=60)
        state = tmp_path / "state.json"
        async with sandbox.client(clock=clock) as client:
            await export(
                client, ExportOptions(out=tmp_path / "1.jsonl", since_last=state, per_page=50)
            )
            sandbox.live = None
            clock.advance(60)
            await export(
                client, ExportOptions(out=tmp_path / "2.jsonl", since_last=state, per_page=50)
            )
    ids = ids_of(tmp_path / "1.jsonl") + ids_of(tmp_path / "2.jsonl")
    assert len(ids) == len(set(ids))  # nothing twice...
    assert set(ids) == set(sandbox.call_ids())  # ...and nothing missing, inserts included
    assert len(ids) == 2060


async def test_spam_during_an_export_skips_no_other_call(tmp_path: Path) -> None:
    async with Sandbox(calls=3000, span_days=60, seed=4) as sandbox:
        sandbox.live = LiveTraffic(spam_per_request=1, max_spam=20, every=2, seed=9)
        out = tmp_path / "calls.jsonl"
        async with sandbox.client() as client:
            report = await export(client, ExportOptions(out=out, per_page=50))
        sandbox.live = None
    written = set(ids_of(out))
    visible = set(sandbox.call_ids())
    assert visible <= written  # every call still on CallRail was exported
    assert report.vanished == len(written - visible) > 0  # and the report counts the hidden
    assert report.verified  # walked by start time: nothing to re-scan, nothing skipped


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export", "parrots", "--out", "{tmp}/x.jsonl"], "invalid choice: 'parrots'"),
        (["export", "calls", "--out", "{tmp}/x.jsonl", "--start-date", "2020-01-01"], "retention"),
        (["export", "calls", "--out", "{tmp}/x.jsonl", "--start-date", "soon"], "not a date"),
        (
            [
                "export",
                "calls",
                "--out",
                "{tmp}/x.jsonl",
                "--start-date",
                "2026-11-20",
                "--end-date",
                "2026-11-01",
            ],
            "before",
        ),
        (["export", "calls", "--out", "/nonexistent-dir/x.jsonl"], "does not exist"),
        (["export", "calls", "--out", "{tmp}"], "is a directory"),
        (["export", "calls", "--out", "{tmp}/x.csv", "--format", "xml"], "invalid choice"),
        (["export", "calls", "--out", "{tmp}/x.txt"], "cannot tell the format of --out"),
        (["export", "calls", "--out", "{tmp}/x.jsonl", "--fields", "bogus"], "bogus"),
        (["export", "tags", "--out", "{tmp}/x.jsonl", "--date-range", "today"], "calls only"),
        (
            [
                "export",
                "calls",
                "--out",
                "{tmp}/x.jsonl",
                "--since-last",
                "{tmp}/s.json",
                "--overlap-hours",
                "-1",
            ],
            "--overlap-hours must be >= 0",
        ),
        (
            ["export", "calls", "--out", "{tmp}/x.jsonl", "--since-last", "{tmp}/no/s.json"],
            "does not exist",
        ),
        (["export", "calls", "--out", "{tmp}/x.jsonl", "--since-last", "{tmp}"], "is a directory"),
    ],
)
async def test_bad_arguments_exit_nonzero_with_one_line_and_write_nothing(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    async with Sandbox(calls=10) as sandbox:
        env = {**os.environ, "CALLRAIL_API_KEY": sandbox.api_key, "PYTHONPATH": str(ROOT)}
        args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "callrail_async.cli", *args, "--base-url", sandbox.base_url,
            env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        stdout, stderr = await child.communicate()
    assert child.returncode not in (0, None)
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1 or lines[-1].startswith("callrail-async"), stderr
    assert message in lines[-1]
    assert list(tmp_path.iterdir()) == [] and stdout == b""
    assert sandbox.stats.total == 0


async def test_export_to_stdout(tmp_path: Path) -> None:
    async with Sandbox(calls=300) as sandbox:
        env = {**os.environ, "CALLRAIL_API_KEY": sandbox.api_key, "PYTHONPATH": str(ROOT)}
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "callrail_async.cli", "export", "calls", "--out", "-",
            "--base-url", sandbox.base_url, "--rate-limits", "off", "--quiet",
            env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        stdout, stderr = await child.communicate()
    assert child.returncode == 0, stderr
    ids = [json.loads(line)["id"] for line in stdout.splitlines()]
    assert sorted(ids) == sorted(sandbox.call_ids())


@pytest.mark.parametrize("resource", [r for r in RESOURCES if r != "calls"])
async def test_every_other_resource_exports(tmp_path: Path, resource: str) -> None:
    async with Sandbox(calls=10) as sandbox:
        out = tmp_path / f"{resource}.jsonl"
        async with sandbox.client() as client:
            report = await export(client, ExportOptions(resource=resource, out=out))
    records: list[dict[str, Any]] = [json.loads(x) for x in out.read_text().splitlines()]
    assert records and report.records == len(records) and report.verified
    assert len({str(r["id"]) for r in records}) == len(records)


@pytest.mark.parametrize("resource", [r for r in RESOURCES if r != "calls"])
async def test_company_filter_follows_each_resources_declared_scope(
    tmp_path: Path, resource: str
) -> None:
    # --company used to crash `export companies` with a TypeError and be ignored without a
    # word by accounts and notifications; each resource now says how it relates to companies.
    scope = CallRail.namespaces()[resource].company_scope
    async with Sandbox(calls=10) as sandbox:
        out = tmp_path / f"{resource}.jsonl"
        async with sandbox.client() as client:
            companies = await client.companies.list().collect()
            company = str(companies[0].id)
            options = ExportOptions(resource=resource, out=out, company_id=company)
            if scope == "none":
                before = sandbox.stats.total
                with pytest.raises(ExportError, match="cannot be filtered by company"):
                    await export(client, options)
                assert sandbox.stats.total == before and not out.exists()
                return
            report = await export(client, options)
            everything = (
                await getattr(client, resource)
                .list(**({} if scope == "filter" else {"company_id": company}))
                .collect()
            )
    records: list[dict[str, Any]] = [json.loads(x) for x in out.read_text().splitlines()]
    assert report.verified and report.records == len(records)
    assert {str(r["id"]) for r in records} <= {str(r.id) for r in everything}
    with_company = [r for r in records if r.get("company_id") is not None]
    assert all(r["company_id"] == company for r in with_company)


@pytest.mark.parametrize("counts", ["timeseries", "forbidden"])
async def test_large_windows_are_split_and_order_kept(tmp_path: Path, counts: str) -> None:
    forbidden = {"calls.timeseries"} if counts == "forbidden" else set()
    async with Sandbox(calls=3000, span_days=20, forbidden_endpoints=forbidden) as sandbox:
        out = tmp_path / "calls.jsonl"
        async with sandbox.client() as client:
            options = ExportOptions(out=out, window_records=500, per_page=100)
            report = await export(client, options)
        planned_by_counts = sandbox.stats.count("calls.timeseries", 200) > 0
    ids = ids_of(out)
    assert len(ids) == 3000 == len(set(ids)) and report.verified
    # Planned from daily counts, or (counts refused) by month and split on the way:
    assert planned_by_counts == (counts == "timeseries")
    assert report.slices >= 6 if planned_by_counts else report.slices > 26
    starts = [json.loads(line)["start_time"] for line in out.read_text().splitlines()]
    moments = [dt.datetime.fromisoformat(s) for s in starts]
    assert moments == sorted(moments)


async def test_windows_split_into_empty_halves(tmp_path: Path) -> None:
    # Calls packed into a few days: the month holding them is split, and some halves are
    # empty (they never create a part file).
    async with Sandbox(calls=6000, span_days=3) as sandbox:
        out = tmp_path / "calls.jsonl"
        async with sandbox.client() as client:
            report = await export(client, ExportOptions(out=out, per_page=100))
    ids = ids_of(out)
    assert len(ids) == len(set(ids)) == 6000 and report.verified and report.slices > 8
