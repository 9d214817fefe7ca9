"""The Maton gateway's ``/connections`` API: list, create, get and delete connections."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from aiohttp import web

from ._context import json_response, read_json_body
from ._errors import SandboxError

Connection = dict[str, Any]
STATUSES = frozenset({"ACTIVE", "PENDING", "FAILED"})


def new_connection(seed: int, account: int | None, status: str, now: float, n: int) -> Connection:
    """The ``n``-th connection, for ``account`` (an index; None: not linked yet)."""
    stamp = _iso_micro(now + n)
    connection_id = str(uuid.UUID(int=(hash((seed, account, stamp)) & (2**128 - 1))))
    return {
        "connection_id": connection_id,
        "status": status,
        "creation_time": stamp,
        "last_updated_time": stamp,
        "url": f"https://connect.maton.ai/?session_token={connection_id.replace('-', '')}",
        "app": "callrail",
        "method": "OAUTH2",
        "metadata": {},
        "account": account,
    }


def _iso_micro(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _public(connection: Connection) -> Connection:
    return {k: v for k, v in connection.items() if k != "account"}


async def serve_connections(
    request: web.Request, connections: list[Connection], seed: int, now: float
) -> web.StreamResponse:
    """Answer a request under ``/connections`` (the Maton key is already checked)."""
    parts = request.path.strip("/").split("/")
    if len(parts) == 1:
        if request.method == "GET":
            app, status = request.query.get("app"), request.query.get("status")
            if status and status not in STATUSES:
                raise SandboxError(400, f"Invalid status: {status}")
            shown = [
                _public(c)
                for c in connections
                if (not app or c["app"] == app) and (not status or c["status"] == status)
            ]
            return json_response({"connections": shown})
        if request.method == "POST":
            body = await read_json_body(request) or {}
            if body.get("app") != "callrail":
                raise SandboxError(400, "app is required (callrail)")
            connection = new_connection(seed, None, "PENDING", now, len(connections))
            connections.append(connection)
            return json_response({"connection": _public(connection)})
        raise SandboxError(405, "Method not allowed")
    found = [c for c in connections if c["connection_id"] == parts[1]]
    if len(parts) != 2 or not found:
        raise SandboxError(404, "Connection not found")
    if request.method == "GET":
        return json_response({"connection": _public(found[0])})
    if request.method == "DELETE":
        connections.remove(found[0])
        return web.Response(status=204)
    raise SandboxError(405, "Method not allowed")
