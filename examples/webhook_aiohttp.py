"""A CallRail webhook receiver on aiohttp: verified, typed events, answered at once.

    export CALLRAIL_SIGNING_KEY=...      # the company's signing key, from CallRail
    python examples/webhook_aiohttp.py --port 8082
    # CallRail's webhook URL: https://your.host/callrail (behind your TLS proxy)

CallRail does not resend a webhook, and disables an integration whose deliveries keep
failing: answer quickly and hand slow work to a queue.
"""

from __future__ import annotations

import argparse
import asyncio
import os

from aiohttp import web

from callrail_async.webhooks import (
    CallModifiedEvent,
    PostCallEvent,
    TextReceivedEvent,
    WebhookEvent,
    webhook_handler,
)

QUEUE = web.AppKey("queue", asyncio.Queue[WebhookEvent])


def create_app(signing_key: str) -> web.Application:
    """The receiver: ``POST /callrail`` puts each verified event on the app's queue."""
    app = web.Application()
    queue: asyncio.Queue[WebhookEvent] = asyncio.Queue()
    app[QUEUE] = queue

    async def on_event(event: WebhookEvent) -> None:
        await queue.put(event)

    async def worker(app: web.Application) -> None:
        while True:
            event = await app[QUEUE].get()
            if isinstance(event, PostCallEvent):
                source = event.source or event.callsource or "unknown source"
                print(f"post-call {event.resource_id}: {event.duration}s from {source}")
            elif isinstance(event, CallModifiedEvent):
                print(f"call {event.resource_id} changed: {event.changes}")
            elif isinstance(event, TextReceivedEvent):
                print(f"text {event.resource_id} received")
            else:
                print(f"{type(event).__name__} received")

    async def run_worker(app: web.Application):  # type: ignore[no-untyped-def]
        task = asyncio.create_task(worker(app))
        yield
        task.cancel()

    app.cleanup_ctx.append(run_worker)
    app.router.add_post(
        "/callrail", webhook_handler(signing_key=signing_key, on_event=on_event, kind=None)
    )
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8082)
    port = parser.parse_args().port
    web.run_app(create_app(os.environ["CALLRAIL_SIGNING_KEY"]), host="127.0.0.1", port=port)
