"""Companies: list, get, create, update, disable, bulk update."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypedDict, Unpack

from .. import _validate
from ..enums import COMPANY_STATUSES, CompanyStatus, Order
from ..models import BulkUpdateResult, Company
from ..pagination import AsyncPaginator
from ._base import Resource, endpoint

COMPANY_FIELDS = frozenset({"verified_caller_ids"})


class CompanyFields(TypedDict, total=False):
    """Company settings for create/update (only those given are sent)."""

    time_zone: str
    callscore_enabled: bool
    keyword_spotting_enabled: bool
    callscribe_enabled: bool
    swap_exclude_jquery: bool | None
    swap_ppc_override: bool | None
    swap_landing_override: str | None
    swap_cookie_duration: int
    swap_cookie_duration_unit: str
    external_form_capture: bool


class CompaniesResource(Resource):
    """The account's companies."""

    @endpoint("GET", "a/{aid}/companies.json")
    def list(
        self,
        *,
        status: CompanyStatus | None = None,
        search: str | None = None,
        sort: str | None = None,
        order: Order | None = None,
        fields: Iterable[str] | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Company]:
        """List companies."""
        _validate.sort_order(sort, order, {"name"})
        params = {
            "status": _validate.choice("status", status, COMPANY_STATUSES),
            "search": _validate.text("search", search),
            "sort": sort,
            "order": order,
            "fields": _validate.field_list(fields, COMPANY_FIELDS),
        }
        return self._list(
            "companies.json", Company, "companies", params,
            per_page=per_page, max_items=max_items, concurrency=concurrency,
        )  # fmt: skip

    @endpoint("GET", "a/{aid}/companies/{company_id}.json")
    async def get(self, company_id: str, *, fields: Iterable[str] | None = None) -> Company:
        """Get one company."""
        company = _validate.resource_id("company_id", company_id, "COM")
        params = {"fields": _validate.field_list(fields, COMPANY_FIELDS)}
        return await self._get(f"companies/{company}.json", Company, params)

    @endpoint("POST", "a/{aid}/companies.json")
    async def create(self, *, name: str, **fields: Unpack[CompanyFields]) -> Company:
        """Create a company."""
        _validate.text("name", name, required=True)
        return await self._write("POST", "companies.json", Company, {"name": name, **fields})

    @endpoint("PUT", "a/{aid}/companies/{company_id}.json")
    async def update(
        self, company_id: str, *, name: str | None = None, **fields: Unpack[CompanyFields]
    ) -> Company:
        """Update a company; only the settings given are sent."""
        company = _validate.resource_id("company_id", company_id, "COM")
        body = {**({"name": _validate.text("name", name, required=True)} if name else {}), **fields}
        return await self._write("PUT", f"companies/{company}.json", Company, body)

    @endpoint("DELETE", "a/{aid}/companies/{company_id}.json")
    async def disable(self, company_id: str) -> None:
        """Disable a company (CallRail keeps it, with status ``disabled``)."""
        await self._delete(
            f"companies/{_validate.resource_id('company_id', company_id, 'COM')}.json"
        )

    @endpoint("POST", "a/{aid}/companies/bulk_update.json")
    async def bulk_update(
        self, company_ids: Sequence[str] | str, *, external_form_capture: bool
    ) -> BulkUpdateResult:
        """Turn external form capture on or off for several companies (or ``"all"``)."""
        ids = ["all"] if company_ids == "all" else [
            _validate.resource_id("company_ids", c, "COM") for c in company_ids
        ]  # fmt: skip
        body = {"company_ids": ids, "external_form_capture": external_form_capture}
        return await self._write("POST", "companies/bulk_update.json", BulkUpdateResult, body)
