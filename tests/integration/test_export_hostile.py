"""The export against a hostile CallRail of our own: bursts within one second, calls that
move between windows, listings changing while the check runs. "verified" must stay true."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

from callrail_async.export import ExportOptions, ExportReport, Progress, export

from .tiny_callrail import TinyCallRail


def ids_of(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_bytes().splitlines() if line]


def midnight(days_ago: int) -> float:
    today = dt.datetime.now(dt.UTC).date()
    return dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(), dt.UTC).timestamp()


async def test_bursts_of_one_second_at_window_edges_are_written_once_each(tmp_path: Path) -> None:
    # 700 calls in the first second of a day (the first second after the previous window),
    # 700 in its last second, others around: full pages of one second, at both edges.
    edge = midnight(5)
    starts = [edge] * 700 + [edge - 1] * 300 + [edge + 86399] * 700
    starts += [edge - 86400 * 3 + 97 * n for n in range(1500)]
    async with TinyCallRail(starts) as server:
        out = tmp_path / "calls.jsonl"
        options = ExportOptions(out=out, per_page=50, concurrency=4, window_records=400)
        async with server.client() as client:
            report = await export(client, options)
        visible = set(server.visible())
    written = ids_of(out)
    assert len(written) == len(set(written)) == len(visible)
    assert set(written) == visible and report.verified, report.summary()


async def test_a_call_listed_in_two_windows_is_never_verified_twice_written(
    tmp_path: Path,
) -> None:
    # A hostile listing: once the first window has been walked, its first call shows up
    # again in the last window (its start time moved). The file must not hold it twice
    # while the report says verified.
    starts = [midnight(10) + 3600 * n for n in range(200)]
    async with TinyCallRail(starts) as server:
        first = min(server.calls, key=lambda i: server.calls[i])
        day = dt.datetime.fromtimestamp(midnight(10), dt.UTC).date()
        small = (day + dt.timedelta(days=1)).isoformat()  # a window of a day or two
        served: list[bool] = []

        def move(tiny: TinyCallRail, kind: str, params: dict[str, str]) -> None:
            if served:  # the first call's own window has listed it: now it moves
                tiny.calls[first] = midnight(5) + 60
            elif kind == "calls" and params["start_date"] == day.isoformat():
                served.extend([True] if params["end_date"] <= small else [])

        server.before_request = move
        out = tmp_path / "calls.jsonl"
        options = ExportOptions(out=out, per_page=50, concurrency=1, window_records=60)
        async with server.client() as client:
            report = await export(client, options)
    written = ids_of(out)
    assert server.calls[first] == midnight(5) + 60  # moved mid-walk
    assert len(written) == len(set(written)) or not report.verified, report.summary()
    assert not report.reconciled and "duplicates: 1 record" in report.summary()


async def test_resume_after_an_interruption_during_the_check_writes_each_call_once(
    tmp_path: Path,
) -> None:
    # The check after the walk finds a late call and writes it, then the run is cancelled
    # halfway through the check; the resumed run checks again: the file holds each once.
    now = dt.datetime.now(dt.UTC).timestamp()
    async with TinyCallRail([now - 86400 * 9 + 800 * n for n in range(900)]) as server:
        late: list[str] = []
        walked: set[tuple[str, str, str]] = set()

        def hook(tiny: TinyCallRail, kind: str, params: dict[str, str]) -> None:
            key = (params.get("start_date", ""), params.get("end_date", ""), params.get("page", ""))
            if kind == "calls" and key in walked and not late:  # the check has begun
                late.append(tiny.add(now - 86400 * 9 + 401))  # in the first window
            walked.add(key)

        server.before_request = hook
        out = tmp_path / "calls.jsonl"
        options = ExportOptions(out=out, per_page=50, concurrency=2)
        async with server.client() as client:
            task: asyncio.Task[ExportReport] | None = None

            def progress(now: Progress) -> None:
                if now.checked >= 450 and task is not None:
                    task.cancel()

            options.progress = progress
            task = asyncio.create_task(export(client, options))
            with pytest.raises(asyncio.CancelledError):
                await task
            assert late and late[0] in ids_of(out)  # written by the check before the stop
            options.progress, options.resume = None, True
            report = await export(client, options)
        visible = set(server.visible())
    written = ids_of(out)
    assert len(written) == len(set(written)) and set(written) == visible
    assert report.verified and report.resumed


async def test_a_server_repeating_its_first_page_ends_the_walk_unverified(tmp_path: Path) -> None:
    # The list ignores `page`: stepping through a full second by page number gets the same
    # page forever. The walk must end (the listing's own page count bounds it), and the
    # calls it could not reach must show as not verified.
    edge = midnight(3)
    starts = [edge - 3600] * 120 + [edge + 60 * n for n in range(30)]
    async with TinyCallRail(starts, first_page_only=True) as server:
        out = tmp_path / "calls.jsonl"
        options = ExportOptions(out=out, per_page=50, concurrency=2)
        async with server.client() as client:
            report = await asyncio.wait_for(export(client, options), 30)
        calls = sum(1 for kind, _ in server.requests if kind == "calls")
    written = ids_of(out)
    assert len(written) == len(set(written)) < 150
    assert not report.verified and not report.reconciled and calls < 100
