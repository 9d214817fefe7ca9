"""A CallRail webhook receiver as a plain ASGI app (Starlette, FastAPI, Litestar, uvicorn...).

    export CALLRAIL_SIGNING_KEY=...
    uvicorn examples.webhook_asgi:app --port 8083

No framework is needed: :func:`callrail_async.webhooks.verify_and_parse` checks the
signature, parses the typed event and checks freshness; the app reads the body with a size
limit of its own and answers with each error's ``status``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from callrail_async.webhooks import WebhookError, WebhookEvent, verify_and_parse

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

MAX_BODY = 1024 * 1024
RECEIVED: list[WebhookEvent] = []  # stand-in for your queue


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The body, or ``None`` as soon as it grows past ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _answer(send: Send, status: int, payload: dict[str, object]) -> None:
    body = json.dumps(payload).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def make_app(signing_key: str) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    """An ASGI app that accepts CallRail webhooks at ``POST /callrail``."""
    if not signing_key:
        raise ValueError("set CALLRAIL_SIGNING_KEY to the company's webhook signing key")

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if scope["method"] != "POST" or scope["path"] != "/callrail":
            await _answer(send, 404, {"error": "not found"})
            return
        body = await _read_body(receive, MAX_BODY)
        if body is None:
            await _answer(send, 413, {"error": "body too large"})
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            event = verify_and_parse(body, headers, signing_key)
        except WebhookError as exc:
            await _answer(send, exc.status, {"error": str(exc)})
            return
        RECEIVED.append(event)
        await _answer(send, 200, {"ok": True})

    return app


app = make_app(os.environ.get("CALLRAIL_SIGNING_KEY", ""))  # uvicorn examples.webhook_asgi:app
