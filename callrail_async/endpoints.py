"""The table of CallRail endpoints and the SDK methods that call them, read from the code.

``python -m callrail_async.endpoints`` prints it as Markdown (it is in the README).
"""

from __future__ import annotations

from dataclasses import dataclass

from .client import CallRail
from .resources._base import marked_endpoints
from .resources.connections import ConnectionsResource


@dataclass(frozen=True, order=True)
class EndpointRow:
    """One endpoint: HTTP method, path below ``/v3/`` (or the gateway root), SDK method."""

    path: str
    method: str
    sdk: str


def endpoint_table() -> list[EndpointRow]:
    """Every endpoint a resource method is marked with, sorted by path and method."""
    namespaces = {**CallRail.namespaces(), "connections": ConnectionsResource}
    return sorted(
        EndpointRow(path=mark.template, method=mark.method, sdk=f"client.{name}.{attr}")
        for name, cls in namespaces.items()
        for attr, mark in marked_endpoints(cls)
    )


def markdown() -> str:
    """The table as Markdown."""
    lines = ["| Method | Path | SDK method |", "|---|---|---|"]
    for row in endpoint_table():
        shown = row.path if row.path.startswith("/") else f"/v3/{row.path}"
        lines.append(f"| {row.method} | `{shown}` | `{row.sdk}()` |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown())
