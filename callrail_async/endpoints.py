"""The table of CallRail endpoints and the SDK methods that call them, read from the code.

``python -m callrail_async.endpoints`` prints it as Markdown (it is in the README).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from .resources import NAMESPACES
from .resources._base import Endpoint
from .resources.connections import ConnectionsResource


@dataclass(frozen=True, order=True)
class EndpointRow:
    """One endpoint: HTTP method, path below ``/v3/`` (or the gateway root), SDK method."""

    path: str
    method: str
    sdk: str


def endpoint_table() -> list[EndpointRow]:
    """Every endpoint a resource method is marked with, sorted by path and method."""
    rows = []
    namespaces = {**NAMESPACES, "connections": ConnectionsResource}
    for name, cls in namespaces.items():
        for attr, function in inspect.getmembers(cls, inspect.isfunction):
            mark: Endpoint | None = getattr(function, "__callrail_endpoint__", None)
            if mark is not None:
                sdk = f"client.{name}.{attr}"
                rows.append(EndpointRow(path=mark.template, method=mark.method, sdk=sdk))
    return sorted(rows)


def markdown() -> str:
    """The table as Markdown."""
    lines = ["| Method | Path | SDK method |", "|---|---|---|"]
    for row in endpoint_table():
        shown = row.path if row.path.startswith("/") else f"/v3/{row.path}"
        lines.append(f"| {row.method} | `{shown}` | `{row.sdk}()` |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
