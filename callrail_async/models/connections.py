"""Maton gateway connection models."""

from typing import Any

from ._types import Model, Timestamp


class Connection(Model):
    """A Maton connection to a CallRail account (OAuth through the gateway)."""

    connection_id: str
    status: str | None = None
    creation_time: Timestamp | None = None
    last_updated_time: Timestamp | None = None
    url: str | None = None
    app: str | None = None
    method: str | None = None
    metadata: dict[str, Any] | None = None


class ConnectionList(Model):
    """``GET /connections``."""

    connections: list[Connection] | None = None


class ConnectionEnvelope(Model):
    """``{"connection": {...}}``."""

    connection: Connection
