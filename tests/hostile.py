"""Hostile HTTP servers of a few lines on 127.0.0.1: raw asyncio TCP, so they can send
what no well-behaved server would (bad status lines, endless bodies, gzip bombs)."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

ACC = "ACC8154748ae6bd4e278a7cddd38a662f4f"
CALL = "CAL8154748ae6bd4e278a7cddd38a662f4f"
CALL_JSON = b'{"id": "CAL8154748ae6bd4e278a7cddd38a662f4f", "duration": 4}'


@dataclass
class Request:
    """What the server received: the request line and headers (lower-cased names)."""

    line: str
    headers: dict[str, str]


@dataclass
class Server:
    """A running hostile server: its base URL, what it received and what it sent."""

    base_url: str
    requests: list[Request] = field(default_factory=list)
    bytes_sent: int = 0


Handler = Callable[[Request, asyncio.StreamWriter, Server], Awaitable[None]]


async def read_request(reader: asyncio.StreamReader) -> Request | None:
    """One request's line and headers (the body, if any, is read and dropped)."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        return None
    line, *rest = head.decode("latin-1").split("\r\n")
    headers = {}
    for item in rest:
        if ":" in item:
            name, value = item.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    if length:
        await reader.readexactly(length)
    return Request(line, headers)


@contextlib.asynccontextmanager
async def hostile_server(handler: Handler) -> AsyncIterator[Server]:
    """Serve ``handler`` (called per request, keep-alive) on 127.0.0.1."""
    server_state = Server(base_url="")
    tasks: set[asyncio.Task[None]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        tasks.add(task)
        try:
            while (request := await read_request(reader)) is not None:
                server_state.requests.append(request)
                await handler(request, writer, server_state)
                if writer.is_closing():
                    break
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            tasks.discard(task)
            writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server_state.base_url = f"http://127.0.0.1:{port}/v3/"
    try:
        yield server_state
    finally:
        server.close()
        for task in list(tasks):
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await server.wait_closed()


def response(
    status: int = 200, body: bytes = CALL_JSON, headers: dict[str, str] | None = None
) -> bytes:
    """A complete, well-framed HTTP/1.1 response."""
    fields = {"Content-Type": "application/json", "Content-Length": str(len(body))}
    fields.update(headers or {})
    head = f"HTTP/1.1 {status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields.items())
    return head.encode("latin-1") + b"\r\n" + body


def replying(data: bytes, *, delay: float = 0.0, close: bool = False) -> Handler:
    """A handler that waits ``delay`` then sends ``data`` (and closes, if asked)."""

    async def handle(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
        await asyncio.sleep(delay)
        writer.write(data)
        server.bytes_sent += len(data)
        await writer.drain()
        if close:
            writer.close()

    return handle


def gzip_bomb(decoded_mib: int) -> bytes:
    """A gzip body that inflates to ``decoded_mib`` MiB of zeros (one member per 4 MiB, so
    it is about 4 KiB per 4 MiB)."""
    member = gzip.compress(bytes(4 << 20), compresslevel=9)
    return member * max(1, decoded_mib // 4)
