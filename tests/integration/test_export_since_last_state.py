"""``--since-last`` keeps only the overlap window's records in its state: many runs leave a
file the size of one window, and nothing is exported twice or missed on the way; a state
written by version 1 (ids without times) is read and migrated."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest

from callrail_async import ManualClock
from callrail_async.export import ExportError, ExportOptions, export
from callrail_async.testing import Sandbox

DAY = 86400.0


def ids_of(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_bytes().splitlines() if line]


async def test_many_runs_keep_the_state_to_one_overlap_window(tmp_path: Path) -> None:
    clock = ManualClock()
    state = tmp_path / "state.json"
    exported: list[str] = []
    sizes: list[int] = []
    async with Sandbox(calls=500, span_days=10, clock=clock) as sandbox:
        async with sandbox.client(clock=clock) as client:
            for run in range(8):
                if run:
                    sandbox.insert_calls(40)
                    clock.advance(0.25 * DAY)
                    sandbox.insert_calls(40)  # inside the next run's overlap
                    clock.advance(5)
                out = tmp_path / f"{run}.jsonl"
                report = await export(client, ExportOptions(out=out, since_last=state))
                assert report.verified
                exported += ids_of(out)
                saved = json.loads(state.read_text())
                assert saved["version"] == 2 and not saved["overlap_ids"]
                # Every kept record starts inside the window the next run looks back over.
                assert all(t >= saved["last_end"] - DAY for t in saved["overlap"].values())
                sizes.append(len(saved["overlap"]))
    assert len(exported) == len(set(exported)) == 500 + 7 * 80  # nothing twice, none missed
    assert set(exported) == set(sandbox.call_ids())
    # Four runs a day insert 80 calls each: a day's overlap holds at most ~5 runs' worth,
    # not the sum over every run.
    assert max(sizes[3:]) <= 5 * 80 + 40, sizes


async def test_a_version_1_state_is_migrated_without_duplicates(tmp_path: Path) -> None:
    clock = ManualClock()
    state = tmp_path / "state.json"
    async with Sandbox(calls=300, span_days=3, clock=clock) as sandbox:
        async with sandbox.client(clock=clock) as client:
            await export(client, ExportOptions(out=tmp_path / "1.jsonl", since_last=state))
            saved = json.loads(state.read_text())
            # Rewrite it as version 1 wrote it: undated ids.
            v1 = {
                "version": 1,
                "last_end": saved["last_end"],
                "overlap_ids": list(saved["overlap"]),
            }
            state.write_text(json.dumps(v1))
            new = sandbox.insert_calls(9)
            clock.advance(60)
            await export(client, ExportOptions(out=tmp_path / "2.jsonl", since_last=state))
            clock.advance(3 * DAY)
            later = sandbox.insert_calls(4)
            clock.advance(60)
            await export(client, ExportOptions(out=tmp_path / "3.jsonl", since_last=state))
    assert sorted(ids_of(tmp_path / "2.jsonl")) == sorted(new)
    assert sorted(ids_of(tmp_path / "3.jsonl")) == sorted(later)
    final = json.loads(state.read_text())
    assert final["version"] == 2 and set(final["overlap"]) == set(later)


async def test_a_clock_corrected_back_between_runs_exports_nothing_twice(tmp_path: Path) -> None:
    """The first run's clock was two hours ahead (its end, and the overlap it kept, lie two
    hours late); NTP steps it back before the second run. The state's end must not move back
    with it: the calls between the corrected overlap and the first run's were written by the
    first run by time, not by id."""
    server, local = ManualClock(), ManualClock()
    state = tmp_path / "state.json"
    exported: list[str] = []
    async with Sandbox(calls=600, span_days=3, clock=server) as sandbox:
        async with sandbox.client(clock=local) as client:
            local.step_wall_clock(2 * 3600)
            for run in range(3):
                if run == 1:
                    local.step_wall_clock(-2 * 3600)
                out = tmp_path / f"{run}.jsonl"
                await export(client, ExportOptions(out=out, since_last=state))
                exported += ids_of(out)
                for clock in (server, local):
                    clock.advance(60)
    assert len(exported) == len(set(exported)) == 600


async def test_a_state_with_an_end_beyond_any_date_is_refused_with_our_error(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state.json"
    async with Sandbox(calls=10) as sandbox:
        async with sandbox.client() as client:
            for end in ("1e999", "-1e999", "1e30", "-1e30"):
                state.write_text(f'{{"version": 2, "last_end": {end}}}')
                with pytest.raises(ExportError, match="--since-last state"):
                    await export(client, ExportOptions(out=tmp_path / "x.jsonl", since_last=state))


async def test_an_overlap_longer_than_any_calendar_looks_back_to_retention(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    clock = ManualClock()
    async with Sandbox(calls=20, span_days=3, clock=clock) as sandbox:
        async with sandbox.client(clock=clock) as client:
            for run, new in enumerate((0, 3), 1):
                sandbox.insert_calls(new)
                clock.advance(60)
                report = await export(
                    client,
                    ExportOptions(
                        out=tmp_path / f"{run}.jsonl",
                        since_last=state,
                        overlap=dt.timedelta(days=999_999_999),
                    ),
                )
    assert report.verified and len(ids_of(tmp_path / "2.jsonl")) == 3


async def test_two_exports_at_once_on_one_state_do_not_both_run(tmp_path: Path) -> None:
    """Two cron jobs overlapping, each to its own output (or both to stdout, which has no
    output lock): both would read the same state, export the same calls, and the last to
    save would drop what the other kept. The second is refused instead."""
    clock = ManualClock()
    state = tmp_path / "state.json"
    async with Sandbox(calls=300, span_days=3, clock=clock) as sandbox:
        async with sandbox.client(clock=clock) as client:
            runs = [
                export(client, ExportOptions(out=tmp_path / f"{n}.jsonl", since_last=state))
                for n in range(2)
            ]
            results = await asyncio.gather(*runs, return_exceptions=True)
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1 and isinstance(refused[0], ExportError), results
    assert str(state) in str(refused[0])
    assert not (tmp_path / "state.json.lock").exists()
