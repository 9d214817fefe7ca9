"""The client's settings as one frozen value; ``with_options()`` for derived clients and
per-call overrides; conflicting knobs refused before any request (issue #20 item 3)."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from typing import Any

import aiohttp
import pytest

from callrail_async import (
    CallRail,
    ClientClosedError,
    ConfigurationError,
    RateLimiter,
    RateLimits,
    RequestTimeoutError,
    RetryPolicy,
    ServerError,
)
from callrail_async.options import ClientOptions
from callrail_async.ratelimit import SqliteBucketStore

from .hostile import ACC, CALL, CALL_JSON, Request, Server, hostile_server
from .hostile import response as http_response

OTHER = "ACC00000000000000000000000000000002"
ACCOUNTS = (
    b'{"page": 1, "per_page": 250, "total_pages": 1, "total_records": 1, '
    b'"accounts": [{"id": "' + ACC.encode() + b'", "name": "Only"}]}'
)


def routed(delay: float = 0.0) -> Any:
    """``a.json`` answers one account; anything else a call, after ``delay``."""

    async def handle(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
        if " /v3/a.json" in request.line:
            writer.write(http_response(body=ACCOUNTS))
        else:
            await asyncio.sleep(delay)
            writer.write(http_response(body=CALL_JSON))
        await writer.drain()

    return handle


def always(status: int) -> Any:
    async def handle(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
        writer.write(http_response(status, b'{"error": "down"}'))
        await writer.drain()

    return handle


def test_options_are_frozen_resolved_and_show_no_secret() -> None:
    client = CallRail(
        api_key="sekret-key-123",
        proxy="http://user:pw-456@127.0.0.1:3128",
        max_retries=2,
        account_id=12345,
    )
    options = client.options
    assert isinstance(options, ClientOptions)
    assert options.mode == "direct"
    assert options.base_url == "https://api.callrail.com/v3/"
    assert options.retry.max_retries == 2
    assert options.account_id == "12345"
    assert options.user_agent.startswith("callrail-async/")
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.timeout = 1  # type: ignore[misc]
    shown = repr(options) + repr(client)
    assert "sekret" not in shown and "pw-456" not in shown
    assert not any("sekret" in repr(getattr(options, f.name)) for f in dataclasses.fields(options))


async def test_a_per_call_timeout_bounds_that_call_only() -> None:
    async with hostile_server(routed(delay=1.0)) as server:
        async with CallRail(
            api_key="k", account_id=ACC, base_url=server.base_url, max_retries=0, timeout=30
        ) as client:
            started = time.monotonic()
            with pytest.raises(RequestTimeoutError):
                await client.with_options(timeout=0.2).calls.get(CALL)
            assert time.monotonic() - started < 0.9
            assert client.options.timeout == 30
            call = await client.calls.get(CALL)  # the parent still waits the full second
            assert call.id == CALL


async def test_a_per_call_max_retries_changes_the_attempts_and_keeps_the_policy() -> None:
    policy = RetryPolicy(max_retries=3, backoff_base=0.001, max_backoff=0.002)
    async with hostile_server(always(503)) as server:
        async with CallRail(
            api_key="k", account_id=ACC, base_url=server.base_url, retry=policy
        ) as client:
            quick = client.with_options(max_retries=0)
            assert quick.options.retry == dataclasses.replace(policy, max_retries=0)
            with pytest.raises(ServerError):
                await quick.calls.get(CALL)
            assert len(server.requests) == 1
            with pytest.raises(ServerError):
                await client.calls.get(CALL)
            assert len(server.requests) == 1 + 4


async def test_derived_clients_share_the_session_and_one_account_discovery() -> None:
    async with hostile_server(routed()) as server:
        async with CallRail(api_key="k", base_url=server.base_url) as client:
            child = client.with_options(timeout=5)
            grandchild = child.with_options(user_agent="mine/1")
            await asyncio.gather(
                client.calls.get(CALL), child.calls.get(CALL), grandchild.calls.get(CALL)
            )
            assert await grandchild.resolve_account_id() == ACC
            other = client.for_account(OTHER)
            await other.calls.get(CALL)
            assert child._transport.pool is client._transport.pool
            assert other._transport.pool is client._transport.pool
            await child.close()  # a derived client's close leaves the parent working
            await client.calls.get(CALL)
        with pytest.raises(ClientClosedError):
            await grandchild.calls.get(CALL)
        with pytest.raises(ClientClosedError):
            client.with_options(timeout=1)
    lines = [r.line for r in server.requests]
    assert sum(" /v3/a.json" in line for line in lines) == 1
    assert sum(f"/a/{OTHER}/" in line for line in lines) == 1
    agents = [r.headers.get("user-agent") for r in server.requests]
    assert agents.count("mine/1") == 1


async def test_with_options_refuses_what_a_derived_client_cannot_change() -> None:
    async with CallRail(api_key="k", account_id=ACC) as client:
        bad: list[dict[str, Any]] = [
            {"api_key": "other"},
            {"base_url": "https://example.com/v3/"},
            {"proxy": "http://127.0.0.1:1"},
            {"rate_limits": RateLimits.unlimited()},
            {"retry": RetryPolicy(), "max_retries": 1},
            {"connection_id": "conn-1"},  # direct mode has no connections
            {"timeout": -1},
            {"total_timeout": float("nan")},
            {"page_concurrency": 0},
            {"user_agent": "a\r\nX-Injected: 1"},
            {"account_id": "../other"},
        ]
        for overrides in bad:
            with pytest.raises(ConfigurationError):
                client.with_options(**overrides)
        assert client.options.timeout == 30.0


def test_conflicting_constructor_knobs_are_refused() -> None:
    limiter = RateLimiter(RateLimits())
    cases: list[dict[str, Any]] = [
        {"retry": RetryPolicy(), "max_retries": 3},
        {"limiter": limiter, "rate_limits": RateLimits.unlimited()},
        {"limiter": limiter, "rate_limit_store": SqliteBucketStore(":memory:")},
        {"session": "SESSION", "connection_limit": 4},
        {"session": "SESSION", "proxy": "http://127.0.0.1:3128"},
        {"session": "SESSION", "trust_env": True},
    ]
    for case in cases:
        with pytest.raises(ConfigurationError) as caught:
            CallRail(api_key="k", **case)
        assert "not both" in str(caught.value) or "session=" in str(caught.value)


async def test_a_caller_session_with_defaults_is_still_accepted() -> None:
    async with hostile_server(routed()) as server, aiohttp.ClientSession() as session:
        async with CallRail(
            api_key="k", account_id=ACC, base_url=server.base_url, session=session
        ) as client:
            assert (await client.with_options(timeout=3).calls.get(CALL)).id == CALL
        assert not session.closed


async def test_with_connection_is_with_options_and_rediscovers_the_account() -> None:
    async with CallRail(maton_api_key="m", connection_id="conn-1", account_id=ACC) as client:
        other = client.with_connection("conn-2")
        assert other.connection_id == "conn-2"
        assert other.options.account_id is None  # another connection is another account
        same = client.with_options(connection_id="conn-1")
        assert same.options.account_id == ACC
        with pytest.raises(ConfigurationError):
            client.with_connection("bad\nid")
