"""An aiohttp web service that reads recent calls and tags them, on one shared client.

    export CALLRAIL_API_KEY=...          # or MATON_API_KEY; CALLRAIL_BASE_URL for a sandbox
    python examples/aiohttp_service.py --port 8081
    curl localhost:8081/calls?days=7
    curl -X POST localhost:8081/calls/CAL.../tags -d '{"tags": ["Follow up"]}'

One ``CallRail`` client lives as long as the application (aiohttp's ``cleanup_ctx``): its
session, connection pool and rate budget are shared by every request the service handles.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import AsyncIterator

import msgspec
from aiohttp import web

from callrail_async import CallRail, CallRailError, NotFoundError

CLIENT = web.AppKey("client", CallRail)


class TagRequest(msgspec.Struct):
    """The body of ``POST /calls/{id}/tags``."""

    tags: list[str]


async def _client_lifetime(app: web.Application) -> AsyncIterator[None]:
    async with CallRail() as client:
        app[CLIENT] = client
        yield


async def recent_calls(request: web.Request) -> web.Response:
    """``GET /calls?days=N``: the calls of the last N days (at most 500), newest first."""
    days = int(request.query.get("days", "7"))
    end = dt.date.today()
    calls = await (
        request.app[CLIENT]
        .calls.list(start_date=end - dt.timedelta(days=days), end_date=end, fields=["tags"])
        .collect(limit=500)
    )
    rows = [
        {
            "id": str(call.id),
            "start_time": call.start_time.isoformat() if call.start_time else None,
            "duration": call.duration,
            "answered": call.answered,
            "tags": [str(tag) for tag in call.tags or []],
        }
        for call in sorted(calls, key=lambda c: c.start_time or dt.datetime.min, reverse=True)
    ]
    return web.json_response(rows)


async def tag_call(request: web.Request) -> web.Response:
    """``POST /calls/{call_id}/tags``: add tags to a call; answers its tags afterwards."""
    try:
        body = msgspec.json.decode(await request.read(), type=TagRequest)
    except msgspec.DecodeError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from None
    try:
        call = await request.app[CLIENT].calls.update(
            request.match_info["call_id"], tags=body.tags, append_tags=True
        )
    except ValueError as exc:  # refused before sending: a malformed id or tag
        raise web.HTTPBadRequest(text=str(exc)) from None
    except NotFoundError:
        raise web.HTTPNotFound(text="no such call") from None
    except CallRailError as exc:
        raise web.HTTPBadGateway(text=str(exc)) from None
    return web.json_response({"id": str(call.id), "tags": [str(t) for t in call.tags or []]})


def create_app() -> web.Application:
    """The service, with its client opened on start-up and closed on shutdown."""
    app = web.Application()
    app.cleanup_ctx.append(_client_lifetime)
    app.router.add_get("/calls", recent_calls)
    app.router.add_post("/calls/{call_id}/tags", tag_call)
    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081)
    web.run_app(create_app(), host="127.0.0.1", port=parser.parse_args().port)
