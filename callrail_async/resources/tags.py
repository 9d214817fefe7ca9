"""Tags: list, create, update, delete."""

from __future__ import annotations

from msgspec import UNSET, UnsetType

from .. import _validate
from ..enums import TAG_COLORS, TAG_LEVELS, TAG_STATUSES, Order, TagColor, TagLevel, TagStatus
from ..models import Tag, TagCreate, TagUpdate
from ..pagination import AsyncPaginator
from ._base import Resource, endpoint


class TagsResource(Resource):
    """Account- and company-level tags."""

    @endpoint("GET", "a/{aid}/tags.json")
    def list(
        self,
        *,
        company_id: str | None = None,
        status: TagStatus | None = None,
        tag_level: TagLevel | None = None,
        sort: str | None = None,
        order: Order | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Tag]:
        """List tags (``GET tags.json``)."""
        _validate.sort_order(sort, order, {"name"})
        _validate.choice("tag_level", tag_level, TAG_LEVELS)
        if tag_level == "account" and company_id is not None:
            raise ValueError("tag_level='account' cannot be combined with company_id")
        params = {
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "status": _validate.choice("status", status, TAG_STATUSES),
            "tag_level": tag_level,
            "sort": sort,
            "order": order,
        }
        return self._list(
            "tags.json",
            Tag,
            "tags",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint("GET", "a/{aid}/tags/{tag_id}.json")
    async def get(self, tag_id: int | str) -> Tag:
        """Get one tag (undocumented by CallRail but served; ``NotFoundError`` if not)."""
        return await self._get(f"tags/{_validate.integer_id('tag_id', tag_id)}.json", Tag)

    @endpoint("POST", "a/{aid}/tags.json")
    async def create(
        self,
        *,
        name: str,
        company_id: str | None = None,
        color: TagColor | None = None,
        tag_level: TagLevel | None = None,
    ) -> Tag:
        """Create a tag (``POST tags.json``). Company tags need ``company_id``."""
        _validate.text("name", name, required=True)
        _validate.choice("color", color, TAG_COLORS)
        _validate.choice("tag_level", tag_level, TAG_LEVELS)
        if tag_level != "account" and company_id is None:
            raise ValueError("company_id is required for a company-level tag")
        body = TagCreate(
            name=name,
            company_id=_validate.optional_resource_id("company_id", company_id, "COM") or UNSET,
            color=color or UNSET,
            tag_level=tag_level or UNSET,
        )
        return await self._write("POST", "tags.json", Tag, body)

    @endpoint("PUT", "a/{aid}/tags/{tag_id}.json")
    async def update(
        self,
        tag_id: int | str,
        *,
        name: str | UnsetType = UNSET,
        color: TagColor | UnsetType = UNSET,
        disabled: bool | UnsetType = UNSET,
    ) -> Tag:
        """Update a tag (``PUT tags/{tag_id}.json``); only the given fields are sent."""
        tag = _validate.integer_id("tag_id", tag_id)
        if not isinstance(name, UnsetType):
            _validate.text("name", name, required=True)
        if not isinstance(color, UnsetType):
            _validate.choice("color", color, TAG_COLORS)
        body = TagUpdate(name=name, color=color, disabled=disabled)
        return await self._write("PUT", f"tags/{tag}.json", Tag, body)

    @endpoint("DELETE", "a/{aid}/tags/{tag_id}.json")
    async def delete(self, tag_id: int | str) -> None:
        """Delete a tag (``DELETE tags/{tag_id}.json``): it is removed from every interaction."""
        await self._delete(f"tags/{_validate.integer_id('tag_id', tag_id)}.json")
