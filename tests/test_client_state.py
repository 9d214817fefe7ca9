"""A closed client refuses use, one client belongs to one event loop (issue #12 problem 6),
header-bound options are checked at construction (problem 9), a failed download leaves no
partial file (problem 10)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from callrail_async import (
    CallRail,
    CallRailError,
    ClientClosedError,
    ConfigurationError,
    InvalidArgumentError,
    RequestTimeoutError,
    TransportError,
    WrongEventLoopError,
)
from callrail_async.testing import Sandbox

from .hostile import ACC, CALL, Request, Server, hostile_server, replying
from .hostile import response as http_response


def client(base_url: str, **kwargs: Any) -> CallRail:
    return CallRail(api_key="k", account_id=ACC, base_url=base_url, **kwargs)


async def test_a_closed_client_refuses_use_and_opens_no_new_session() -> None:
    async with hostile_server(replying(http_response())) as server:
        api = client(server.base_url)
        await api.calls.get(CALL)
        await api.close()
        for use in (lambda: api.calls.get(CALL), lambda: api.calls.list().collect()):
            with pytest.raises(ClientClosedError):
                await use()
        with pytest.raises(ClientClosedError):
            api._transport.session  # noqa: B018 - the property is the behaviour under test
    assert len(server.requests) == 1
    # An "Unclosed client session" would be reported to the loop: conftest fails on it.


async def test_a_client_closed_before_first_use_never_creates_a_session() -> None:
    async with hostile_server(replying(http_response())) as server:
        api = client(server.base_url)
        await api.close()
        with pytest.raises(ClientClosedError):
            await api.calls.get(CALL)
    assert server.requests == []


async def test_closing_during_iteration_ends_the_iteration_with_client_closed() -> None:
    async with Sandbox(calls=3000, span_days=30, latency=0.01) as sandbox:
        api = sandbox.client()
        seen = 0
        with pytest.raises(ClientClosedError):
            async for _call in api.calls.list(relative=False, per_page=50, concurrency=4):
                seen += 1
                if seen == 120:
                    await api.close()
        assert 120 <= seen < 3000


async def test_closing_during_a_relative_listing_ends_it_too() -> None:
    async with Sandbox(calls=3000, span_days=30, latency=0.01) as sandbox:
        api = sandbox.client()
        paginator = api.calls.list(per_page=50, relative=True)
        task = asyncio.create_task(paginator.collect())
        await asyncio.sleep(0.1)
        await api.close()
        with pytest.raises(ClientClosedError):
            await task


async def test_a_with_connection_child_after_its_parent_closed() -> None:
    async with Sandbox(calls=10, accounts=2) as sandbox:
        second = sandbox.connections[1]["connection_id"]
        parent = sandbox.maton_client()
        child = parent.with_connection(second)
        await child.resolve_account_id()
        await child.close()  # the shared session stays open for the parent...
        with pytest.raises(ClientClosedError):
            await child.calls.list().collect()  # ... but the closed child refuses use
        await parent.resolve_account_id()
        other = parent.with_connection(second)
        await parent.close()
        with pytest.raises(ClientClosedError):
            await other.calls.list().collect()
        with pytest.raises(ClientClosedError):
            parent.with_connection(second)


def test_a_client_used_from_a_second_event_loop_raises_a_typed_error() -> None:
    first, second = asyncio.new_event_loop(), asyncio.new_event_loop()
    try:

        async def scenario() -> None:
            async with hostile_server(replying(http_response())) as server:
                api = client(server.base_url)
                await api.calls.get(CALL)
                try:
                    with pytest.raises(WrongEventLoopError):
                        await asyncio.wrap_future(
                            asyncio.run_coroutine_threadsafe(api.calls.get(CALL), second)
                        )
                finally:
                    await api.close()

        import threading

        runner = threading.Thread(target=second.run_forever, daemon=True)
        runner.start()
        first.run_until_complete(scenario())
        second.call_soon_threadsafe(second.stop)
        runner.join(5)
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"api_key": "key\x00"}, "api_key"),
        ({"api_key": "ke\ty"}, "api_key"),
        ({"maton_api_key": "m\x7fk"}, "maton_api_key"),
        ({"maton_api_key": "mk", "connection_id": "conn\x00"}, "connection_id"),
        ({"maton_api_key": "mk", "connection_id": "c\r\nX-Evil: 1"}, "connection_id"),
        ({"api_key": "k", "user_agent": "agent\r\nX-Evil: 1"}, "user_agent"),
        ({"api_key": "k", "user_agent": "agent\x00"}, "user_agent"),
        ({"api_key": "k", "user_agent": "agent\x85x"}, "user_agent"),  # NEL, a C1 control
        ({"api_key": "k", "user_agent": "agent\u2028x"}, "user_agent"),  # line separator
        ({"api_key": "k\u2029k"}, "api_key"),  # paragraph separator
        ({"maton_api_key": "mk", "connection_id": "c\x9bx"}, "connection_id"),  # C1 CSI
        ({"api_key": "k", "max_body_bytes": 0}, "max_body_bytes"),
        ({"api_key": "k", "total_timeout": float("inf")}, "total_timeout"),
        ({"api_key": "k", "timeout": float("nan")}, "timeout"),
        ({"api_key": "k", "connection_limit": 0}, "connection_limit"),
    ],
)
def test_header_bound_and_numeric_options_are_checked_naming_the_argument(
    kwargs: dict[str, Any], name: str
) -> None:
    with pytest.raises(ConfigurationError, match=name) as info:
        CallRail(**kwargs)
    assert "key\x00" not in str(info.value) and "m\x7fk" not in str(info.value)


@pytest.mark.parametrize("cut", ["reset", "timeout"])
async def test_a_failed_download_leaves_no_partial_file(tmp_path: Path, cut: str) -> None:
    async def half(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
        if "recording.json" in request.line:
            link = server.base_url.replace("/v3/", "/storage/rec.mp3")
            writer.write(http_response(body=b'{"url": "%s"}' % link.encode()))
            return
        writer.write(http_response(body=b"ID3" + b"x" * 997)[:-500])
        await writer.drain()
        if cut == "reset":
            writer.close()
        else:
            await asyncio.sleep(5)

    destination = tmp_path / "call.mp3"
    destination.write_bytes(b"the previous recording")
    async with hostile_server(half) as server, client(server.base_url, timeout=0.3) as api:
        with pytest.raises(RequestTimeoutError if cut == "timeout" else TransportError):
            await api.calls.download_recording(CALL, destination)
    assert destination.read_bytes() == b"the previous recording"
    assert [p.name for p in tmp_path.iterdir()] == ["call.mp3"]


async def _recording(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
    if "recording.json" in request.line:
        link = server.base_url.replace("/v3/", "/storage/rec.mp3")
        writer.write(http_response(body=b'{"url": "%s"}' % link.encode()))
    else:
        writer.write(http_response(body=b"ID3" + b"x" * 997))


async def test_a_download_replaces_the_destination_only_when_complete(tmp_path: Path) -> None:
    destination = tmp_path / "call.mp3"
    destination.write_bytes(b"old")
    async with hostile_server(_recording) as server, client(server.base_url) as api:
        assert await api.calls.download_recording(CALL, destination) == 1000
    assert destination.read_bytes() == b"ID3" + b"x" * 997
    assert [p.name for p in tmp_path.iterdir()] == ["call.mp3"]


async def test_a_download_that_cannot_be_put_in_place_is_a_typed_error(tmp_path: Path) -> None:
    (tmp_path / "call.mp3").mkdir()  # a directory where the file should go
    async with hostile_server(_recording) as server, client(server.base_url) as api:
        with pytest.raises(TransportError, match="IsADirectoryError"):
            await api.calls.download_recording(CALL, tmp_path / "call.mp3")
    assert [p.name for p in tmp_path.iterdir()] == ["call.mp3"]


async def test_a_refused_argument_is_a_callrail_error_and_a_value_error() -> None:
    async with CallRail(api_key="k", account_id=ACC) as api:
        with pytest.raises(InvalidArgumentError, match="call_id") as info:
            await api.calls.get("CAL1/../x")
    assert isinstance(info.value, CallRailError) and isinstance(info.value, ValueError)


async def _stalled_recording(
    request: Request, writer: asyncio.StreamWriter, server: Server
) -> None:
    if "recording.json" in request.line:
        link = server.base_url.replace("/v3/", "/storage/rec.mp3")
        writer.write(http_response(body=b'{"url": "%s"}' % link.encode()))
        return
    writer.write(http_response(body=b"ID3" + b"x" * 99997)[:-90000])  # then nothing more
    await writer.drain()
    await asyncio.sleep(30)


CLOSED_MID_CALL = {
    "retry sleep": replying(http_response(429, b'{"error": "slow"}', {"Retry-After": "60"})),
    "waiting for response": replying(http_response(), delay=30),
    "download streaming": _stalled_recording,
}


@pytest.mark.parametrize("where", list(CLOSED_MID_CALL))
async def test_closing_ends_a_call_in_progress_at_once(where: str, tmp_path: Path) -> None:
    destination = tmp_path / "call.mp3"
    async with hostile_server(CLOSED_MID_CALL[where]) as server:
        api = client(server.base_url)
        if where == "download streaming":
            task = asyncio.create_task(api.calls.download_recording(CALL, destination))
        else:
            task = asyncio.create_task(api.calls.get(CALL))
        await asyncio.sleep(0.3)
        await api.close()
        done, _ = await asyncio.wait([task], timeout=2)
        assert done, f"the call kept waiting after close ({where})"
        with pytest.raises(ClientClosedError):
            task.result()
    assert list(tmp_path.iterdir()) == []  # no partial download left behind


async def test_closing_a_child_ends_its_calls_not_its_parents() -> None:
    async with hostile_server(replying(http_response(), delay=1)) as server:
        parent = CallRail(maton_api_key="m", base_url=server.base_url, account_id=ACC)
        child = parent.with_connection("conn1")
        childs = asyncio.create_task(child.calls.get(CALL))
        parents = asyncio.create_task(parent.calls.get(CALL))
        await asyncio.sleep(0.3)
        await child.close()
        with pytest.raises(ClientClosedError):
            await asyncio.wait_for(childs, 0.5)
        assert (await parents).id == CALL
        await parent.close()


async def test_a_task_cancelled_while_its_client_closes_stays_cancelled() -> None:
    async with hostile_server(replying(http_response(), delay=30)) as server:
        api = client(server.base_url)
        task = asyncio.create_task(api.calls.get(CALL))
        await asyncio.sleep(0.3)
        task.cancel()
        await api.close()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_closing_ends_a_call_waiting_in_the_rate_limiter() -> None:
    from callrail_async import RateLimits, Window

    limits = RateLimits(general=[Window(limit=2, seconds=3600, burst=1)], maton=None)
    async with hostile_server(replying(http_response())) as server:
        api = client(server.base_url, rate_limits=limits)
        await api.calls.get(CALL)  # the only token: the next call waits half an hour
        task = asyncio.create_task(api.calls.get(CALL))
        await asyncio.sleep(0.3)
        await api.close()
        with pytest.raises(ClientClosedError):
            await asyncio.wait_for(task, 2)
    assert len(server.requests) == 1


def test_closing_from_a_second_event_loop_is_a_typed_error_and_still_closes() -> None:
    async def use(server: Server) -> CallRail:
        api = client(server.base_url)
        await api.calls.get(CALL)
        return api

    async def scenario() -> None:
        async with hostile_server(replying(http_response())) as server:
            api = await use(server)
            try:
                with pytest.raises(WrongEventLoopError):
                    await asyncio.get_running_loop().run_in_executor(
                        None, asyncio.run, api.close()
                    )  # asyncio.run(client.close()) after the client's loop: a common slip
                with pytest.raises(ClientClosedError):
                    await api.calls.get(CALL)  # refused after the attempted close
            finally:
                await api.close()  # from the right loop it closes the session
        assert len(server.requests) == 1

    asyncio.run(scenario())


@pytest.mark.parametrize("destination", [".", "/", "", "dir/.."])
async def test_a_download_destination_without_a_file_name_is_refused(
    destination: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dir").mkdir()
    async with hostile_server(_recording) as server, client(server.base_url) as api:
        with pytest.raises(InvalidArgumentError, match="destination"):
            await api.calls.download_recording(CALL, destination)
    assert [p.name for p in tmp_path.iterdir()] == ["dir"]


async def test_a_download_to_a_file_name_of_the_longest_length_works(tmp_path: Path) -> None:
    destination = tmp_path / ("r" * 251 + ".mp3")  # 255 bytes: the longest name ext4 allows
    async with hostile_server(_recording) as server, client(server.base_url) as api:
        assert await api.calls.download_recording(CALL, destination) == 1000
    assert [p.name for p in tmp_path.iterdir()] == [destination.name]
