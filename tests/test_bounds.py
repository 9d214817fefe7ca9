"""Every wait and every body is bounded, whatever a hostile server on 127.0.0.1 sends:
``Retry-After`` (issue #12 problem 1), ``total_timeout`` and the per-attempt timeout
(problem 2), ``max_body_bytes`` (problem 3)."""

from __future__ import annotations

import asyncio
import logging
import time
import tracemalloc
from typing import Any

import pytest
from aiohttp import web

from callrail_async import (
    CallRail,
    ManualClock,
    RateLimitError,
    RateLimits,
    RequestTimeoutError,
    ResponseTooLargeError,
    RetryPolicy,
    ServerError,
    Window,
)
from callrail_async._transport import DEFAULT_MAX_BODY_BYTES

from .hostile import ACC, CALL, CALL_JSON, Request, Server, gzip_bomb, hostile_server, replying
from .hostile import response as http_response

HUGE_WAITS = ["100000", "Fri, 31 Dec 2099 23:59:59 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "9" * 400]
UNUSABLE_WAITS = ["inf", "1e309", "-5", "nan", "soon"]


def client(base_url: str, **kwargs: Any) -> CallRail:
    return CallRail(api_key="k", account_id=ACC, base_url=base_url, **kwargs)


async def _rate_limited(retry_after: str) -> tuple[RateLimitError, list[float], list[float]]:
    """Three 429s with this Retry-After against the default memory limiter: the error,
    the pauses left in the limiter, and every wait the client took."""
    reply = http_response(429, b'{"error": "slow down"}', {"Retry-After": retry_after})
    clock = ManualClock()
    policy = RetryPolicy(max_retries=2, max_retry_after=5.0)
    async with hostile_server(replying(reply)) as server:
        async with client(
            server.base_url, clock=clock, retry=policy, rate_limits=RateLimits()
        ) as api:
            with pytest.raises(RateLimitError) as info:
                await api.calls.get(CALL)
            paused = [s.next_slot_in for s in await api.rate_limit_status()]
    return info.value, paused, clock.sleeps


@pytest.mark.parametrize("retry_after", HUGE_WAITS)
async def test_a_huge_retry_after_pauses_the_shared_limiter_only_the_policy_maximum(
    retry_after: str,
) -> None:
    error, paused, sleeps = await _rate_limited(retry_after)
    assert error.retry_after == 5.0
    assert max(paused) == pytest.approx(5.0)  # the store holds the clamp, not the header
    assert max(sleeps) <= 5.0  # backoff and limiter waits alike


@pytest.mark.parametrize("retry_after", UNUSABLE_WAITS)
async def test_an_unusable_retry_after_is_ignored(retry_after: str) -> None:
    error, paused, sleeps = await _rate_limited(retry_after)
    assert error.retry_after is None
    # The limiter's own pause after a 429 (one request's share of its tightest window).
    assert max(paused) < 10 and max(sleeps) < 10


async def test_total_timeout_bounds_a_slow_response() -> None:
    async with hostile_server(replying(http_response(), delay=2.5)) as server:
        async with client(server.base_url, total_timeout=0.5) as api:
            started = time.monotonic()
            with pytest.raises(RequestTimeoutError) as info:
                await api.calls.get(CALL)
    assert time.monotonic() - started < 1.5
    assert info.value.total and info.value.phase == "waiting for response"
    assert "total_timeout of 0.5s passed during waiting for response" in str(info.value)


async def test_total_timeout_bounds_a_body_trickled_byte_by_byte() -> None:
    async def trickle(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
        writer.write(http_response(body=b"")[:-2].replace(b"Length: 0", b"Length: 1000"))
        writer.write(b"\r\n")
        for _ in range(1000):
            writer.write(b" ")
            await writer.drain()
            await asyncio.sleep(0.02)

    async with hostile_server(trickle) as server, client(server.base_url, total_timeout=0.5) as api:
        started = time.monotonic()
        with pytest.raises(RequestTimeoutError) as info:
            await api.calls.get(CALL)
    assert time.monotonic() - started < 1.5
    assert info.value.phase == "reading body"


async def test_total_timeout_bounds_the_rate_limit_wait() -> None:
    limits = RateLimits(general=[Window(limit=2, seconds=3600, burst=1)], maton=None)
    async with hostile_server(replying(http_response())) as server:
        async with client(server.base_url, rate_limits=limits, total_timeout=0.5) as api:
            await api.calls.get(CALL)  # the only token
            started = time.monotonic()
            with pytest.raises(RequestTimeoutError) as info:
                await api.calls.get(CALL)  # the next one refills in about half an hour
    assert time.monotonic() - started < 1.5
    assert info.value.phase == "rate-limit wait"
    assert len(server.requests) == 1


async def test_total_timeout_bounds_the_wait_for_a_connection() -> None:
    import aiohttp

    async with hostile_server(replying(http_response(), delay=1.5)) as server:
        connector = aiohttp.TCPConnector(limit=1)
        async with aiohttp.ClientSession(connector=connector) as session:
            busy = client(server.base_url, session=session)
            hurried = client(server.base_url, session=session, total_timeout=0.4)
            holder = asyncio.create_task(busy.calls.get(CALL))
            await asyncio.sleep(0.1)
            with pytest.raises(RequestTimeoutError) as info:
                await hurried.calls.get(CALL)
            await holder
    assert info.value.phase == "connection wait"


async def test_per_attempt_timeout_starts_once_a_connection_is_held(
    caplog: pytest.LogCaptureFixture,
) -> None:
    served = 0

    async def slow(request: web.Request) -> web.Response:
        nonlocal served
        served += 1
        await asyncio.sleep(0.1)
        return web.Response(body=CALL_JSON, content_type="application/json")

    app = web.Application()
    app.router.add_get("/{tail:.*}", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}/v3/"
    caplog.set_level(logging.WARNING, logger="callrail_async")
    try:
        async with client(base, timeout=1.0, connection_limit=8) as api:
            calls = await asyncio.gather(*(api.calls.get(CALL) for _ in range(200)))
    finally:
        await runner.cleanup()
    assert len(calls) == 200 and served == 200  # 2.5 s of queueing, no attempt timed out
    assert not [r for r in caplog.records if r.getMessage().startswith("retrying")]


def test_the_default_body_limit_is_the_documented_64_mib() -> None:
    assert DEFAULT_MAX_BODY_BYTES == 64 * 1024 * 1024
    assert client("http://127.0.0.1:9/v3/")._transport.max_body_bytes == DEFAULT_MAX_BODY_BYTES


@pytest.mark.parametrize(("size", "fits"), [(1000, True), (1001, False)])
async def test_max_body_bytes_is_exact(size: int, fits: bool) -> None:
    body = CALL_JSON[:-1] + b" " * (size - len(CALL_JSON)) + b"}"
    async with hostile_server(replying(http_response(body=body))) as server:
        async with client(server.base_url, max_body_bytes=1000, max_retries=3) as api:
            if fits:
                assert (await api.calls.get(CALL)).duration == 4
            else:
                with pytest.raises(ResponseTooLargeError) as info:
                    await api.calls.get(CALL)
                assert info.value.limit == 1000 and len(server.requests) == 1  # not retried


async def test_a_gzip_bomb_is_stopped_at_the_default_limit_as_it_inflates() -> None:
    bomb = gzip_bomb(1024)  # 1 GiB of zeros in about 1 MiB
    headers = {"Content-Encoding": "gzip"}
    async with hostile_server(replying(http_response(body=bomb, headers=headers))) as server:
        async with client(server.base_url) as api:
            tracemalloc.start()
            try:
                with pytest.raises(ResponseTooLargeError):
                    await api.calls.get(CALL)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
    assert peak < 2 * DEFAULT_MAX_BODY_BYTES  # not the gigabyte it inflates to


async def test_an_endless_chunked_body_is_cut_at_the_limit() -> None:
    chunk = b"%x\r\n%s\r\n" % (1 << 16, b" " * (1 << 16))

    async def endless(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        while server.bytes_sent < 400 << 20:
            writer.write(chunk)
            server.bytes_sent += len(chunk)
            await writer.drain()

    async with hostile_server(endless) as server, client(server.base_url) as api:
        with pytest.raises(ResponseTooLargeError):
            await api.calls.get(CALL)
        sent = server.bytes_sent
    assert sent < DEFAULT_MAX_BODY_BYTES + (16 << 20)  # the client hung up at the limit


async def test_a_huge_error_body_still_gives_the_status_and_a_snippet() -> None:
    body = b'{"error": "overloaded"}' + b" " * (10 << 20)
    async with hostile_server(replying(http_response(503, body))) as server:
        async with client(server.base_url, max_retries=0) as api:
            with pytest.raises(ServerError) as info:
                await api.calls.get(CALL)
    assert info.value.status == 503 and len(info.value.body) <= 501
