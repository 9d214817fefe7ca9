"""Accounts: ``GET a.json`` and ``GET a/{id}.json``."""

from __future__ import annotations

from collections.abc import Iterable

from .. import _validate
from .._validate import IdLike
from ..enums import Order
from ..models import Account
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a.json")
_GET = Endpoint("GET", "a/{account_id}.json")


class AccountsResource(Resource):
    """The accounts this API key can see."""

    company_scope = "none"

    @endpoint(_LIST)
    def list(
        self,
        *,
        sort: str | None = None,
        order: Order | None = None,
        hipaa_account: bool | None = None,
        fields: Iterable[str] | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Account]:
        """List accounts (``GET a.json``)."""
        _validate.sort_order(sort, order)
        params = {
            "sort": sort,
            "order": order,
            "hipaa_account": hipaa_account,
            "fields": _validate.field_list(fields),
        }
        return self._list(
            _LIST,
            Account,
            "accounts",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_GET)
    async def get(self, account_id: IdLike, *, fields: Iterable[str] | None = None) -> Account:
        """Get one account (``GET a/{account_id}.json``)."""
        account = _validate.resource_id("account_id", account_id, "ACC")
        params = {"fields": _validate.field_list(fields)}
        return await self._get(_GET, Account, params, account_id=account)
