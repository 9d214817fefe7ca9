"""The Maton gateway's ``/connections`` API: list, create, get and delete connections."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from aiohttp import web

from ._context import json_response, read_body
from ._errors import SandboxError

Connection = dict[str, Any]
STATUSES = frozenset({"ACTIVE", "PENDING", "FAILED"})


def new_connection(
    seed: int, account: int | None, status: str, now: float, serial: int
) -> Connection:
    """Connection number ``serial`` (never reused), for ``account`` (an index; None: not
    linked yet). Its id is a function of the seed and serial only, the same in every run."""
    stamp = _iso_micro(now)
    digest = hashlib.md5(f"{seed}:connection:{serial}".encode(), usedforsecurity=False)
    connection_id = str(uuid.UUID(bytes=digest.digest(), version=4))
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
        "serial": serial,
    }


def _iso_micro(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _public(connection: Connection) -> Connection:
    return {k: v for k, v in connection.items() if k not in ("account", "serial")}


async def serve_connections(
    request: web.Request,
    connections: list[Connection],
    seed: int,
    now: float,
    next_serial: Callable[[], int],
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
            body = await read_body(request) or {}
            if body.get("app") != "callrail":
                raise SandboxError(400, "app is required (callrail)")
            connection = new_connection(seed, None, "PENDING", now, next_serial())
            connections.append(connection)
            return json_response({"connection": _public(connection)})
        raise SandboxError(405, "Method not allowed")
    found = [c for c in connections if c["connection_id"] == parts[1]]
    if len(parts) != 2 or not found:
        raise SandboxError(404, "Connection not found")
    if request.method == "GET":
        return json_response({"connection": _public(found[0])})
    if request.method == "DELETE":
        # The gateway answers with the removed connection (a JSON body, not a bare 204).
        connections.remove(found[0])
        return json_response({"connection": _public(found[0])})
    raise SandboxError(405, "Method not allowed")
