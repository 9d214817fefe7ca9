"""Trackers: list and get."""

from __future__ import annotations

from collections.abc import Iterable

from .. import _validate
from ..enums import TRACKER_STATUSES, TRACKER_TYPES, Order, TrackerStatus, TrackerType
from ..models import Tracker
from ..pagination import AsyncPaginator
from ._base import Resource

TRACKER_FIELDS = frozenset({"campaign_name", "swap_targets"})


class TrackersResource(Resource):
    """Tracking numbers: source trackers and session (DNI) trackers."""

    def list(
        self,
        *,
        company_id: str | None = None,
        type: TrackerType | None = None,
        status: TrackerStatus | None = None,
        search: str | None = None,
        sort: str | None = None,
        order: Order | None = None,
        fields: Iterable[str] | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Tracker]:
        """List trackers (``GET trackers.json``)."""
        _validate.sort_order(sort, order, {"name"})
        params = {
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "type": _validate.choice("type", type, TRACKER_TYPES),
            "status": _validate.choice("status", status, TRACKER_STATUSES),
            "search": _validate.text("search", search),
            "sort": sort,
            "order": order,
            "fields": _validate.field_list(fields, TRACKER_FIELDS),
        }
        return self._list(
            "trackers.json",
            Tracker,
            "trackers",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    async def get(self, tracker_id: str, *, fields: Iterable[str] | None = None) -> Tracker:
        """Get one tracker (``GET trackers/{tracker_id}.json``)."""
        tracker = _validate.resource_id("tracker_id", tracker_id, "TRK")
        params = {"fields": _validate.field_list(fields, TRACKER_FIELDS)}
        return await self._get(f"trackers/{tracker}.json", Tracker, params)
