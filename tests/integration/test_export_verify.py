"""The export's report against hostile servers: it claims only what it checked."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import sys
from pathlib import Path

import pytest

from callrail_async.export import ExportOptions, export

from .tiny_callrail import ACCOUNT, TinyCallRail

ROOT = Path(__file__).resolve().parents[2]


def ids_of(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_bytes().splitlines() if line]


def spread(count: int, days: float, seed: int = 3) -> list[float]:
    """Start times spread unevenly over the last ``days`` days (whole seconds)."""
    now = dt.datetime.now(dt.UTC).timestamp()
    rng = random.Random(seed)
    return sorted(now - days * 86400 * rng.random() ** 1.5 - 60 for _ in range(count))


def change_after_the_walk(server: TinyCallRail, hide: bool) -> list[str]:
    """Once the walk is over (the first request it would not make: a repeat, or daily
    counts after calls), add a late call one second after a call in the middle, and with
    ``hide`` hide that call. Returns [late id, hidden id?] once it happened, and keeps the
    number of call requests made after it in ``server.requests``."""
    seen: set[tuple[str, ...]] = set()
    changed: list[str] = []

    def hook(tiny: TinyCallRail, kind: str, params: dict[str, str]) -> None:
        key = (kind, params.get("start_date", ""), params.get("end_date", ""),
               params.get("page", "1"))  # fmt: skip
        walked = any(k[0] == "calls" for k in seen)
        again = key in seen or (kind == "timeseries" and walked)
        seen.add(key)
        if again and not changed:
            victim, start = sorted(tiny.visible().items(), key=lambda kv: kv[1])[450]
            changed.append(tiny.add(start + 1))
            if hide:
                tiny.hidden.add(victim)
                changed.append(victim)

    server.before_request = hook
    return changed


@pytest.mark.parametrize("verify", ["ids", "counts"])
async def test_compensating_hide_and_late_call_is_never_reported_verified(
    tmp_path: Path, verify: str
) -> None:
    # After the walk, one written call is hidden and one late call appears a second later
    # on the same day: every count stays the same. Only ids can tell.
    async with TinyCallRail(spread(900, 12)) as server:
        changed = change_after_the_walk(server, hide=True)
        out = tmp_path / "calls.jsonl"
        options = ExportOptions(out=out, per_page=50, concurrency=4, verify=verify)  # type: ignore[arg-type]
        async with server.client() as client:
            report = await export(client, options)
    late, hidden = changed
    written = ids_of(out)
    assert len(written) == len(set(written)) and hidden in written
    assert not report.verified or late in written  # never "verified" with the call missing
    if verify == "ids":  # the check after the walk lists every window again: found
        assert late in written and report.verified
        assert report.added == 1 and report.vanished == 1
        assert set(server.visible()) <= set(written)
    else:  # counts cannot see it, and the report does not pretend they can
        assert late not in written and not report.verified and report.reconciled
        assert "not verified id by id" in report.summary()


@pytest.mark.parametrize("verify", ["ids", "counts"])
async def test_counts_list_again_only_the_days_that_do_not_add_up(
    tmp_path: Path, verify: str
) -> None:
    async with TinyCallRail(spread(900, 12)) as server:
        changed = change_after_the_walk(server, hide=False)  # a late call: one day is off
        out = tmp_path / "calls.jsonl"
        options = ExportOptions(out=out, per_page=50, concurrency=4, verify=verify)  # type: ignore[arg-type]
        async with server.client() as client:
            report = await export(client, options)
        walk = next(n for n, (kind, _) in enumerate(server.requests) if n and kind == "timeseries"
                    and server.requests[n - 1][0] == "calls")  # fmt: skip
        checks = sum(1 for kind, _ in server.requests[walk:] if kind == "calls")
    written = ids_of(out)
    assert changed[0] in written and report.added == 1  # found either way
    assert set(written) == set(server.visible()) and len(written) == len(set(written))
    assert report.reconciled and report.verified == (verify == "ids")
    pages = -(-900 // 50)
    assert checks >= pages if verify == "ids" else checks < pages / 2


async def test_a_listing_reading_dates_in_another_zone_is_not_verified(tmp_path: Path) -> None:
    # The list reads start_date/end_date in New York time, the daily counts in UTC (the
    # zone the export asks for): hours of calls fall outside what the windows list.
    today = dt.datetime.now(dt.UTC).date()
    early = [  # in the hours a New York reading skips, whatever the time of day (see below)
        dt.datetime.combine(today - dt.timedelta(days=25), dt.time(hour), dt.UTC).timestamp()
        for hour in (1, 2, 3)
    ]
    async with TinyCallRail(spread(1200, 30) + early, list_zone="America/New_York") as server:
        out = tmp_path / "calls.jsonl"
        env = {**os.environ, "CALLRAIL_API_KEY": "tiny", "PYTHONPATH": str(ROOT)}
        env.pop("MATON_API_KEY", None)
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "callrail_async.cli", "export", "calls", "--out", str(out),
            "--start-date", str(today - dt.timedelta(days=25)),
            "--end-date", str(today - dt.timedelta(days=2)),
            "--base-url", f"http://127.0.0.1:{server.port}/v3/", "--account", ACCOUNT,
            "--per-page", "50", "--concurrency", "4",
            env=env, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _, stderr = await child.communicate()
        first = dt.datetime.combine(today - dt.timedelta(days=25), dt.time(), dt.UTC)
        last = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(), dt.UTC)
        expected = {
            i for i, t in server.visible().items() if first.timestamp() <= t < last.timestamp()
        }
    text = stderr.decode()
    written = ids_of(out)
    assert set(written) != expected  # the server really did hide calls from the windows
    assert child.returncode == 3, text  # exported, not verified: a distinct exit status
    assert "NOT verified" in text and "verified: all" not in text
    assert "not reconciled: [" in text  # the windows are named
    assert len(written) == len(set(written))  # and the file is usable as far as it goes


async def test_an_unverified_run_does_not_advance_the_since_last_state(tmp_path: Path) -> None:
    async with TinyCallRail(spread(600, 20), list_zone="America/New_York") as server:
        state = tmp_path / "state.json"
        today = dt.datetime.now(dt.UTC).date()
        options = ExportOptions(
            out=tmp_path / "1.jsonl", since_last=state, per_page=50,
            start_date=today - dt.timedelta(days=15), end_date=today - dt.timedelta(days=2),
        )  # fmt: skip
        async with server.client() as client:
            report = await export(client, options)
    assert not report.verified and report.state_kept
    assert not state.exists()  # the next run starts where this one did: nothing lost
    assert "state not advanced" in report.summary()


async def test_a_listing_reading_dates_in_another_zone_is_not_verified_without_daily_counts(
    tmp_path: Path,
) -> None:
    # As above, but CallRail's daily counts (the independent count) are unavailable: the ids
    # of each fresh listing agree with the walk, so only the records a listing sends outside
    # the window it was asked for can tell that hours of calls were never listed.
    today = dt.datetime.now(dt.UTC).date()
    first = today - dt.timedelta(days=25)
    # Calls in the first hours (UTC) of the range, which a listing reading New York dates
    # starts after, and in the first hours after its end, which such a listing sends
    # although they are outside the window asked for: the only sign left without daily
    # counts. Placed explicitly, whatever the time of day (spread() follows the clock).
    after = today - dt.timedelta(days=1)
    early = [dt.datetime.combine(first, dt.time(h), dt.UTC).timestamp() for h in (1, 2, 3)]
    early += [dt.datetime.combine(after, dt.time(h), dt.UTC).timestamp() for h in (1, 2)]
    async with TinyCallRail(
        spread(200, 30) + early, list_zone="America/New_York", timeseries_status=403
    ) as server:
        options = ExportOptions(
            out=tmp_path / "calls.jsonl", concurrency=4,
            start_date=first, end_date=today - dt.timedelta(days=2),
        )  # fmt: skip
        async with server.client() as client:
            report = await export(client, options)
        begin = dt.datetime.combine(first, dt.time(), dt.UTC).timestamp()
        finish = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(), dt.UTC).timestamp()
        expected = {i for i, t in server.visible().items() if begin <= t < finish}
    written = ids_of(tmp_path / "calls.jsonl")
    assert not expected <= set(written)  # the server really did keep calls from the windows
    assert not report.verified and not report.reconciled
    assert "NOT verified" in report.summary() and report.unreconciled and report.outside
    assert len(written) == len(set(written))
