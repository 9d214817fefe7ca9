"""Calls: list (offset or relative pages), get, update, summary, timeseries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypedDict, Unpack

from msgspec import UNSET, UnsetType

from .. import _validate
from ..enums import (
    ANSWER_STATUSES,
    CALL_SORTS,
    CALL_TYPES,
    DATE_RANGES,
    DEVICES,
    DIRECTIONS,
    INTERVALS,
    LEAD_STATUS_FILTERS,
    LEAD_STATUS_UPDATES,
    SUMMARY_ANSWER_STATUSES,
    SUMMARY_DEVICES,
    SUMMARY_DIRECTIONS,
    SUMMARY_FIELDS,
    SUMMARY_GROUP_BYS,
    AnswerStatus,
    CallSort,
    CallType,
    DateRange,
    Device,
    Direction,
    Interval,
    LeadStatusFilter,
    LeadStatusUpdate,
    Order,
    SummaryAnswerStatus,
    SummaryDevice,
    SummaryDirection,
    SummaryField,
    SummaryGroupBy,
)
from ..models import CALL_OPTIONAL_FIELDS, Call, CallSummary, CallTimeseries, CallUpdate
from ..pagination import AsyncPaginator
from ._base import Resource

DateLike = _validate.DateLike


def date_params(
    date_range: str | None, start_date: DateLike | None, end_date: DateLike | None,
    time_zone: str | None,
) -> dict[str, Any]:  # fmt: skip
    """The shared date filters (§4 of the API facts), validated."""
    start, end = _validate.date_span(start_date, end_date, date_range)
    return {
        "date_range": _validate.choice("date_range", date_range, DATE_RANGES),
        "start_date": start,
        "end_date": end,
        "time_zone": _validate.text("time_zone", time_zone),
    }


def _tags(tags: Sequence[str] | None) -> list[str] | None:
    if tags is None:
        return None
    if isinstance(tags, str):
        tags = [tags]
    for tag in tags:
        _validate.text("tags", tag, required=True)
    return list(tags)


class MetricFilters(TypedDict, total=False):
    """Filters accepted by :meth:`CallsResource.summary` and :meth:`CallsResource.timeseries`."""

    date_range: DateRange
    start_date: DateLike
    end_date: DateLike
    time_zone: str
    company_id: str
    device: SummaryDevice
    direction: SummaryDirection
    answer_status: SummaryAnswerStatus
    lead_status: LeadStatusFilter
    min_duration: int
    max_duration: int
    tags: Sequence[str]
    tracker_ids: Sequence[str]
    first_time_callers: bool
    agent: str
    search: str


class CallsResource(Resource):
    """Phone calls."""

    def list(
        self,
        *,
        date_range: DateRange | None = None,
        start_date: DateLike | None = None,
        end_date: DateLike | None = None,
        time_zone: str | None = None,
        company_id: str | None = None,
        tracker_id: str | None = None,
        call_type: CallType | None = None,
        answer_status: AnswerStatus | None = None,
        device: Device | None = None,
        direction: Direction | None = None,
        lead_status: LeadStatusFilter | None = None,
        tags: Sequence[str] | None = None,
        search: str | None = None,
        sort: CallSort | None = None,
        order: Order | None = None,
        fields: Iterable[str] | None = None,
        per_page: int | None = None,
        relative: bool = True,
        concurrency: int | None = None,
        max_items: int | None = None,
    ) -> AsyncPaginator[Call]:
        """List calls (``GET calls.json``).

        Without dates CallRail returns only the last 7 days (``recent``). ``relative=True``
        (the default) follows CallRail's ``next_page`` links; ``relative=False`` walks
        ``page=1..total_pages``, fetching ``concurrency`` pages at a time.
        """
        _validate.sort_order(sort, order, CALL_SORTS)
        params = {
            **date_params(date_range, start_date, end_date, time_zone),
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "tracker_id": _validate.optional_resource_id("tracker_id", tracker_id, "TRK"),
            "call_type": _validate.choice("call_type", call_type, CALL_TYPES),
            "answer_status": _validate.choice("answer_status", answer_status, ANSWER_STATUSES),
            "device": _validate.choice("device", device, DEVICES),
            "direction": _validate.choice("direction", direction, DIRECTIONS),
            "lead_status": _validate.choice("lead_status", lead_status, LEAD_STATUS_FILTERS),
            "tags": _tags(tags),
            "search": _validate.text("search", search),
            "sort": sort,
            "order": order,
            "fields": _validate.field_list(fields, CALL_OPTIONAL_FIELDS),
        }
        return self._list(
            "calls.json",
            Call,
            "calls",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
            relative=relative,
        )

    async def get(self, call_id: str, *, fields: Iterable[str] | None = None) -> Call:
        """Get one call (``GET calls/{call_id}.json``)."""
        call = _validate.resource_id("call_id", call_id, "CAL")
        params = {"fields": _validate.field_list(fields, CALL_OPTIONAL_FIELDS)}
        return await self._get(f"calls/{call}.json", Call, params)

    async def update(
        self,
        call_id: str,
        *,
        customer_name: str | UnsetType = UNSET,
        note: str | UnsetType | None = UNSET,
        lead_status: LeadStatusUpdate | UnsetType | None = UNSET,
        spam: bool | UnsetType = UNSET,
        tags: Sequence[str] | UnsetType = UNSET,
        append_tags: bool | UnsetType = UNSET,
        value: str | UnsetType | None = UNSET,
    ) -> Call:
        """Update a call (``PUT calls/{call_id}.json``). Only the arguments given are sent;
        ``None`` clears a value. ``tags`` replaces the call's tags unless ``append_tags``.
        """
        call = _validate.resource_id("call_id", call_id, "CAL")
        if isinstance(lead_status, str):
            _validate.choice("lead_status", lead_status, LEAD_STATUS_UPDATES)
        if spam is False:
            raise ValueError("spam only accepts True: CallRail cannot un-mark spam via the API")
        if isinstance(customer_name, str):
            _validate.text("customer_name", customer_name, required=True)
        body = CallUpdate(
            customer_name=customer_name,
            note=note,
            lead_status=lead_status,
            spam=spam,
            tags=UNSET if isinstance(tags, UnsetType) else (_tags(tags) or []),
            append_tags=append_tags,
            value=value,
        )
        return await self._write("PUT", f"calls/{call}.json", Call, body)

    async def summary(
        self,
        *,
        group_by: SummaryGroupBy | None = None,
        fields: Iterable[SummaryField] | None = None,
        **filters: Unpack[MetricFilters],
    ) -> CallSummary:
        """Call metrics (``GET calls/summary.json``), grouped when ``group_by`` is given.

        ``filters``: the keyword filters of :meth:`metric_filters`.
        """
        params = {
            "group_by": _validate.choice("group_by", group_by, SUMMARY_GROUP_BYS),
            "fields": _validate.field_list(fields, SUMMARY_FIELDS),
            **self.metric_filters(**filters),
        }
        return await self._get("calls/summary.json", CallSummary, params)

    async def timeseries(
        self,
        *,
        interval: Interval | None = None,
        fields: Iterable[SummaryField] | None = None,
        **filters: Unpack[MetricFilters],
    ) -> CallTimeseries:
        """Call metrics per hour/day/week/month/year (``GET calls/timeseries.json``).

        At most 200 buckets per response. ``filters``: as :meth:`metric_filters`.
        """
        params = {
            "interval": _validate.choice("interval", interval, INTERVALS),
            "fields": _validate.field_list(fields, SUMMARY_FIELDS),
            **self.metric_filters(**filters),
        }
        return await self._get("calls/timeseries.json", CallTimeseries, params)

    @staticmethod
    def metric_filters(
        *,
        date_range: DateRange | None = None,
        start_date: DateLike | None = None,
        end_date: DateLike | None = None,
        time_zone: str | None = None,
        company_id: str | None = None,
        device: SummaryDevice | None = None,
        direction: SummaryDirection | None = None,
        answer_status: SummaryAnswerStatus | None = None,
        lead_status: LeadStatusFilter | None = None,
        min_duration: int | None = None,
        max_duration: int | None = None,
        tags: Sequence[str] | None = None,
        tracker_ids: Sequence[str] | None = None,
        first_time_callers: bool | None = None,
        agent: str | None = None,
        search: str | None = None,
    ) -> dict[str, Any]:
        """The filters shared by summary and timeseries, validated."""
        return {
            **date_params(date_range, start_date, end_date, time_zone),
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "device": _validate.choice("device", device, SUMMARY_DEVICES),
            "direction": _validate.choice("direction", direction, SUMMARY_DIRECTIONS),
            "answer_status": _validate.choice(
                "answer_status", answer_status, SUMMARY_ANSWER_STATUSES
            ),
            "lead_status": _validate.choice("lead_status", lead_status, LEAD_STATUS_FILTERS),
            "min_duration": _non_negative("min_duration", min_duration),
            "max_duration": _non_negative("max_duration", max_duration),
            "tags": _tags(tags),
            "tracker_ids": tracker_ids
            and [_validate.resource_id("tracker_ids", t, "TRK") for t in tracker_ids],
            "first_time_callers": first_time_callers,
            "agent": _validate.optional_resource_id("agent", agent, "USR"),
            "search": _validate.text("search", search),
        }


def _non_negative(name: str, value: int | None) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise ValueError(f"{name} must be a non-negative integer of seconds, got {value!r}")
    return value
