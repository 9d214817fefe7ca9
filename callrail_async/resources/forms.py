"""Form submissions: list, create, update, ignored fields, forms summary."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Literal

from msgspec import UNSET, UnsetType

from .. import _validate
from .._validate import IdLike
from ..enums import (
    LEAD_STATUS_FILTERS,
    DateRange,
    FormsField,
    FormsGroupBy,
    LeadStatusFilter,
    LeadStatusUpdate,
    Order,
)
from ..errors import InvalidArgumentError
from ..models import FormsSummary, FormSubmission, Message
from ..models.bodies import FormSubmissionCreate, IgnoredFields, InteractionUpdate
from ..pagination import AsyncPaginator
from ._base import Endpoint, Resource, endpoint
from .call_metrics import date_params, tag_names

_LIST = Endpoint("GET", "a/{aid}/form_submissions.json")
_GET = Endpoint("GET", "a/{aid}/form_submissions/{form_submission_id}.json")
_CREATE = Endpoint("POST", "a/{aid}/form_submissions.json")
_UPDATE = Endpoint("PUT", "a/{aid}/form_submissions/{form_submission_id}.json")
_IGNORE_FIELDS = Endpoint("POST", "a/{aid}/form_submissions/ignored_fields.json")
_SUMMARY = Endpoint("GET", "a/{aid}/forms/summary.json")

FormSort = Literal["submitted_at", "form_url", "created_at"]
FormField = Literal[
    "company_name",
    "lead_status",
    "value",
    "note",
    "tags",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "form_name",
    "timeline_url",
    "milestones",
]


class FormSubmissionsResource(Resource):
    """Form submissions captured by CallRail."""

    @endpoint(_LIST)
    def list(
        self,
        *,
        company_id: IdLike | None = None,
        date_range: DateRange | None = None,
        start_date: _validate.DateLike | None = None,
        end_date: _validate.DateLike | None = None,
        time_zone: str | None = None,
        lead_status: LeadStatusFilter | None = None,
        person_lead: bool | None = None,
        tags: Sequence[str] | None = None,
        sort: FormSort | str | None = None,
        order: Order | None = None,
        fields: Iterable[FormField | str] | None = None,
        per_page: int | None = None,
        max_items: int | None = None,
        concurrency: int | None = None,
    ) -> AsyncPaginator[FormSubmission]:
        """List form submissions."""
        _validate.sort_order(sort, order)
        params = {
            **date_params(date_range, start_date, end_date, time_zone),
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "lead_status": _validate.choice("lead_status", lead_status, LEAD_STATUS_FILTERS),
            "person_lead": _validate.flag("person_lead", person_lead),
            "tags": tag_names(tags),
            "sort": sort,
            "order": order,
            "fields": _validate.field_list(fields),
        }
        return self._list(
            _LIST,
            FormSubmission,
            "form_submissions",
            params,
            per_page=per_page,
            max_items=max_items,
            concurrency=concurrency,
        )

    @endpoint(_GET)
    async def get(
        self, form_submission_id: IdLike, *, fields: Iterable[FormField | str] | None = None
    ) -> FormSubmission:
        """Get one form submission (served by CallRail, used by its MCP server and peers,
        though absent from the reference's index)."""
        form = _validate.resource_id("form_submission_id", form_submission_id, "FOR")
        params = {"fields": _validate.field_list(fields)}
        return await self._get(_GET, FormSubmission, params, form_submission_id=form)

    @endpoint(_CREATE)
    async def create(
        self, *, company_id: IdLike, form_data: dict[str, Any], **fields: str
    ) -> FormSubmission:
        """Record a form submission (``referrer``, ``referring_url``, ``landing_page_url``,
        ``form_url`` or ``session_id``)."""
        unknown = set(fields) - set(FormSubmissionCreate.__struct_fields__)
        if unknown:
            raise InvalidArgumentError(
                f"unknown form submission field(s): {', '.join(sorted(unknown))}"
            )
        body = FormSubmissionCreate(
            company_id=_validate.body_id("company_id", company_id, "COM"),
            form_data=form_data,
            **fields,
        )
        return await self._write(_CREATE, FormSubmission, body)

    @endpoint(_UPDATE)
    async def update(
        self,
        form_submission_id: IdLike,
        *,
        tags: Sequence[str] | UnsetType = UNSET,
        append_tags: bool | UnsetType = UNSET,
        note: str | UnsetType | None = UNSET,
        value: str | float | UnsetType | None = UNSET,
        lead_status: LeadStatusUpdate | str | UnsetType | None = UNSET,
    ) -> FormSubmission:
        """Tag, annotate, value or qualify a submission; only the arguments given are sent."""
        form = _validate.resource_id("form_submission_id", form_submission_id, "FOR")
        body = InteractionUpdate(
            tags=UNSET if isinstance(tags, UnsetType) else (tag_names(tags) or []),
            append_tags=append_tags,
            note=note,
            value=value,
            lead_status=lead_status,
        )
        return await self._write(_UPDATE, FormSubmission, body, form_submission_id=form)

    @endpoint(_IGNORE_FIELDS)
    async def ignore_fields(
        self, field_names: Sequence[str], company_ids: Sequence[IdLike] | Literal["all"] = "all"
    ) -> Message:
        """Stop capturing these form fields (for some companies, or ``"all"``)."""
        names = [_validate.text("field_names", f, required=True) or "" for f in field_names]
        ids: list[IdLike] = (
            ["all"] if company_ids == "all" else _validate.body_ids("company_ids", company_ids)
        )
        body = IgnoredFields(company_ids=ids, field_names=names)
        return await self._write(_IGNORE_FIELDS, Message, body)

    @endpoint(_SUMMARY)
    async def summary(
        self,
        *,
        group_by: FormsGroupBy | str | None = None,
        fields: Iterable[FormsField | str] | None = None,
        company_id: IdLike | None = None,
        tags: Sequence[str] | None = None,
        custom_form_ids: Sequence[IdLike] | None = None,
        form_url: str | None = None,
        lead_status: LeadStatusFilter | None = None,
        date_range: DateRange | None = None,
        start_date: _validate.DateLike | None = None,
        end_date: _validate.DateLike | None = None,
        time_zone: str | None = None,
    ) -> FormsSummary:
        """Form metrics (``total_forms``, ``first_forms``, ``leads``), grouped if asked.

        ``form_url`` is sent as CallRail spells it, ``form_URL``.
        """
        params = {
            **date_params(date_range, start_date, end_date, time_zone),
            "group_by": _validate.field_name("group_by", group_by),
            "fields": _validate.field_list(fields),
            "company_id": _validate.optional_resource_id("company_id", company_id, "COM"),
            "tags": tag_names(tags),
            "custom_form_ids": _validate.id_list("custom_form_ids", custom_form_ids, "FOR"),
            "form_URL": _validate.text("form_url", form_url),
            "lead_status": _validate.choice("lead_status", lead_status, LEAD_STATUS_FILTERS),
        }
        return await self._get(_SUMMARY, FormsSummary, params)
