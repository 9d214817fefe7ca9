"""``proxy=`` and ``trust_env=``: requests go through a proxy only when told to (loopback)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from callrail_async import CallRail, CallRailError, ConfigurationError

ACC = "ACC1"
ANSWER = b'{"id": "ACC1", "name": "Through the proxy"}'


@asynccontextmanager
async def _recording_proxy() -> AsyncIterator[tuple[str, list[str]]]:
    """A few-line HTTP proxy stand-in: records each request line, answers a canned account."""
    lines: list[str] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        lines.append(head.split(b"\r\n", 1)[0].decode())
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(ANSWER), ANSWER)
        )
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}", lines


# A base URL nobody listens on: only a proxy can answer for it.
BASE = "http://127.0.0.1:9/v3/"


async def test_proxy_option_sends_requests_through_the_proxy() -> None:
    async with _recording_proxy() as (proxy, lines):
        async with CallRail(api_key="k", base_url=BASE, proxy=proxy, max_retries=0) as client:
            account = await client.accounts.get(ACC)
    assert account.name == "Through the proxy"
    assert lines == [f"GET {BASE}a/{ACC}.json HTTP/1.1"]


async def test_proxy_variables_are_ignored_unless_trust_env(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with _recording_proxy() as (proxy, lines):
        monkeypatch.setenv("HTTP_PROXY", proxy)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with CallRail(api_key="k", base_url=BASE, max_retries=0, timeout=2) as client:
            with pytest.raises(CallRailError):  # nothing listens on port 9
                await client.accounts.get(ACC)
        assert lines == []
        async with CallRail(api_key="k", base_url=BASE, trust_env=True, max_retries=0) as client:
            assert (await client.accounts.get(ACC)).name == "Through the proxy"
        assert len(lines) == 1


@pytest.mark.parametrize(
    "proxy", ["ftp://127.0.0.1:1", "127.0.0.1:3128", "http://", "http://p:1/path", "http://p\r\n:1"]
)
def test_a_malformed_proxy_is_refused_without_showing_it(proxy: str) -> None:
    with pytest.raises(ConfigurationError, match="proxy") as caught:
        CallRail(api_key="k", proxy=proxy)
    assert proxy not in str(caught.value)
