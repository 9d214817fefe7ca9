"""``--since-last`` keeps only the overlap window's records in its state: many runs leave a
file the size of one window, and nothing is exported twice or missed on the way; a state
written by version 1 (ids without times) is read and migrated."""

from __future__ import annotations

import json
from pathlib import Path

from callrail_async import ManualClock
from callrail_async.export import ExportOptions, export
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
