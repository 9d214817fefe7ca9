"""Trackers: list, get, create (source or session), update, disable."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, TypedDict, Unpack

from .. import _validate
from .._validate import IdLike
from ..enums import TRACKER_STATUSES, TRACKER_TYPES, Order, TrackerStatus, TrackerType
from ..models import Tracker
from ..models.bodies import TrackerCreate, TrackerSettings
from ..pagination import AsyncPaginator
from ._base import Resource, endpoint

TrackerField = Literal["campaign_name", "swap_targets"]


class TrackerFields(TypedDict, total=False):
    """Tracker settings for create/update (only those given are sent)."""

    name: str
    call_flow: dict[str, Any]
    source: dict[str, Any] | str
    tracking_number: dict[str, Any]
    pool_size: int
    pool_numbers: dict[str, Any]
    campaign_name: str
    sms_enabled: bool
    swap_targets: list[str]
    whisper_message: str | None
    message_flow: dict[str, Any] | None
    replace_tracking_number: str


class TrackersResource(Resource):
    """Tracking numbers: source trackers and session (DNI) trackers."""

    @endpoint("GET", "a/{aid}/trackers.json")
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        type: TrackerType | None = None,
        status: TrackerStatus | None = None,
        search: str | None = None,
        sort: str | None = None,
        order: Order | None = None,
        fields: Iterable[TrackerField | str] | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[Tracker]:
        """List trackers."""
        _validate.sort_order(sort, order)
        params = {
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "type": _validate.choice("type", type, TRACKER_TYPES),
            "status": _validate.choice("status", status, TRACKER_STATUSES),
            "search": _validate.text("search", search),
            "sort": sort,
            "order": order,
            "fields": _validate.field_list(fields),
        }
        return self._list(
            "trackers.json", Tracker, "trackers", params,
            per_page=per_page, max_items=max_items, concurrency=concurrency,
        )  # fmt: skip

    @endpoint("GET", "a/{aid}/trackers/{tracker_id}.json")
    async def get(
        self, tracker_id: IdLike, *, fields: Iterable[TrackerField | str] | None = None
    ) -> Tracker:
        """Get one tracker."""
        tracker = _validate.resource_id("tracker_id", tracker_id, "TRK")
        params = {"fields": _validate.field_list(fields)}
        return await self._get(f"trackers/{tracker}.json", Tracker, params)

    @endpoint("POST", "a/{aid}/trackers.json")
    async def create(
        self, *, type: TrackerType, company_id: IdLike, **fields: Unpack[TrackerFields]
    ) -> Tracker:
        """Create a source or session tracker (``call_flow`` and ``source`` required)."""
        _validate.choice("type", type, TRACKER_TYPES)
        company = _validate.body_id("company_id", company_id, "COM")
        for required in ("name", "call_flow", "source"):
            if required not in fields:
                raise ValueError(f"{required} is required to create a tracker")
        body = TrackerCreate(type=type, company_id=company, **fields)
        return await self._write("POST", "trackers.json", Tracker, body)

    @endpoint("PUT", "a/{aid}/trackers/{tracker_id}.json")
    async def update(self, tracker_id: IdLike, **fields: Unpack[TrackerFields]) -> Tracker:
        """Update a tracker; only the settings given are sent."""
        tracker = _validate.resource_id("tracker_id", tracker_id, "TRK")
        body = TrackerSettings(**fields)
        return await self._write("PUT", f"trackers/{tracker}.json", Tracker, body)

    @endpoint("DELETE", "a/{aid}/trackers/{tracker_id}.json")
    async def disable(self, tracker_id: IdLike) -> None:
        """Disable a tracker (it stays listed with status ``disabled``)."""
        await self._delete(
            f"trackers/{_validate.resource_id('tracker_id', tracker_id, 'TRK')}.json"
        )
