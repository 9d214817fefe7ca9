"""Maton connections: the CallRail accounts connected to a Maton key (gateway mode only)."""

from __future__ import annotations

from typing import Literal

from msgspec import UNSET, UnsetType
from yarl import URL

from .. import _validate
from .._transport import Transport, decode_nothing
from ..models.bodies import ConnectionCreate
from ..models.connections import Connection, ConnectionEnvelope, ConnectionList
from ._base import endpoint, json_decoder

Status = Literal["ACTIVE", "PENDING", "FAILED"]
Method = Literal["API_KEY", "BASIC", "OAUTH1", "OAUTH2", "MCP"]


class ConnectionsResource:
    """``client.connections``: list, create, get and delete Maton connections."""

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __repr__(self) -> str:
        return "ConnectionsResource()"

    def _url(self, suffix: str = "") -> URL:
        return self._transport.base_url.with_path("/connections" + suffix)

    @endpoint("GET", "/connections")
    async def list(self, *, status: Status | None = None) -> list[Connection]:
        """The key's CallRail connections, optionally only those with ``status``."""
        _validate.choice("status", status, {"ACTIVE", "PENDING", "FAILED"})
        query = [("app", "callrail")] + ([("status", status)] if status else [])
        found = await self._transport.request(
            "GET", self._url(), json_decoder(ConnectionList), params=query
        )
        return found.connections or []

    @endpoint("POST", "/connections")
    async def create(self, *, method: Method | UnsetType = UNSET) -> Connection:
        """Start connecting a CallRail account: open the returned ``url`` to authorize."""
        body = ConnectionCreate(app="callrail", method=method)
        envelope = await self._transport.request(
            "POST", self._url(), json_decoder(ConnectionEnvelope), json=body
        )
        return envelope.connection

    @endpoint("GET", "/connections/{connection_id}")
    async def get(self, connection_id: str) -> Connection:
        """One connection."""
        conn = _validate.resource_id("connection_id", connection_id)
        envelope = await self._transport.request(
            "GET", self._url(f"/{conn}"), json_decoder(ConnectionEnvelope)
        )
        return envelope.connection

    @endpoint("DELETE", "/connections/{connection_id}")
    async def delete(self, connection_id: str) -> None:
        """Remove a connection."""
        conn = _validate.resource_id("connection_id", connection_id)
        await self._transport.request("DELETE", self._url(f"/{conn}"), decode_nothing)
