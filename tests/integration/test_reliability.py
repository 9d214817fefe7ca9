"""Reliability and security: faults absorbed without loss, clean cancellation, bad input
refused before sending, credentials kept to the configured host."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from callrail_async import (
    CallRail,
    CallRailError,
    ManualClock,
    ServerError,
    TransportError,
)
from callrail_async.export import ExportOptions, export
from callrail_async.export.checkpoint import checkpoint_path
from callrail_async.testing import Faults, Sandbox

FAULT_MIX = ("500", "502", "503", "429", "429_retry_after", "reset", "truncate", "latency")


def span(sandbox: Sandbox) -> dict[str, dt.date]:
    today = dt.datetime.fromtimestamp(sandbox.clock.time(), dt.UTC).date()
    return {"start_date": today - dt.timedelta(days=65), "end_date": today}


def fast_retries(max_retries: int) -> dict[str, Any]:
    """Simulated backoff waits, a short per-attempt timeout (the latency fault is 2x it)."""
    return {"clock": ManualClock(), "max_retries": max_retries, "timeout": 0.25}


@pytest.mark.parametrize(("rate", "retries"), [(0.05, 8), (0.2, 12), (0.5, 25)])
async def test_paginator_survives_faults_with_exact_ids(rate: float, retries: int) -> None:
    faults = Faults(rate=rate, kinds=FAULT_MIX, seed=int(rate * 100), latency_seconds=0.5)
    async with Sandbox(calls=20_000, span_days=60) as sandbox:
        sandbox.faults = faults
        async with sandbox.client(**fast_retries(retries)) as client:
            offset = await client.calls.list(
                relative=False, per_page=250, concurrency=6, **span(sandbox)
            ).collect()
            relative = await client.calls.list(
                per_page=250, relative=True, **span(sandbox)
            ).collect()
            windowed = await client.calls.list(**span(sandbox)).collect()  # the default
        sandbox.faults = None
        expected = set(sandbox.call_ids())
        injected = sum(1 for r in sandbox.stats.log if r.fault)
    starts = [c.start_time for c in windowed]
    assert starts == sorted(starts)  # type: ignore[type-var]
    for calls in (offset, relative, windowed):
        ids = [c.id for c in calls]
        assert len(ids) == len(set(ids)) == 20_000 and set(ids) == expected
    assert injected > 0


@pytest.mark.parametrize(("rate", "retries"), [(0.05, 8), (0.2, 12), (0.5, 25)])
async def test_export_survives_faults_with_exact_ids(
    tmp_path: Path, rate: float, retries: int
) -> None:
    faults = Faults(rate=rate, kinds=FAULT_MIX, seed=7 + int(rate * 100), latency_seconds=0.5)
    async with Sandbox(calls=20_000, span_days=60) as sandbox:
        sandbox.faults = faults
        out = tmp_path / "calls.jsonl"
        async with sandbox.client(**fast_retries(retries)) as client:
            report = await export(client, ExportOptions(out=out))
        sandbox.faults = None
        expected = set(sandbox.call_ids())
    ids = [json.loads(line)["id"] for line in out.read_bytes().splitlines()]
    assert len(ids) == len(set(ids)) and set(ids) == expected
    assert report.verified


async def test_beyond_max_retries_the_error_is_typed_and_resume_finishes(tmp_path: Path) -> None:
    async with Sandbox(calls=5000, span_days=60) as sandbox:
        out = tmp_path / "calls.jsonl"
        async with sandbox.client(clock=ManualClock(), max_retries=3) as client:
            task = asyncio.create_task(export(client, ExportOptions(out=out, per_page=100)))
            while sandbox.stats.count("calls.list", 200) < 30:
                await asyncio.sleep(0.005)
            sandbox.faults = Faults(rate=1.0, kinds=("503",))
            with pytest.raises(ServerError) as info:  # the SDK's error, not an ExceptionGroup
                await task
            assert info.value.retries == 3 and "after 3 retries" in str(info.value)
            assert "503 on GET" in str(info.value)
            assert checkpoint_path(out).exists()
            sandbox.faults = None
            report = await export(client, ExportOptions(out=out, per_page=100, resume=True))
    ids = [json.loads(line)["id"] for line in out.read_bytes().splitlines()]
    assert len(ids) == len(set(ids)) and set(ids) == set(sandbox.call_ids())
    assert report.verified


async def test_network_failures_beyond_retries_say_what_failed() -> None:
    async with Sandbox(calls=10, faults=Faults(rate=1.0, kinds=("reset",))) as sandbox:
        client = sandbox.client(clock=ManualClock(), max_retries=2, account_id=sandbox.account_id)
        async with client:
            with pytest.raises(TransportError) as info:
                await client.companies.list().collect()
    assert info.value.retries == 2 and info.value.method == "GET"
    assert f"GET {sandbox.base_url}a/{sandbox.account_id}/companies.json" in str(info.value)
    assert "after 2 retries" in str(info.value)


@pytest.mark.parametrize("delay", [0.0, 0.003, 0.01, 0.02, 0.05, 0.1])
async def test_cancelling_an_iteration_anywhere_leaves_nothing_behind(delay: float) -> None:
    async with Sandbox(calls=5000, span_days=60, latency=0.005) as sandbox:
        client = sandbox.client()
        paginator = client.calls.list(relative=False, per_page=50, concurrency=4, **span(sandbox))

        async def consume() -> int:
            return len(await paginator.collect())

        task = asyncio.create_task(consume())
        await asyncio.sleep(delay)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        connector = client._transport.session.connector
        await client.close()
        await asyncio.sleep(0.01)
        prefetch = [
            t
            for t in asyncio.all_tasks()
            if "fetch" in getattr(t.get_coro(), "__qualname__", "") and not t.done()
        ]
        assert connector is not None and connector.closed
    assert prefetch == []  # no orphaned page fetches
    gc.collect()


@pytest.mark.parametrize("delay", [0.0, 0.01, 0.03, 0.08])
async def test_cancelling_an_export_anywhere_keeps_a_consistent_checkpoint(
    tmp_path: Path, delay: float
) -> None:
    async with Sandbox(calls=4000, span_days=60, latency=0.003) as sandbox:
        out = tmp_path / "calls.jsonl"
        async with sandbox.client() as client:
            task = asyncio.create_task(export(client, ExportOptions(out=out, per_page=50)))
            await asyncio.sleep(delay)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if checkpoint_path(out).exists():
                report = await export(client, ExportOptions(out=out, per_page=50, resume=True))
                assert report.verified
        leftover = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    ids = [json.loads(line)["id"] for line in out.read_bytes().splitlines()] if out.exists() else []
    if ids:
        assert len(ids) == len(set(ids)) and set(ids) == set(sandbox.call_ids())
    assert all(t.done() for t in leftover if "export" in repr(t))


BAD_LISTS: list[dict[str, Any]] = [
    {"company_id": "TRK8154748ae6bd4e278a7cddd38a662f4f"},
    {"company_id": ""},
    {"company_id": "COM123/../../a"},
    {"tracker_id": "TRK1?x=1"},
    {"tracker_id": "TRK1#frag"},
    {"company_id": "COM 1"},
    {"company_id": "COM1\n"},
    {"per_page": 0},
    {"per_page": 251},
    {"date_range": "yesteryear"},
    {"lead_status": "hot"},
    {"direction": "sideways"},
    {"order": "asc"},
    {"sort": "id;drop"},  # sort and fields are open (issue 13), but must be identifiers
    {"fields": ["source", "no pe"]},
    {"start_date": dt.datetime(2026, 1, 1, 12, 0)},  # naive
    {"start_date": "2026-02-01", "end_date": "2026-01-01"},
    {"search": 42},
    {"tags": [""]},
]


@pytest.mark.parametrize("kwargs", BAD_LISTS, ids=lambda k: ",".join(map(str, k)))
async def test_bad_input_is_refused_before_any_request(kwargs: dict[str, Any]) -> None:
    async with Sandbox(calls=10) as sandbox, sandbox.client() as client:
        with pytest.raises(ValueError) as info:
            await client.calls.list(**kwargs).collect()
        name = next(iter(kwargs))
        assert name.split("_")[0] in str(info.value)
        assert sandbox.stats.total == 0


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda c: c.calls.get(""), "call_id"),
        (lambda c: c.calls.get("COM8154748ae6bd4e278a7cddd38a662f4f"), "call_id"),
        (lambda c: c.calls.get("CAL1/../x"), "call_id"),
        (lambda c: c.calls.get("CAL1 2"), "call_id"),
        (lambda c: c.tags.create(name="", company_id="COM1"), "name"),
        (lambda c: c.tags.create(name="x", company_id="COM1", color="mauve"), "color"),
        (lambda c: c.tags.delete("a/b"), "tag_id"),
        (lambda c: c.calls.summary(group_by="pla net"), "group_by"),
        (lambda c: c.calls.timeseries(interval="fortnight"), "interval"),
        (lambda c: c.users.get("USR 1"), "user_id"),
    ],
)
async def test_bad_arguments_name_the_argument_and_send_nothing(call: Any, name: str) -> None:
    async with Sandbox(calls=10) as sandbox, sandbox.client() as client:
        with pytest.raises(ValueError, match=name):
            await call(client)
        assert sandbox.stats.total == 0


def test_allowed_values_are_listed() -> None:
    client = CallRail(api_key="k", account_id="ACC1")
    with pytest.raises(ValueError) as info:
        client.calls.list(date_range="soon")  # type: ignore[arg-type]
    assert "last_30_days" in str(info.value) and "recent" in str(info.value)


@pytest.fixture
async def recorder() -> AsyncIterator[tuple[str, list[str]]]:
    """A loopback server that records any Authorization header it receives."""
    seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization", "<none>"))
        return web.json_response({"id": "CAL1", "calls": []})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", seen
    await runner.cleanup()


async def test_redirects_to_another_host_are_not_followed(
    recorder: tuple[str, list[str]],
) -> None:
    origin, seen = recorder

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(f"{origin}/v3/steal")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", redirect)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}/v3/"
    try:
        async with CallRail(api_key="top-secret", base_url=base, account_id="ACC1") as client:
            with pytest.raises(CallRailError):
                await client.calls.get("CAL1")
    finally:
        await runner.cleanup()
    assert seen == []


async def test_secrets_never_in_logs_errors_reprs_exports(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "sk-live-ultra-secret-0123456789"
    caplog.set_level(logging.DEBUG)
    async with Sandbox(calls=800, api_key=secret, span_days=30) as sandbox:
        sandbox.faults = Faults(rate=0.3, kinds=("500", "429", "truncate"), seed=3)
        out = tmp_path / "calls.jsonl"
        async with sandbox.client(clock=ManualClock(), max_retries=15) as client:
            await export(client, ExportOptions(out=out))
            texts = [repr(client), repr(client._transport), str(client.limiter)]
            for bad in (lambda: client.calls.get("CAL00000000000000000000000000000000"),):
                sandbox.faults = None
                try:
                    await bad()
                except CallRailError as exc:
                    texts += [str(exc), repr(exc), repr(exc.__dict__)]
        async with sandbox.client(api_key="wrong-" + secret) as bad_client:
            try:
                await bad_client.resolve_account_id()
            except CallRailError as exc:
                texts += [str(exc), repr(exc.__dict__)]
    texts += [r.getMessage() for r in caplog.records]
    texts += [out.read_text()] + [p.read_text() for p in tmp_path.iterdir() if p.is_file()]
    assert any(r.levelno == logging.DEBUG for r in caplog.records)
    assert all(secret not in text for text in texts)
    info_and_up = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    names = {json.loads(line)["customer_name"] for line in out.read_text().splitlines()} - {None}
    assert not any(name in msg for name in names for msg in info_and_up)


async def test_tls_verification_is_on_by_default() -> None:
    import ssl

    async with CallRail(api_key="k") as client:
        assert client.base_url.startswith("https://")
        connector = client._transport.session.connector
        assert connector is not None
        setting = connector._ssl  # type: ignore[attr-defined]
        assert setting is True or (
            isinstance(setting, ssl.SSLContext) and setting.verify_mode == ssl.CERT_REQUIRED
        )


async def test_soak_many_tasks_with_faults_no_leaks_no_loss() -> None:
    from benchmarks.soak import run_soak

    result = await run_soak(tasks=500, seconds=3.0, fault_rate=0.1)
    assert result["requests"] > 1000 and result["faults_absorbed"] > 50
    assert result["retries"] >= result["faults_absorbed"] - 5
    assert result["records_lost"] == 0 and result["updates"] > 100
    assert result["connections_checked_out"] == 0
    assert result["memory_growth_kb"] < 5_000  # flat: nothing accumulates per request
