"""Outbound caller ids: list (per company), get, create, delete."""

from __future__ import annotations

from .. import _validate
from .._validate import IdLike
from ..models import CallerId
from ..models.bodies import CallerIdCreate
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a/{aid}/caller_ids.json")
_GET = Endpoint("GET", "a/{aid}/caller_ids/{caller_id_id}.json")
_CREATE = Endpoint("POST", "a/{aid}/caller_ids.json")
_DELETE = Endpoint("DELETE", "a/{aid}/caller_ids/{caller_id_id}.json")


class CallerIdsResource(Resource):
    """Numbers a company may show when calling out."""

    company_scope = "required"

    @endpoint(_LIST)
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[CallerId]:
        """List a company's outbound caller ids (``company_id`` is required)."""
        company = _validate.optional_resource_id("company_id", company_id, "COM")
        return self._list(
            _LIST,
            CallerId,
            "caller_ids",
            {"company_id": company},
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_GET)
    async def get(self, caller_id_id: IdLike) -> CallerId:
        """Get one caller id."""
        number = _validate.resource_id("caller_id_id", caller_id_id)
        return await self._get(_GET, CallerId, caller_id_id=number)

    @endpoint(_CREATE)
    async def create(self, *, company_id: IdLike, phone_number: str, name: str) -> CallerId:
        """Add a caller id: CallRail rings the number to verify it."""
        _validate.text("phone_number", phone_number, required=True)
        _validate.text("name", name, required=True)
        company = _validate.body_id("company_id", company_id, "COM")
        body = CallerIdCreate(company_id=company, phone_number=phone_number, name=name)
        return await self._write(_CREATE, CallerId, body)

    @endpoint(_DELETE)
    async def delete(self, caller_id_id: IdLike) -> None:
        """Delete a caller id."""
        number = _validate.resource_id("caller_id_id", caller_id_id)
        await self._delete(_DELETE, caller_id_id=number)
