"""Calls: list (offset or relative pages), get, update; see also call_actions, call_metrics."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import msgspec
from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..enums import (
    ANSWER_STATUSES,
    CALL_TYPES,
    DEVICES,
    DIRECTIONS,
    LEAD_STATUS_FILTERS,
    AnswerStatus,
    CallField,
    CallSort,
    CallType,
    DateRange,
    Device,
    Direction,
    LeadStatusFilter,
    LeadStatusUpdate,
    Order,
)
from ..models import Call
from ..models.bodies import CallUpdate
from ..pagination import AsyncPaginator
from ._base import Endpoint, endpoint, json_decoder
from .call_actions import CallActions
from .call_metrics import CallMetrics, date_params, tag_names

_LIST = Endpoint("GET", "a/{aid}/calls.json")
_GET = Endpoint("GET", "a/{aid}/calls/{call_id}.json")
_UPDATE = Endpoint("PUT", "a/{aid}/calls/{call_id}.json")

_decode_call = json_decoder(Call)
_decode_keys = msgspec.json.Decoder(dict[str, msgspec.Raw]).decode


def _call_and_keys(body: bytes) -> tuple[Call, frozenset[str]]:
    """A call, and the top-level keys its JSON carried (a key sent as null is present)."""
    return _decode_call(body), frozenset(_decode_keys(body))


class CallsResource(CallActions, CallMetrics):
    """Phone calls."""

    @endpoint(_LIST)
    def list(
        self,
        *,
        date_range: DateRange | None = None,
        start_date: _validate.DateLike | None = None,
        end_date: _validate.DateLike | None = None,
        time_zone: str | None = None,
        company_id: IdLike | None = None,
        tracker_id: IdLike | None = None,
        call_type: CallType | None = None,
        answer_status: AnswerStatus | None = None,
        device: Device | None = None,
        direction: Direction | None = None,
        lead_status: LeadStatusFilter | None = None,
        tags: Sequence[str] | None = None,
        search: str | None = None,
        sort: CallSort | str | None = None,
        order: Order | None = None,
        fields: Iterable[CallField | str] | None = None,
        per_page: int | None = 250,
        relative: bool | None = None,
        concurrency: int | None = None,
        max_items: int | None = None,
    ) -> AsyncPaginator[Call]:
        """List calls (``GET calls.json``), 250 per page unless ``per_page`` says otherwise.

        Without dates CallRail returns only the last 7 days (``recent``). Three ways to
        page, each with its own order and consistency:

        - by default (``relative=None``, no ``sort``/``order`` other than ``start_time``
          ascending): oldest first, in date windows walked ``concurrency`` at a time by
          start time (:mod:`callrail_async.keyset`): a call inserted or hidden meanwhile
          shifts no page, so none is skipped or repeated; calls that start after the
          listing's first request are not included;
        - ``relative=True`` follows CallRail's ``next_page`` links, one request at a
          time, in CallRail's order (newest first unless ``sort``/``order`` say otherwise);
        - ``relative=False`` walks ``page=1..total_pages``, ``concurrency`` pages at a
          time: pages shift when calls are inserted or hidden meanwhile.
        """
        _validate.sort_order(sort, order)
        params = {
            **date_params(date_range, start_date, end_date, time_zone),
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "tracker_id": _validate.optional_resource_id("tracker_id", tracker_id, "TRK"),
            "call_type": _validate.choice("call_type", call_type, CALL_TYPES),
            "answer_status": _validate.choice("answer_status", answer_status, ANSWER_STATUSES),
            "device": _validate.choice("device", device, DEVICES),
            "direction": _validate.choice("direction", direction, DIRECTIONS),
            "lead_status": _validate.choice("lead_status", lead_status, LEAD_STATUS_FILTERS),
            "tags": tag_names(tags),
            "search": _validate.text("search", search),
            "sort": sort,
            "order": order,
            "fields": _validate.field_list(fields),
        }
        windowed = relative is None and sort in (None, "start_time") and order in (None, "asc")
        return self._list(
            _LIST,
            Call,
            "calls",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
            relative=relative is not False and not windowed,
            windowed=windowed,
        )

    @endpoint(_GET)
    async def get(
        self, call_id: IdLike, *, fields: Iterable[CallField | str] | None = None
    ) -> Call:
        """Get one call (``GET calls/{call_id}.json``)."""
        call = _validate.resource_id("call_id", call_id, "CAL")
        params = {"fields": _validate.field_list(fields)}
        return await self._get(_GET, Call, params, call_id=call)

    @endpoint(_UPDATE)
    async def update(
        self,
        call_id: IdLike,
        *,
        customer_name: str | UnsetType | None = UNSET,
        note: str | UnsetType | None = UNSET,
        lead_status: LeadStatusUpdate | str | UnsetType | None = UNSET,
        spam: bool | UnsetType = UNSET,
        tags: Sequence[str] | UnsetType = UNSET,
        append_tags: bool | UnsetType = UNSET,
        value: str | float | UnsetType | None = UNSET,
    ) -> Call:
        """Update a call (``PUT calls/{call_id}.json``). Only the arguments given are sent;
        ``None`` or ``""`` clears a value. ``tags`` replaces the call's tags unless
        ``append_tags``. ``spam`` is sent as given (CallRail documents only ``True``).

        Returns the call with the fields you changed as CallRail now has them. CallRail
        answers a PUT with the default fields, which do not include ``tags``, ``note``,
        ``lead_status`` or ``value``: the SDK asks for the changed ones with ``fields=``, and
        if the answer still lacks them, reads the call back once (a second request).
        """
        call = _validate.resource_id("call_id", call_id, "CAL")
        body = CallUpdate(
            customer_name=customer_name,
            note=note,
            lead_status=lead_status,
            spam=spam,
            tags=UNSET if isinstance(tags, UnsetType) else (tag_names(tags) or []),
            append_tags=append_tags,
            value=value,
        )
        selectable = {"tags": tags, "note": note, "lead_status": lead_status, "value": value}
        changed = [name for name, given in selectable.items() if not isinstance(given, UnsetType)]
        if not changed:
            return await self._write(_UPDATE, Call, body, call_id=call)
        fields = {"fields": ",".join(changed)}
        updated, present = await self._send(
            _UPDATE, _call_and_keys, body, params=fields, call_id=call
        )
        if present.issuperset(changed):
            return updated
        return await self._get(_GET, Call, fields, call_id=call)
