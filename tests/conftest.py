"""Shared fixtures: the aioresponses workaround, fixture loading, a manual clock."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aioresponses.core
import pytest
from aiohttp import ClientResponse
from aioresponses import aioresponses as _aioresponses

from callrail_async import ManualClock

FIXTURES = Path(__file__).parent / "fixtures"


# --- WORKAROUND: delete once aioresponses releases a fix for issue #289 -------------------
# aiohttp 3.14 added a required ``stream_writer`` argument to ClientResponse.__init__;
# aioresponses 0.7.9 builds responses without it ("missing ... 'stream_writer'").
# This subclass supplies a stand-in writer (already-sent request, nothing written).
class _SentStreamWriter:
    output_size = 0


class _PatchedClientResponse(ClientResponse):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("stream_writer", _SentStreamWriter())
        super().__init__(*args, **kwargs)


@contextmanager
def mocked_http() -> Iterator[_aioresponses]:
    """aioresponses, made to work on aiohttp 3.14 (see the WORKAROUND above)."""
    original = aioresponses.core.ClientResponse
    aioresponses.core.ClientResponse = _PatchedClientResponse  # type: ignore[misc]
    try:
        with _aioresponses() as mocked:
            yield mocked
    finally:
        aioresponses.core.ClientResponse = original  # type: ignore[misc]


@pytest.fixture
def mock_http() -> Iterator[_aioresponses]:
    """The HTTP boundary, mocked (aioresponses with the workaround above)."""
    with mocked_http() as mocked:
        yield mocked


# --- end of WORKAROUND ----------------------------------------------------------------------


def load_fixture(name: str) -> Any:
    """A JSON fixture from tests/fixtures (CallRail's documented examples)."""
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def clock() -> ManualClock:
    """A simulated clock: sleeps return at once and are recorded."""
    return ManualClock()


@pytest.fixture(autouse=True)
def _no_credentials_in_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "CALLRAIL_API_KEY",
        "MATON_API_KEY",
        "MATON_CONNECTION",
        "CALLRAIL_BASE_URL",
        "CALLRAIL_ACCOUNT_ID",
    ):
        monkeypatch.delenv(name, raising=False)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real redis-server on 127.0.0.1, started for this test session.

    CI installs redis-server (.ci/run); on a machine without it these tests are skipped,
    except under CI=true, where a missing server is a failure.
    """
    import os
    import shutil

    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is not installed: .ci/run should have installed it")
        pytest.skip("redis-server is not installed")
    from benchmarks._common import redis_server

    with redis_server(binary) as url:
        yield url


@pytest.fixture(autouse=True)
def _fail_on_loop_errors() -> Iterator[None]:
    """Turn asyncio's "Task was destroyed but it is pending!" and other errors reported
    to the event loop's exception handler into test failures."""
    import asyncio

    reported: list[str] = []
    policy = asyncio.get_event_loop_policy()
    original = policy.new_event_loop

    def new_loop() -> asyncio.AbstractEventLoop:
        loop = original()
        loop.set_exception_handler(lambda _loop, context: reported.append(str(context)))
        return loop

    policy.new_event_loop = new_loop  # type: ignore[method-assign]
    try:
        yield
    finally:
        policy.new_event_loop = original  # type: ignore[method-assign]
    import gc

    gc.collect()
    assert not reported, reported
