"""Companies: list and get."""

from __future__ import annotations

from collections.abc import Iterable

from .. import _validate
from ..enums import COMPANY_STATUSES, CompanyStatus, Order
from ..models import Company
from ..pagination import AsyncPaginator
from ._base import Resource

COMPANY_FIELDS = frozenset({"verified_caller_ids"})


class CompaniesResource(Resource):
    """The account's companies."""

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
        """List companies (``GET companies.json``)."""
        _validate.sort_order(sort, order, {"name"})
        params = {
            "status": _validate.choice("status", status, COMPANY_STATUSES),
            "search": _validate.text("search", search),
            "sort": sort,
            "order": order,
            "fields": _validate.field_list(fields, COMPANY_FIELDS),
        }
        return self._list(
            "companies.json",
            Company,
            "companies",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    async def get(self, company_id: str, *, fields: Iterable[str] | None = None) -> Company:
        """Get one company (``GET companies/{company_id}.json``)."""
        company = _validate.resource_id("company_id", company_id, "COM")
        params = {"fields": _validate.field_list(fields, COMPANY_FIELDS)}
        return await self._get(f"companies/{company}.json", Company, params)
