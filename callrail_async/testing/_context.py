"""What a sandbox handler receives, and the small response helpers they share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import msgspec
from aiohttp import web
from multidict import MultiMapping

from ._data import AccountData
from ._errors import SandboxError

if TYPE_CHECKING:
    from ._server import Sandbox

MAX_PER_PAGE = 250


@dataclass
class Ctx:
    """One API request as a handler sees it."""

    request: web.Request
    sandbox: Sandbox
    account: AccountData | None
    account_key: str
    params: Mapping[str, str]
    maton: bool
    body: dict[str, Any] | None
    match: dict[str, str]
    visible: list[AccountData]

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
        return self.sandbox.clock.time()


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
