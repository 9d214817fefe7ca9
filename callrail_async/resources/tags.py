"""Tags: list, create, update, delete."""

from __future__ import annotations

from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..enums import TAG_COLORS, TAG_LEVELS, TAG_STATUSES, Order, TagColor, TagLevel, TagStatus
from ..errors import InvalidArgumentError
from ..models import Tag
from ..models.bodies import TagCreate, TagUpdate
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a/{aid}/tags.json")
_GET = Endpoint("GET", "a/{aid}/tags/{tag_id}.json")
_CREATE = Endpoint("POST", "a/{aid}/tags.json")
_UPDATE = Endpoint("PUT", "a/{aid}/tags/{tag_id}.json")
_DELETE = Endpoint("DELETE", "a/{aid}/tags/{tag_id}.json")


class TagsResource(Resource):
    """Account- and company-level tags."""

    @endpoint(_LIST)
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        status: TagStatus | None = None,
        tag_level: TagLevel | None = None,
        sort: str | None = None,
        order: Order | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Tag]:
        """List tags (``GET tags.json``)."""
        _validate.sort_order(sort, order)
        _validate.choice("tag_level", tag_level, TAG_LEVELS)
        if tag_level == "account" and company_id is not None:
            raise InvalidArgumentError("tag_level='account' cannot be combined with company_id")
        params = {
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "status": _validate.choice("status", status, TAG_STATUSES),
            "tag_level": tag_level,
            "sort": sort,
            "order": order,
        }
        return self._list(
            _LIST,
            Tag,
            "tags",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_GET)
    async def get(self, tag_id: IdLike) -> Tag:
        """Get one tag (undocumented by CallRail but served; ``NotFoundError`` if not)."""
        return await self._get(_GET, Tag, tag_id=_validate.resource_id("tag_id", tag_id))

    @endpoint(_CREATE)
    async def create(
        self,
        *,
        name: str,
        company_id: IdLike | UnsetType = UNSET,
        color: TagColor | UnsetType = UNSET,
        tag_level: TagLevel | UnsetType = UNSET,
    ) -> Tag:
        """Create a tag (``POST tags.json``). Company tags need ``company_id``."""
        _validate.text("name", name, required=True)
        if isinstance(color, str):
            _validate.choice("color", color, TAG_COLORS)
        if isinstance(tag_level, str):
            _validate.choice("tag_level", tag_level, TAG_LEVELS)
        if tag_level != "account" and isinstance(company_id, UnsetType):
            raise InvalidArgumentError("company_id is required for a company-level tag")
        body = TagCreate(
            name=name,
            company_id=_validate.maybe_body_id("company_id", company_id, "COM"),
            color=color,
            tag_level=tag_level,
        )
        return await self._write(_CREATE, Tag, body)

    @endpoint(_UPDATE)
    async def update(
        self,
        tag_id: IdLike,
        *,
        name: str | UnsetType = UNSET,
        color: TagColor | UnsetType = UNSET,
        disabled: bool | UnsetType = UNSET,
    ) -> Tag:
        """Update a tag (``PUT tags/{tag_id}.json``); only the given fields are sent."""
        tag = _validate.resource_id("tag_id", tag_id)
        if not isinstance(name, UnsetType):
            _validate.text("name", name, required=True)
        if not isinstance(color, UnsetType):
            _validate.choice("color", color, TAG_COLORS)
        body = TagUpdate(name=name, color=color, disabled=disabled)
        return await self._write(_UPDATE, Tag, body, tag_id=tag)

    @endpoint(_DELETE)
    async def delete(self, tag_id: IdLike) -> None:
        """Delete a tag (``DELETE tags/{tag_id}.json``): it is removed from every interaction."""
        await self._delete(_DELETE, tag_id=_validate.resource_id("tag_id", tag_id))
