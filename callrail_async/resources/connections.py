"""Maton connections: the CallRail accounts connected to a Maton key (gateway mode only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, TypeVar

from msgspec import UNSET, UnsetType

from .. import _protocol, _validate
from .._transport import Transport, decode_nothing
from ..models.bodies import ConnectionCreate
from ..models.connections import Connection, ConnectionEnvelope, ConnectionList
from ._base import Endpoint, endpoint, json_decoder

_LIST = Endpoint("GET", "/connections")
_CREATE = Endpoint("POST", "/connections")
_GET = Endpoint("GET", "/connections/{connection_id}")
_DELETE = Endpoint("DELETE", "/connections/{connection_id}")

T = TypeVar("T")
Status = Literal["ACTIVE", "PENDING", "FAILED"]
Method = Literal["API_KEY", "BASIC", "OAUTH1", "OAUTH2", "MCP"]


class ConnectionsResource:
    """``client.connections``: list, create, get and delete Maton connections."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return "ConnectionsResource()"

    async def _request(
        self,
        target: Endpoint,
        decode: Callable[[bytes], T],
        *,
        params: _protocol.Query | None = None,
        json: object = None,
        **path: str,
    ) -> T:
        """Send ``target`` below the gateway root (its template starts with ``/``)."""
        url = self._transport.base_url.with_path(target.path(**path))
        return await self._transport.request(target.method, url, decode, params=params, json=json)

    @endpoint(_LIST)
    async def list(self, *, status: Status | None = None) -> list[Connection]:
        """The key's CallRail connections, optionally only those with ``status``."""
        _validate.choice("status", status, {"ACTIVE", "PENDING", "FAILED"})
        query = [("app", "callrail")] + ([("status", status)] if status else [])
        found = await self._request(_LIST, json_decoder(ConnectionList), params=query)
        return found.connections or []

    @endpoint(_CREATE)
    async def create(self, *, method: Method | UnsetType = UNSET) -> Connection:
        """Start connecting a CallRail account: open the returned ``url`` to authorize."""
        body = ConnectionCreate(app="callrail", method=method)
        envelope = await self._request(_CREATE, json_decoder(ConnectionEnvelope), json=body)
        return envelope.connection

    @endpoint(_GET)
    async def get(self, connection_id: str) -> Connection:
        """One connection."""
        conn = _validate.resource_id("connection_id", connection_id)
        envelope = await self._request(_GET, json_decoder(ConnectionEnvelope), connection_id=conn)
        return envelope.connection

    @endpoint(_DELETE)
    async def delete(self, connection_id: str) -> None:
        """Remove a connection."""
        conn = _validate.resource_id("connection_id", connection_id)
        await self._request(_DELETE, decode_nothing, connection_id=conn)
