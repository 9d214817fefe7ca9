"""The seeded data looks like a real account's and is the same in every run (issue #14,
item 10): seasonality, bursts, long tails, per-source answer rates, CallRail's envelopes."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
from collections import Counter
from zoneinfo import ZoneInfo

import aiohttp

from callrail_async.testing import ManualClock, Sandbox

from .conftest import Raw

NOW = 1_800_000_000.0


def test_weekly_and_daily_seasonality() -> None:
    sandbox = Sandbox(calls=20_000, clock=ManualClock(NOW), span_days=84)
    store = sandbox.account().calls
    zone = ZoneInfo(store.owners[0].time_zone)
    local = [dt.datetime.fromtimestamp(t, zone) for t in store.start_ts]
    days = Counter(moment.date() for moment in local)
    weekday = statistics.mean(n for day, n in days.items() if day.weekday() < 5)
    weekend = statistics.mean(n for day, n in days.items() if day.weekday() >= 5)
    assert weekday > 2 * weekend
    business = sum(1 for moment in local if 8 <= moment.hour < 18)
    night = sum(1 for moment in local if moment.hour < 6)
    assert business > 0.6 * len(local) and night < 0.03 * len(local)
    assert list(store.start_ts) == sorted(store.start_ts)  # date ranges stay binary searches


def test_bursts_of_many_calls_in_one_second() -> None:
    store = Sandbox(calls=20_000, clock=ManualClock(NOW)).account().calls
    per_second = Counter(int(t) for t in store.start_ts)
    bursts = [n for n in per_second.values() if n >= 10]
    assert 3 <= len(bursts) <= 60


def test_durations_are_long_tailed() -> None:
    store = Sandbox(calls=5000, clock=ManualClock(NOW)).account().calls
    answered = sorted(a["duration"] for i in range(len(store)) if (a := store.attrs(i))["answered"])
    median = answered[len(answered) // 2]
    p99 = answered[int(len(answered) * 0.99)]
    assert 20 <= median <= 150 and p99 > 8 * median and max(answered) <= 7200


async def test_sources_have_different_answer_rates(raw: Raw, sandbox: Sandbox) -> None:
    _, body = await raw.get("calls/summary.json", group_by="source", date_range="last_30_days",
                            fields="total_calls,answered_calls")  # fmt: skip
    rates = [g["answered_calls"] / g["total_calls"] for g in body["grouped_results"]
             if g["total_calls"] >= 20]  # fmt: skip
    assert len(rates) >= 4 and max(rates) - min(rates) > 0.2


async def test_maton_lists_of_tags_users_trackers_omit_total_pages() -> None:
    async with Sandbox(calls=10) as sandbox, aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bearer {sandbox.maton_api_key}"}
        base = f"{sandbox.maton_base_url}a/{sandbox.account_id}/"
        for name in ("tags", "users", "trackers", "companies"):
            async with session.get(f"{base}{name}.json", headers=headers) as response:
                body = await response.json()
            assert body["total_records"] > 0 and body[name]
            assert ("total_pages" in body) is (name == "companies"), name
        direct = {"Authorization": f'Token token="{sandbox.api_key}"'}
        async with session.get(f"{sandbox.base_url}a/{sandbox.account_id}/tags.json",
                               headers=direct) as response:  # fmt: skip
            assert "total_pages" in await response.json()  # as CallRail's own examples show


async def test_account_created_at_comes_in_both_formats() -> None:
    async with Sandbox(calls=1, accounts=6, seed=2) as sandbox:
        stamps = [a.record["created_at"] for a in sandbox.data.accounts]
    ruby = [s for s in stamps if " " in s]
    assert ruby and len(ruby) < len(stamps)
    assert all(dt.datetime.strptime(s, "%Y-%m-%d %H:%M:%S %z") for s in ruby)


FINGERPRINT = """
import hashlib, json, msgspec
from callrail_async.testing import ManualClock, Sandbox
sandbox = Sandbox(calls=3000, accounts=2, seed=7, clock=ManualClock(1_800_000_000.0))
store = sandbox.account(1).calls
digest = hashlib.sha256()
digest.update(msgspec.json.encode([c["connection_id"] for c in sandbox.connections]))
digest.update(msgspec.json.encode([store.attrs(i) for i in range(len(store))]))
digest.update(msgspec.json.encode([a.collections for a in sandbox.data.accounts]))
print(json.dumps({"digest": digest.hexdigest(), "calls": sandbox.call_ids(1)[:3]}))
"""


def test_same_seed_same_data_in_two_processes() -> None:
    runs = []
    for hash_seed in ("1", "2"):  # hash() differs between these processes
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", FINGERPRINT], env=env, capture_output=True, text=True,
            check=True, timeout=120,
        )  # fmt: skip
        runs.append(json.loads(out.stdout))
    assert runs[0] == runs[1]


def test_caller_id_names_are_sometimes_a_place_or_missing() -> None:
    store = Sandbox(calls=2000, clock=ManualClock(NOW)).account().calls
    names = [store.core(i)["customer_name"] for i in range(len(store))]
    missing = sum(1 for n in names if n is None)
    places = sum(1 for n in names if n and ", " in n)
    assert 0.03 < missing / len(names) < 0.2 and 0.03 < places / len(names) < 0.2
