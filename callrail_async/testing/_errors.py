"""Errors the sandbox answers with, in the body shape the sandbox is set to emit."""

from __future__ import annotations

import html

import msgspec
from aiohttp import web

from ._knobs import ErrorStyle


class SandboxError(Exception):
    """Answer the current request with ``status`` and CallRail's error ``message``."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def error_response(
    status: int, message: str, style: ErrorStyle, headers: dict[str, str] | None = None
) -> web.Response:
    """An error response: ``{"error": ...}`` as CallRail documents, or an undocumented shape."""
    if style == "errors":
        return web.Response(
            status=status,
            body=msgspec.json.encode({"errors": {"base": [message]}}),
            content_type="application/json",
            headers=headers,
        )
    if style == "text":
        return web.Response(status=status, text=message, headers=headers)
    if style == "html":
        page = (
            f"<html><head><title>{status} Error</title></head><body>"
            f"<center><h1>{status} Error</h1></center><hr><p>{html.escape(message)}</p>"
            "<center>nginx</center></body></html>"
        )
        return web.Response(status=status, text=page, content_type="text/html", headers=headers)
    return web.Response(
        status=status,
        body=msgspec.json.encode({"error": message}),
        content_type="application/json",
        headers=headers,
    )
