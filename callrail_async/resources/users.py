"""Users: list and get."""

from __future__ import annotations

from .. import _validate
from ..enums import USER_SORTS, Order, UserSort
from ..models import User
from ..pagination import AsyncPaginator
from ._base import Resource


class UsersResource(Resource):
    """The account's users."""

    def list(
        self,
        *,
        company_id: str | None = None,
        search: str | None = None,
        sort: UserSort | None = None,
        order: Order | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[User]:
        """List users (``GET users.json``)."""
        _validate.sort_order(sort, order, USER_SORTS)
        params = {
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "search": _validate.text("search", search),
            "sort": sort,
            "order": order,
        }
        return self._list(
            "users.json",
            User,
            "users",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    async def get(self, user_id: str) -> User:
        """Get one user (``GET users/{user_id}.json``)."""
        return await self._get(
            f"users/{_validate.resource_id('user_id', user_id, 'USR')}.json", User
        )
