"""Downloads (recordings, MMS media): streamed to a temporary file beside the destination,
renamed over it once complete, bounded by ``max_download_bytes``, under the call's deadline."""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
from yarl import URL

from . import _failures, _protocol
from .errors import CallRailError, ClientClosedError, InvalidArgumentError, UnsafeURLError

if TYPE_CHECKING:
    from ._transport import Transport, _Call


async def download(transport: Transport, url: str | URL, destination: Path, chunk_size: int) -> int:
    """:meth:`Transport.download`."""
    target = URL(url) if isinstance(url, str) else url
    if target.scheme not in ("https", "http") or not target.host:
        shown = _protocol.without_query(str(url))
        raise UnsafeURLError(f"not a downloadable URL: {shown!r}", str(url))
    if destination.name in ("", ".", ".."):
        raise InvalidArgumentError(
            f"destination must name a file, got {str(destination)!r} (a directory)"
        )
    call = transport._start("GET", target)
    # At most 100 characters of the name: the temporary name must fit where the name did.
    temporary = destination.with_name(f".{destination.name[:100]}.{secrets.token_hex(4)}.part")
    try:
        work = _download(transport, call, (temporary, destination), chunk_size)
        return await transport._under_deadline(call, work)
    finally:
        with contextlib.suppress(OSError):  # never replace the call's own outcome
            temporary.unlink(missing_ok=True)


async def _download(
    transport: Transport, call: _Call, files: tuple[Path, Path], chunk_size: int
) -> int:
    temporary, destination = files
    target = call.url
    ours = (target.scheme, target.host, target.port) == (
        transport.base_url.scheme,
        transport.base_url.host,
        transport.base_url.port,
    )
    headers = {"User-Agent": transport._headers.get("User-Agent", "callrail-async")}
    if ours:
        headers = dict(transport._headers)
    failure: CallRailError
    try:
        call.phase = "connection wait"
        async with transport.pool.slot() as session:
            call.phase = "waiting for response"
            async with session.get(
                target,
                headers=headers,
                timeout=transport._download_timeout,
                allow_redirects=not ours,
            ) as response:
                call.phase = "reading body"
                if response.status >= 300:
                    body = await _failures.read_body(
                        response, _failures.ERROR_BODY_BYTES, truncate=True
                    )
                    failure = _failures.api_error(response.status, body, "GET", target, None, 0)
                else:
                    limit = transport.max_download_bytes
                    announced = response.content_length
                    if (
                        announced is not None
                        and announced > limit
                        and not response.headers.get("Content-Encoding")
                    ):
                        raise _failures.too_large(limit, target, "GET", 0, "max_download_bytes")
                    written = await _write_stream(response, temporary, chunk_size, limit)
                    if written > limit:
                        raise _failures.too_large(limit, target, "GET", 0, "max_download_bytes")
                    os.replace(temporary, destination)  # complete: now it may be seen
                    return written
    except CallRailError:
        raise
    except TimeoutError:
        failure = call.timed_out(transport._timeout or 0.0, total=False)
    except _failures.NETWORK_FAILURES as exc:
        failure = _failures.network_error(exc, target, "GET", 0)
    if transport.closed:
        failure = ClientClosedError("this client was closed while the download was running")
    raise failure  # outside `except`: aiohttp's exception (headers, URL) is not chained


async def _write_stream(
    response: aiohttp.ClientResponse, path: Path, chunk_size: int, limit: int
) -> int:
    """Write the decoded body to ``path``; stop as soon as it goes over ``limit`` and return
    a count over the limit (the caller refuses it)."""
    written = 0
    with open(path, "xb") as handle:  # noqa: ASYNC230 - small writes between awaits
        async for chunk in response.content.iter_chunked(chunk_size):
            written += len(chunk)
            if written > limit:
                break
            handle.write(chunk)
    return written
