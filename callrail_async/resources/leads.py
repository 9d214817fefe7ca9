"""Leads (people) and their timelines."""

from __future__ import annotations

from collections.abc import Iterable

from .. import _validate
from .._validate import IdLike
from ..enums import LeadSort, Order, TimelineSort
from ..models import Lead, LeadTimeline
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a/{aid}/leads.json")
_TIMELINE = Endpoint("GET", "a/{aid}/leads/{lead_id}/timeline.json")


class LeadsResource(Resource):
    """Leads: the people behind calls, texts and forms (``PER…``)."""

    @endpoint(_LIST)
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        sort: LeadSort | str | None = None,
        order: Order | None = None,
        fields: Iterable[str] | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Lead]:
        """List leads (newest first by default)."""
        _validate.sort_order(sort, order)
        params = {
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "sort": sort,
            "order": order,
            "fields": _validate.field_list(fields),
        }
        return self._list(
            _LIST,
            Lead,
            "leads",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_TIMELINE)
    async def timeline(
        self,
        lead_id: IdLike,
        *,
        sort: TimelineSort | str | None = None,
        fields: Iterable[str] | None = None,
        page: int = 1,
        per_page: int = 100,
    ) -> LeadTimeline:
        """A lead and one page of its timeline (calls, forms, texts, chats, milestones),
        newest first unless ``sort="created_at"``; ``fields`` limits the events' fields."""
        lead = _validate.resource_id("lead_id", lead_id, "PER")
        _validate.sort_order(sort, None)
        params = {
            "sort": sort,
            "fields": _validate.field_list(fields),
            "page": _validate.positive("page", page),
            "per_page": _validate.per_page(per_page),
        }
        return await self._get(_TIMELINE, LeadTimeline, params, lead_id=lead)
