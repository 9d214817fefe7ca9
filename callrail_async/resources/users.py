"""Users: list, get, create, update, delete."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..enums import Order, UserSort
from ..errors import InvalidArgumentError
from ..models import User
from ..models.bodies import UserCreate, UserUpdate
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a/{aid}/users.json")
_GET = Endpoint("GET", "a/{aid}/users/{user_id}.json")
_CREATE = Endpoint("POST", "a/{aid}/users.json")
_UPDATE = Endpoint("PUT", "a/{aid}/users/{user_id}.json")
_DELETE = Endpoint("DELETE", "a/{aid}/users/{user_id}.json")

Role = Literal["admin", "manager", "reporting", "analyst", "notification"]
ROLES = frozenset({"admin", "manager", "reporting", "analyst", "notification"})


class UsersResource(Resource):
    """The account's users."""

    @endpoint(_LIST)
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        search: str | None = None,
        sort: UserSort | str | None = None,
        order: Order | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[User]:
        """List users."""
        _validate.sort_order(sort, order)
        params = {
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "search": _validate.text("search", search),
            "sort": sort,
            "order": order,
        }
        return self._list(
            _LIST,
            User,
            "users",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_GET)
    async def get(self, user_id: IdLike) -> User:
        """Get one user."""
        user = _validate.resource_id("user_id", user_id, "USR")
        return await self._get(_GET, User, user_id=user)

    @endpoint(_CREATE)
    async def create(
        self,
        *,
        first_name: str,
        last_name: str,
        email: str,
        role: Role,
        companies: Sequence[IdLike] | UnsetType = UNSET,
    ) -> User:
        """Invite a user (admin keys only); non-admin roles need ``companies``."""
        for name, value in (("first_name", first_name), ("last_name", last_name), ("email", email)):
            _validate.text(name, value, required=True)
        _validate.choice("role", role, ROLES)
        if role != "admin" and not companies:
            raise InvalidArgumentError("companies is required for a non-admin role")
        body = UserCreate(
            first_name=first_name,
            last_name=last_name,
            email=email,
            role=role,
            companies=_body_ids(companies),
        )
        return await self._write(_CREATE, User, body)

    @endpoint(_UPDATE)
    async def update(
        self,
        user_id: IdLike,
        *,
        first_name: str | UnsetType = UNSET,
        last_name: str | UnsetType = UNSET,
        email: str | UnsetType = UNSET,
        current_password: str | UnsetType = UNSET,
        companies: Sequence[IdLike] | UnsetType = UNSET,
    ) -> User:
        """Update a user; only the arguments given are sent."""
        user = _validate.resource_id("user_id", user_id, "USR")
        body = UserUpdate(
            first_name=first_name,
            last_name=last_name,
            email=email,
            current_password=current_password,
            companies=_body_ids(companies),
        )
        return await self._write(_UPDATE, User, body, user_id=user)

    @endpoint(_DELETE)
    async def delete(self, user_id: IdLike) -> None:
        """Delete a user (admin keys only)."""
        user = _validate.resource_id("user_id", user_id, "USR")
        await self._delete(_DELETE, user_id=user)


def _body_ids(companies: Sequence[IdLike] | UnsetType) -> list[IdLike] | UnsetType:
    if isinstance(companies, UnsetType):
        return UNSET
    return _validate.body_ids("companies", companies, "COM")
