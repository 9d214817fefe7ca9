"""Call metrics: ``calls/summary.json`` and ``calls/timeseries.json``, with their filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypedDict, Unpack

from .. import _validate
from .._validate import IdLike
from ..enums import (
    INTERVALS,
    LEAD_STATUS_FILTERS,
    SUMMARY_ANSWER_STATUSES,
    SUMMARY_DEVICES,
    SUMMARY_DIRECTIONS,
    DateRange,
    Interval,
    LeadStatusFilter,
    SummaryAnswerStatus,
    SummaryDevice,
    SummaryDirection,
    SummaryField,
    SummaryGroupBy,
)
from ..errors import InvalidArgumentError
from ..models import CallSummary, CallTimeseries
from ._base import Endpoint, Resource, endpoint

_SUMMARY = Endpoint("GET", "a/{aid}/calls/summary.json")
_TIMESERIES = Endpoint("GET", "a/{aid}/calls/timeseries.json")

DateLike = _validate.DateLike
date_params = _validate.date_params
tag_names = _validate.tag_names


class MetricFilters(TypedDict, total=False):
    """Filters accepted by :meth:`CallsResource.summary` and :meth:`CallsResource.timeseries`."""

    date_range: DateRange
    start_date: DateLike
    end_date: DateLike
    time_zone: str
    company_id: IdLike
    device: SummaryDevice
    direction: SummaryDirection
    answer_status: SummaryAnswerStatus
    lead_status: LeadStatusFilter
    min_duration: int
    max_duration: int
    tags: Sequence[str]
    tracker_ids: Sequence[IdLike]
    first_time_callers: bool
    agent: IdLike
    search: str


class CallMetrics(Resource):
    """Summary and time series of calls (part of ``client.calls``)."""

    @endpoint(_SUMMARY)
    async def summary(
        self,
        *,
        group_by: SummaryGroupBy | str | None = None,
        fields: Iterable[SummaryField | str] | None = None,
        **filters: Unpack[MetricFilters],
    ) -> CallSummary:
        """Call metrics (``GET calls/summary.json``), grouped when ``group_by`` is given.

        ``group_by`` and ``fields`` are open: names beyond the documented ones (``tracker``,
        ``medium``) go to CallRail. ``filters``: the keyword filters of :meth:`metric_filters`.
        """
        params = {
            "group_by": _validate.field_name("group_by", group_by),
            "fields": _validate.field_list(fields),
            **self.metric_filters(**filters),
        }
        return await self._get(_SUMMARY, CallSummary, params)

    @endpoint(_TIMESERIES)
    async def timeseries(
        self,
        *,
        interval: Interval | None = None,
        fields: Iterable[SummaryField | str] | None = None,
        **filters: Unpack[MetricFilters],
    ) -> CallTimeseries:
        """Call metrics per hour/day/week/month/year (``GET calls/timeseries.json``).

        At most 200 buckets per response. ``filters``: as :meth:`metric_filters`.
        """
        params = {
            "interval": _validate.choice("interval", interval, INTERVALS),
            "fields": _validate.field_list(fields),
            **self.metric_filters(**filters),
        }
        return await self._get(_TIMESERIES, CallTimeseries, params)

    @staticmethod
    def metric_filters(
        *,
        date_range: DateRange | None = None,
        start_date: DateLike | None = None,
        end_date: DateLike | None = None,
        time_zone: str | None = None,
        company_id: IdLike | None = None,
        device: SummaryDevice | None = None,
        direction: SummaryDirection | None = None,
        answer_status: SummaryAnswerStatus | None = None,
        lead_status: LeadStatusFilter | None = None,
        min_duration: int | None = None,
        max_duration: int | None = None,
        tags: Sequence[str] | None = None,
        tracker_ids: Sequence[IdLike] | None = None,
        first_time_callers: bool | None = None,
        agent: IdLike | None = None,
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
            "tags": tag_names(tags),
            "tracker_ids": _validate.id_list("tracker_ids", tracker_ids, "TRK"),
            "first_time_callers": first_time_callers,
            "agent": _validate.optional_resource_id("agent", agent, "USR"),
            "search": _validate.text("search", search),
        }


def _non_negative(name: str, value: int | None) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise InvalidArgumentError(
            f"{name} must be a non-negative integer of seconds, got {_validate.shown(value)}"
        )
    return value
