"""Only the SDK's exceptions escape, and none carries the query, a header or the key
(issue #12 problems 4 and 5), whatever a hostile server on 127.0.0.1 sends."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from callrail_async import (
    CallRail,
    CallRailError,
    ManualClock,
    ResponseDecodeError,
    TransportError,
)

from .hostile import ACC, CALL, Handler, Request, Server, hostile_server, replying
from .hostile import response as http_response

SECRET = "sk-live-0123456789abcdef"
SEARCH = "+1 555 0100 Jane Doe"
PERSONAL = ("Jane", "555", "0100", "search", "access_key", "rec-secret")

NON_FINITE_CALLS = [
    b'{"id": "CAL1", "duration": "inf"}',
    b'{"id": "CAL1", "duration": "1e999"}',
    b'{"id": "CAL1", "duration": 1e999}',
    b'{"id": "CAL1", "duration": "-1e999"}',
    b'{"id": "CAL1", "duration": "NaN"}',
    b'{"id": "CAL1", "duration": ' + b"9" * 5000 + b"}",
]
DEEP = b"[" * 1200 + b"]" * 1200


def api(server: Server, **kwargs: Any) -> CallRail:
    kwargs.setdefault("max_retries", 0)
    return CallRail(
        api_key=SECRET, account_id=ACC, base_url=server.base_url, clock=ManualClock(), **kwargs
    )


@pytest.mark.parametrize("body", NON_FINITE_CALLS, ids=lambda b: b[22:40].decode())
async def test_non_finite_and_overflowing_numbers_are_a_decode_error(body: bytes) -> None:
    async with hostile_server(replying(http_response(body=body))) as server:
        async with api(server) as client:
            try:
                call = await client.calls.get(CALL)
            except ResponseDecodeError as exc:
                assert exc.status == 200 and "undecodable" in str(exc)
            else:  # a lenient model may keep the value: then it is a finite int or None
                assert call.duration is None or isinstance(call.duration, int)


DEEP_CASES: list[tuple[str, int, bytes, Callable[[CallRail], Awaitable[object]]]] = [
    ("record", 200, b'{"id": "CAL1", "tags": ' + DEEP + b"}", lambda c: c.calls.get(CALL)),
    (
        "page",
        200,
        b'{"page": 1, "total_pages": 1, "calls": [' + DEEP + b"]}",
        lambda c: c.calls.list(relative=False).collect(),
    ),
    ("error body", 500, b'{"error": ' + DEEP + b"}", lambda c: c.calls.get(CALL)),
    ("errors body", 422, b'{"errors": {"a": ' + DEEP + b"}}", lambda c: c.calls.get(CALL)),
    (
        "raw export page",
        200,
        b'{"page": 1, "total_pages": 1, "calls": [' + DEEP + b"]}",
        lambda c: c.calls.list(relative=False).raw().collect(),
    ),
]


@pytest.mark.parametrize(("status", "body", "call"), [c[1:] for c in DEEP_CASES],
                         ids=[c[0] for c in DEEP_CASES])  # fmt: skip
async def test_deep_nesting_is_a_typed_error_not_a_recursion_error(
    status: int, body: bytes, call: Callable[[CallRail], Awaitable[object]]
) -> None:
    async with hostile_server(replying(http_response(status, body))) as server:
        async with api(server) as client:
            with pytest.raises(CallRailError) as info:
                await call(client)
    assert len(str(info.value)) < 2000


MALFORMED = [
    b"HTTP/1.1 abc OK\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: xyz\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nBroken header line\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 20000 + b"\r\n\r\n",
    b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"calls": [',
    b"NOT HTTP AT ALL\r\n\r\n",
]


def _chain(exc: BaseException | None) -> list[BaseException]:
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


def _texts(exc: BaseException) -> list[str]:
    texts = []
    for link in _chain(exc):
        texts += [str(link), repr(link), repr(vars(link)) if hasattr(link, "__dict__") else ""]
    return texts


def assert_nothing_secret(texts: list[str]) -> None:
    for text in texts:
        assert SECRET not in text and "Authorization" not in text and "Token token" not in text
        for word in PERSONAL:
            assert word not in text, (word, text[:300])


@pytest.mark.parametrize("reply", MALFORMED, ids=lambda r: r[:24].decode(errors="replace"))
async def test_a_malformed_response_error_and_logs_carry_no_query_and_no_header(
    reply: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="callrail_async")
    async with hostile_server(replying(reply, close=True)) as server:
        async with api(server, max_retries=2) as client:
            with pytest.raises(TransportError) as info:
                await client.calls.list(search=SEARCH, relative=False).collect()
    assert info.value.url.endswith("/calls.json") and info.value.method == "GET"
    assert server.requests and "Jane" in server.requests[0].line  # the query was sent...
    assert len(caplog.records) == 2  # ... the two retries were logged, without it
    assert_nothing_secret(_texts(info.value) + [r.getMessage() for r in caplog.records])


async def test_a_failed_download_chains_no_aiohttp_request_headers(tmp_path: Path) -> None:
    async with hostile_server(replying(MALFORMED[0], close=True)) as server:
        async with api(server) as client:
            with pytest.raises(TransportError) as info:
                await client.text_messages.download_media("SCI1", 0, tmp_path / "media.jpg")
    assert server.requests[0].headers["authorization"] == f'Token token="{SECRET}"'
    assert info.value.__cause__ is None
    assert_nothing_secret(_texts(info.value))


async def _download_from(storage: Handler, tmp_path: Path) -> tuple[Server, CallRailError]:
    """Download a recording whose link (with its access key) points at ``storage``."""
    async with hostile_server(storage) as store:
        link = store.base_url + "recording?access_key=rec-secret"
        body = b'{"url": "%s"}' % link.encode()
        async with hostile_server(replying(http_response(body=body))) as server:
            async with api(server) as client:
                with pytest.raises(CallRailError) as info:
                    await client.calls.download_recording(CALL, tmp_path / "call.mp3")
    return store, info.value


async def test_a_failed_recording_download_shows_no_access_key(tmp_path: Path) -> None:
    storage, error = await _download_from(replying(MALFORMED[1], close=True), tmp_path)
    assert isinstance(error, TransportError)
    assert "access_key=rec-secret" in storage.requests[0].line
    assert_nothing_secret(_texts(error))


async def test_an_error_status_on_download_is_typed_without_the_query(tmp_path: Path) -> None:
    async def forbidden(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
        writer.write(http_response(403, b'{"error": "expired link"}'))

    _, error = await _download_from(forbidden, tmp_path)
    assert "expired link" in str(error)
    assert_nothing_secret(_texts(error))
