"""What a sandbox handler receives, and the small response helpers they share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgspec
from aiohttp import web
from multidict import MultiMapping

from ..clock import Clock
from ._errors import SandboxError
from ._knobs import LiveTraffic
from ._model import AccountData

MAX_PER_PAGE = 250


@dataclass
class Ctx:
    """One API request as a handler sees it: the request, what the gateway resolved
    (credentials' accounts, the account in the path, Maton or direct) and the knobs
    handlers honour (clock, live traffic, extra call fields, where links point)."""

    request: web.Request
    clock: Clock
    account: AccountData | None
    account_key: str
    params: Mapping[str, str]
    maton: bool
    body: dict[str, Any] | None
    match: dict[str, str]
    visible: list[AccountData]
    link_origin: str
    live: LiveTraffic | None = None
    extra_call_fields: Mapping[str, Any] | None = None

    @property
    def query(self) -> MultiMapping[str]:
        """The raw query (for Rails arrays such as ``tags[]``)."""
        return self.request.query

    @property
    def acct(self) -> AccountData:
        """The account in the path (handlers under ``a/{id}/`` always have one)."""
        assert self.account is not None
        return self.account

    def array(self, name: str) -> list[str]:
        """A Rails array param: ``name[]=a&name[]=b`` or ``name=a,b``."""
        values = list(self.query.getall(f"{name}[]", []))
        if not values and self.query.get(name):
            values = [v for v in self.query[name].split(",") if v]
        return values

    def require_body(self) -> dict[str, Any]:
        """The JSON body of a write (CallRail answers 406 to anything else)."""
        if self.body is None:
            raise SandboxError(406, "Parameters must be sent as JSON")
        return self.body

    def now(self) -> float:
        """The sandbox's current time."""
        return self.clock.time()


def json_response(payload: Any, status: int = 200) -> web.Response:
    """A JSON response."""
    return web.Response(
        status=status, body=msgspec.json.encode(payload), content_type="application/json"
    )


def page_params(params: Mapping[str, str]) -> tuple[int, int]:
    """``(page, per_page)``, validated as CallRail does."""
    try:
        per_page = int(params.get("per_page", "100"))
        page = int(params.get("page", "1"))
    except ValueError:
        raise SandboxError(400, "page and per_page must be integers") from None
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise SandboxError(400, f"per_page must be between 1 and {MAX_PER_PAGE}")
    if page < 1:
        raise SandboxError(400, "page must be greater than 0")
    return page, per_page


def offset_envelope(key: str, total: int, page: int, per_page: int) -> dict[str, Any]:
    """The offset-pagination metadata."""
    return {
        "page": page,
        "per_page": per_page,
        "total_pages": -(-total // per_page),
        "total_records": total,
        key: [],
    }


def check_choice(name: str, value: str | None, allowed: frozenset[str] | set[str]) -> None:
    """400 unless ``value`` is one of ``allowed``."""
    if value is not None and value not in allowed:
        raise SandboxError(400, f"Invalid {name}: {value}")


def public(record: dict[str, Any]) -> dict[str, Any]:
    """A stored record without the sandbox's private ``_…`` keys."""
    return {k: v for k, v in record.items() if not k.startswith("_")}


def single_params(request: web.Request) -> dict[str, str]:
    """The query's scalar parameters (Rails arrays, ``name[]``, are read with ``array``)."""
    return {k: v for k, v in request.query.items() if not k.endswith("[]")}


async def read_body(request: web.Request, *, multipart: bool = False) -> dict[str, Any] | None:
    """A write's JSON object body (None for GET, HEAD and DELETE; ``{}`` when empty).

    Where ``multipart`` (sending a text with ``media_file``), a multipart/form-data body
    is read too: fields as strings, files as ``{"filename", "content_type", "size"}``.
    """
    if request.method in ("GET", "HEAD", "DELETE"):
        return None
    if multipart and request.content_type == "multipart/form-data":
        form = await request.post()
        fields: dict[str, Any] = {}
        for name, value in form.items():
            if isinstance(value, str):
                fields[name] = value
            elif isinstance(value, web.FileField):
                size = len(value.file.read())
                fields[name] = {
                    "filename": value.filename,
                    "content_type": value.content_type,
                    "size": size,
                }
            else:
                fields[name] = bytes(value).decode(errors="replace")
        return fields
    raw = await request.read()
    if not raw.strip():
        return {}
    if request.content_type != "application/json":
        raise SandboxError(406, "Parameters must be sent as JSON (Content-Type: application/json)")
    try:
        body = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise SandboxError(400, "Invalid JSON body") from None
    if not isinstance(body, dict):
        raise SandboxError(400, "The JSON body must be an object")
    return body
