"""Shared by the sync tests: run a sync against a sandbox, read the server's and the
database's state (ids, lead status, value, tags) to compare them."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("dlt", reason="the sync tests need the dlt extra")

from callrail_async.sync.command import load, pipeline
from callrail_async.sync.source import callrail_source, sync_progress
from callrail_async.testing import Sandbox

State = dict[str, tuple[str, str | None, str | None, tuple[str, ...]]]


async def run_sync(
    sandbox: Sandbox, to: str, workdir: Path, dataset: str | None = None, **kwargs: Any
) -> Any:
    """One sync of every sandbox account into ``to``; returns the source (progress)."""
    options = {"api_key": sandbox.api_key, "base_url": sandbox.base_url}
    options.update(kwargs.pop("client_options", {}))
    source = callrail_source(client_options=options, **kwargs)
    pipe = pipeline(to, workdir, dataset)
    info = await asyncio.to_thread(load, pipe, source)
    assert not info.has_failed_jobs
    assert sync_progress(source).failures == {}
    return source


async def server_state(sandbox: Sandbox) -> State:
    """Every visible call of every account, as CallRail (the sandbox) lists it now."""
    state: State = {}
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=365)
    async with sandbox.client() as client:
        for account in sandbox.data.accounts:
            per = client.for_account(account.id)
            async for call in per.calls.list(
                start_date=start, fields=["lead_status", "value", "tags"], per_page=250
            ):
                value = None if call.value is None else str(call.value)
                tags = tuple(str(t) for t in call.tags or ())
                state[str(call.id)] = (account.id, call.lead_status, value, tags)
    return state


def duckdb_state(path: Path, dataset: str = "main") -> State:
    """The same view of what a sync wrote into a DuckDB file."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as db:
        return _state(db.execute, dataset)


def _state(execute: Any, dataset: str) -> State:
    rows = execute(f"SELECT id, account_id, lead_status, value FROM {dataset}.calls").fetchall()
    tags: dict[str, list[str]] = {}
    for parent, value in execute(
        f"SELECT _dlt_parent_id, value FROM {dataset}.calls__tags "
        "ORDER BY _dlt_parent_id, _dlt_list_idx"
    ).fetchall():
        tags.setdefault(parent, []).append(value)
    return {
        call_id: (account, status, value, tuple(tags.get(call_id, ())))
        for call_id, account, status, value in rows
    }


def postgres_state(dsn: str, dataset: str) -> State:
    """The same view of a Postgres dataset."""
    import psycopg2

    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:

        def execute(sql: str) -> Any:
            cursor.execute(sql)
            return cursor

        return _state(execute, dataset)


async def recent_calls(sandbox: Sandbox, account: int, days: float, count: int) -> list[str]:
    """Ids of ``count`` calls of an account that started within the last ``days``."""
    async with sandbox.client() as client:
        per = client.for_account(sandbox.account(account).id)
        since = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
        calls = await per.calls.list(start_date=since, per_page=250).collect(limit=count)
    assert len(calls) == count, "the sandbox has too few recent calls for this test"
    return [str(c.id) for c in calls]


async def change_calls(sandbox: Sandbox, account: int, lookback_days: float) -> dict[str, Any]:
    """Between two runs: new calls, changed tags/lead status/value, tags removed, a call
    marked spam through the API and one hidden by the server; returns what was done."""
    recent = await recent_calls(sandbox, account, lookback_days - 1, 6)
    async with sandbox.client() as client:
        per = client.for_account(sandbox.account(account).id)
        await per.calls.update(recent[0], tags=["vip", "callback"])
        await per.calls.update(recent[1], lead_status="good_lead", value="120.50")
        await per.calls.update(recent[2], tags=["temp"])
        await per.calls.update(recent[3], spam=True)
    hidden = sandbox.mark_spam([recent[4]], account=account)
    assert hidden == 1
    inserted = sandbox.insert_calls(3, account=account)
    return {"recent": recent, "inserted": inserted}
