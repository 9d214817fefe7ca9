"""Trackers: list, get, create (source or session), update, disable."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal, TypedDict, Unpack

from .. import _validate
from .._validate import IdLike
from ..enums import TRACKER_STATUSES, TRACKER_TYPES, Order, TrackerStatus, TrackerType
from ..errors import InvalidArgumentError
from ..models import Tracker
from ..models.bodies import TrackerCreate, TrackerSettings
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint

_LIST = Endpoint("GET", "a/{aid}/trackers.json")
_GET = Endpoint("GET", "a/{aid}/trackers/{tracker_id}.json")
_CREATE = Endpoint("POST", "a/{aid}/trackers.json")
_UPDATE = Endpoint("PUT", "a/{aid}/trackers/{tracker_id}.json")
_DISABLE = Endpoint("DELETE", "a/{aid}/trackers/{tracker_id}.json")

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

    @endpoint(_LIST)
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
            _LIST,
            Tracker,
            "trackers",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_GET)
    async def get(
        self, tracker_id: IdLike, *, fields: Iterable[TrackerField | str] | None = None
    ) -> Tracker:
        """Get one tracker."""
        tracker = _validate.resource_id("tracker_id", tracker_id, "TRK")
        params = {"fields": _validate.field_list(fields)}
        return await self._get(_GET, Tracker, params, tracker_id=tracker)

    @endpoint(_CREATE)
    async def create(
        self, *, type: TrackerType, company_id: IdLike, **fields: Unpack[TrackerFields]
    ) -> Tracker:
        """Create a source or session tracker (``call_flow`` and ``source`` required)."""
        _validate.choice("type", type, TRACKER_TYPES)
        company = _validate.body_id("company_id", company_id, "COM")
        for required in ("name", "call_flow", "source"):
            if required not in fields:
                raise InvalidArgumentError(f"{required} is required to create a tracker")
        body = TrackerCreate(type=type, company_id=company, **fields)
        return await self._write(_CREATE, Tracker, body)

    @endpoint(_UPDATE)
    async def update(self, tracker_id: IdLike, **fields: Unpack[TrackerFields]) -> Tracker:
        """Update a tracker; only the settings given are sent."""
        tracker = _validate.resource_id("tracker_id", tracker_id, "TRK")
        body = TrackerSettings(**fields)
        return await self._write(_UPDATE, Tracker, body, tracker_id=tracker)

    @endpoint(_DISABLE)
    async def disable(self, tracker_id: IdLike) -> None:
        """Disable a tracker (it stays listed with status ``disabled``)."""
        tracker = _validate.resource_id("tracker_id", tracker_id, "TRK")
        await self._delete(_DISABLE, tracker_id=tracker)
