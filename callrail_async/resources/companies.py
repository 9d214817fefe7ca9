"""Companies: list, get, create, update, disable, bulk update."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, TypedDict, Unpack

from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..enums import COMPANY_STATUSES, CompanyStatus, Order
from ..models import BulkUpdateResult, Company
from ..models.bodies import CompanyBulkUpdate, CompanyCreate, CompanyUpdate
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a/{aid}/companies.json")
_GET = Endpoint("GET", "a/{aid}/companies/{company_id}.json")
_CREATE = Endpoint("POST", "a/{aid}/companies.json")
_UPDATE = Endpoint("PUT", "a/{aid}/companies/{company_id}.json")
_DISABLE = Endpoint("DELETE", "a/{aid}/companies/{company_id}.json")
_BULK_UPDATE = Endpoint("POST", "a/{aid}/companies/bulk_update.json")

CompanyField = Literal["verified_caller_ids"]


class CompanySettings(TypedDict, total=False):
    """Company settings for create/update, as keyword arguments (only those given are
    sent; ``None`` clears the ``swap_*`` overrides)."""

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

    company_scope = "none"

    @endpoint(_LIST)
    def list(
        self,
        *,
        status: CompanyStatus | None = None,
        search: str | None = None,
        sort: str | None = None,
        order: Order | None = None,
        fields: Iterable[CompanyField | str] | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Company]:
        """List companies."""
        _validate.sort_order(sort, order)
        params = {
            "status": _validate.choice("status", status, COMPANY_STATUSES),
            "search": _validate.text("search", search),
            "sort": sort,
            "order": order,
            "fields": _validate.field_list(fields),
        }
        return self._list(
            _LIST,
            Company,
            "companies",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_GET)
    async def get(
        self, company_id: IdLike, *, fields: Iterable[CompanyField | str] | None = None
    ) -> Company:
        """Get one company."""
        company = _validate.resource_id("company_id", company_id, "COM")
        params = {"fields": _validate.field_list(fields)}
        return await self._get(_GET, Company, params, company_id=company)

    @endpoint(_CREATE)
    async def create(self, *, name: str, **settings: Unpack[CompanySettings]) -> Company:
        """Create a company (``settings``: time zone, call scoring, swap options...)."""
        _validate.text("name", name, required=True)
        body = CompanyCreate(name=name, **settings)
        return await self._write(_CREATE, Company, body)

    @endpoint(_UPDATE)
    async def update(
        self,
        company_id: IdLike,
        *,
        name: str | UnsetType = UNSET,
        **settings: Unpack[CompanySettings],
    ) -> Company:
        """Update a company; only the arguments given are sent (even ``name=""``), and
        ``None`` clears a ``swap_*`` override."""
        company = _validate.resource_id("company_id", company_id, "COM")
        body = CompanyUpdate(name=name, **settings)
        return await self._write(_UPDATE, Company, body, company_id=company)

    @endpoint(_DISABLE)
    async def disable(self, company_id: IdLike) -> None:
        """Disable a company (CallRail keeps it, with status ``disabled``)."""
        company = _validate.resource_id("company_id", company_id, "COM")
        await self._delete(_DISABLE, company_id=company)

    @endpoint(_BULK_UPDATE)
    async def bulk_update(
        self, company_ids: Sequence[IdLike] | Literal["all"], *, external_form_capture: bool
    ) -> BulkUpdateResult:
        """Turn external form capture on or off for several companies (or ``"all"``)."""
        ids: list[IdLike] = (
            ["all"] if company_ids == "all" else _validate.body_ids("company_ids", company_ids)
        )
        body = CompanyBulkUpdate(company_ids=ids, external_form_capture=external_form_capture)
        return await self._write(_BULK_UPDATE, BulkUpdateResult, body)
