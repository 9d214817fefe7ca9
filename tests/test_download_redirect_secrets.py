"""A recording's storage URL carries a signature in its query (whoever holds it can fetch
the recording): a failing download does not print it, wherever the failure names a URL."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from callrail_async import CallRail, TransportError

from .hostile import ACC, CALL, Request, Server, hostile_server

SIGNED = "X-Amz-Signature=s3cr3tsignature"
FIRST = "access_key=aaaabbbbccccdddd"  # the link's own query (CallRail's redirect URL)


def redirecting(location: str) -> object:
    async def handle(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
        head = f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n"
        writer.write(head.encode())
        await writer.drain()

    return handle


def api(storage: str) -> object:
    async def handle(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
        body = b'{"url": "%s"}' % storage.encode()
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        await writer.drain()

    return handle


@pytest.mark.parametrize(
    "location",
    [f"ftp://storage.example/rec.mp3?{SIGNED}", f"http://[not a host/rec.mp3?{SIGNED}"],
)
async def test_a_redirect_the_download_cannot_follow_keeps_its_signature(
    tmp_path: Path, location: str
) -> None:
    async with hostile_server(redirecting(location)) as storage:  # type: ignore[arg-type]
        link = storage.base_url.replace("/v3/", f"/rec.mp3?{FIRST}")
        async with hostile_server(api(link)) as server:  # type: ignore[arg-type]
            async with CallRail(api_key="k", account_id=ACC, base_url=server.base_url) as client:
                with pytest.raises(TransportError) as caught:
                    await client.calls.download_recording(CALL, tmp_path / "call.mp3")
    said = " ".join([str(caught.value), repr(caught.value), *map(str, caught.value.args)])
    assert "s3cr3t" not in said and "aaaabbbb" not in said, said
    assert "Redirect" in said  # what went wrong is still said
