"""``max_download_bytes`` bounds every downloaded file as decoded: an announced length over
it is refused before reading, an unannounced or compressed body is cut as it crosses it,
and the destination is left as it was."""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

import pytest

from callrail_async import CallRail, ResponseTooLargeError

from .hostile import ACC, CALL, Request, Server, hostile_server

LIMIT = 1 << 20


def serving(file: bytes, *, framing: str) -> object:
    async def handle(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
        if "recording.json" in request.line:
            link = server.base_url.replace("/v3/", "/storage/rec.mp3")
            body = b'{"url": "%s"}' % link.encode()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
            await writer.drain()
            return
        if framing == "length":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(file) + file)
        elif framing == "gzip":
            packed = gzip.compress(file, compresslevel=9)
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: %d\r\n\r\n"
                % len(packed)
                + packed
            )
        else:  # chunked, no length announced
            writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            for start in range(0, len(file), 65536):
                part = file[start : start + 65536]
                writer.write(b"%x\r\n" % len(part) + part + b"\r\n")
                server.bytes_sent += len(part)
                await writer.drain()
            writer.write(b"0\r\n\r\n")
        await writer.drain()

    return handle


@pytest.mark.parametrize("framing", ["length", "chunked", "gzip"])
async def test_a_file_over_the_limit_is_refused_and_the_destination_kept(
    tmp_path: Path, framing: str
) -> None:
    destination = tmp_path / "call.mp3"
    destination.write_bytes(b"previous")
    file = bytes((48 if framing == "chunked" else 8) * LIMIT)
    async with hostile_server(serving(file, framing=framing)) as server:  # type: ignore[arg-type]
        async with CallRail(
            api_key="k", account_id=ACC, base_url=server.base_url, max_download_bytes=LIMIT
        ) as api:
            with pytest.raises(ResponseTooLargeError, match="max_download_bytes") as caught:
                await api.calls.download_recording(CALL, destination)
    assert caught.value.limit == LIMIT
    assert destination.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["call.mp3"]
    if framing == "chunked":
        # Stopped reading, not drained to the end (socket buffers hold a few MiB more).
        assert server.bytes_sent < 16 * LIMIT


@pytest.mark.parametrize("framing", ["length", "chunked", "gzip"])
async def test_a_file_of_exactly_the_limit_is_written(tmp_path: Path, framing: str) -> None:
    file = b"ID3" + bytes(LIMIT - 3)
    async with hostile_server(serving(file, framing=framing)) as server:  # type: ignore[arg-type]
        async with CallRail(
            api_key="k", account_id=ACC, base_url=server.base_url, max_download_bytes=LIMIT
        ) as api:
            assert await api.calls.download_recording(CALL, tmp_path / "call.mp3") == LIMIT
    assert (tmp_path / "call.mp3").read_bytes() == file


async def test_the_limit_can_be_set_for_one_download(tmp_path: Path) -> None:
    file = bytes(2 * LIMIT)
    async with hostile_server(serving(file, framing="length")) as server:  # type: ignore[arg-type]
        async with CallRail(api_key="k", account_id=ACC, base_url=server.base_url) as api:
            assert api.options.max_download_bytes == 1 << 30
            with pytest.raises(ResponseTooLargeError):
                await api.with_options(max_download_bytes=LIMIT).calls.download_recording(
                    CALL, tmp_path / "a.mp3"
                )
            assert await api.calls.download_recording(CALL, tmp_path / "b.mp3") == 2 * LIMIT
