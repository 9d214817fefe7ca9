"""Sandbox handlers for the plain collections (companies, trackers, tags, users, ...)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from . import _dates
from ._context import Ctx, check_choice, json_response, offset_envelope, page_params
from ._errors import SandboxError

Record = dict[str, Any]


def _eq(name: str) -> Callable[[Record, str], bool]:
    return lambda record, value: str(record.get(name)) == value


def _company_of(record: Record, value: str) -> bool:
    company = record.get("company")
    if isinstance(company, dict):
        return company.get("id") == value
    if "companies" in record:
        return any(c["id"] == value for c in record["companies"])
    return record.get("company_id") == value


@dataclass(frozen=True)
class CollectionSpec:
    """How one collection lists: envelope key, filters, search, sorts, hidden fields."""

    key: str
    filters: dict[str, Callable[[Record, str], bool]] = field(default_factory=dict)
    choices: dict[str, frozenset[str]] = field(default_factory=dict)
    search: tuple[str, ...] = ()
    sorts: frozenset[str] = frozenset({"name"})
    date_field: str | None = None  # filtered by date_range / start_date / end_date
    optional_fields: frozenset[str] = frozenset()
    required: tuple[str, ...] = ()
    not_found: str = "Not found"
    fields_limit: bool = False  # fields= lists the fields to return (leads), not extras
    maton_omits_total_pages: bool = False  # as the Maton gateway's examples show


FORM_OPTIONAL_FIELDS = frozenset(
    {
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
    }
)

SPECS: dict[str, CollectionSpec] = {
    "companies": CollectionSpec(
        "companies",
        filters={"status": _eq("status")},
        choices={"status": frozenset({"active", "disabled"})},
        search=("name",),
        optional_fields=frozenset({"verified_caller_ids"}),
        not_found="Company not found",
    ),
    "trackers": CollectionSpec(
        "trackers",
        filters={"company_id": _company_of, "type": _eq("type"), "status": _eq("status")},
        choices={
            "type": frozenset({"source", "session"}),
            "status": frozenset({"active", "disabled"}),
        },
        search=("name",),
        optional_fields=frozenset({"campaign_name", "swap_targets"}),
        not_found="Tracker not found",
        maton_omits_total_pages=True,
    ),
    "tags": CollectionSpec(
        "tags",
        filters={
            "company_id": _eq("company_id"),
            "status": _eq("status"),
            "tag_level": _eq("tag_level"),
        },
        choices={
            "status": frozenset({"enabled", "disabled"}),
            "tag_level": frozenset({"company", "account"}),
        },
        not_found="Tag not found",
        maton_omits_total_pages=True,
    ),
    "users": CollectionSpec(
        "users",
        filters={"company_id": _company_of},
        search=("first_name", "last_name", "email"),
        sorts=frozenset({"email", "created_at"}),
        not_found="User not found",
        maton_omits_total_pages=True,
    ),
    "notifications": CollectionSpec(
        "notifications",
        filters={
            "notification_type": lambda r, v: bool(r.get(v)),
            "user_id": _eq("user_id"),
            "email": _eq("email"),
        },
        choices={"notification_type": frozenset({"send_desktop", "send_email", "send_push"})},
        sorts=frozenset(),
        not_found="Notification not found",
    ),
    "integration_triggers": CollectionSpec(
        "integration_criteria",
        filters={"company_id": _eq("company_id")},
        sorts=frozenset(),
        required=("company_id",),
        not_found="Integration trigger not found",
    ),
    "caller_ids": CollectionSpec(
        "caller_ids",
        filters={"company_id": _eq("company_id")},
        sorts=frozenset(),
        required=("company_id",),
        not_found="Caller ID not found",
    ),
    "form_submissions": CollectionSpec(
        "form_submissions",
        date_field="submitted_at",
        filters={
            "company_id": _eq("company_id"),
            "lead_status": lambda r, v: (r.get("lead_status") or "not_scored") == v,
        },
        sorts=frozenset({"submitted_at", "form_url", "created_at"}),
        optional_fields=FORM_OPTIONAL_FIELDS,
        not_found="Form submission not found",
    ),
    "text-messages": CollectionSpec(
        "conversations",
        date_field="last_message_at",
        filters={"company_id": _eq("company_id")},
        search=("customer_phone_number", "customer_name"),
        sorts=frozenset(),
        optional_fields=frozenset({"lead_status", "source"}),
        not_found="Conversation not found",
    ),
    "sms-threads": CollectionSpec(
        "sms_threads",
        date_field="last_message_at",
        filters={"company_id": _eq("company_id")},
        search=("customer_phone_number", "customer_name", "tags"),
        sorts=frozenset(),
        optional_fields=frozenset(
            {
                "last_message_at",
                "formatted_customer_phone_number",
                "formatted_initial_tracking_number",
                "formatted_current_tracking_number",
                "formatted_customer_name",
            }
        ),
        not_found="Thread not found",
    ),
    "message-flows": CollectionSpec(
        "message-flows",
        filters={"company_id": _eq("company_id")},
        sorts=frozenset(),
        not_found="Message flow not found",
    ),
    "summary_emails": CollectionSpec(
        "summary_emails",
        filters={
            "user_id": lambda r, v: (r.get("user") or {}).get("id") == v,
            "email": _eq("email"),
        },
        sorts=frozenset(),
        not_found="Summary email not found",
    ),
    "leads": CollectionSpec(
        "leads",
        filters={"company_id": _eq("company_id")},
        sorts=frozenset({"created_at", "name", "email"}),
        optional_fields=frozenset(
            {"id", "name", "phone", "email", "created_at", "company_id", "company_name"}
        ),
        not_found="Lead not found",
        fields_limit=True,
    ),
    "integrations": CollectionSpec(
        "integrations",
        filters={"company_id": _eq("company_id")},
        sorts=frozenset(),
        optional_fields=frozenset({"signing_key"}),
        required=("company_id",),
        not_found="Integration not found",
    ),
}


def find_spec(ctx: Ctx) -> tuple[CollectionSpec, dict[str, Record]]:
    name = ctx.match["collection"]
    spec = SPECS.get(name)
    if spec is None:
        raise SandboxError(404, f"Unknown endpoint: {name}")
    return spec, ctx.acct.collections[name]


def shown(record: Record, spec: CollectionSpec, requested: set[str]) -> Record:
    """The record as the request sees it: default fields plus the requested optional ones
    (or only the requested ones, where ``fields=`` limits the output)."""
    if spec.fields_limit:
        return {
            k: v
            for k, v in record.items()
            if not k.startswith("_") and (not requested or k in requested)
        }
    hidden = spec.optional_fields - requested
    return {k: v for k, v in record.items() if k not in hidden and not k.startswith("_")}


def requested(ctx: Ctx, spec: CollectionSpec) -> set[str]:
    """The names in ``fields=`` (400 for names the collection does not offer)."""
    names = {f for f in (ctx.params.get("fields") or "").split(",") if f}
    unknown = names - spec.optional_fields
    if unknown:
        raise SandboxError(400, f"Invalid field(s): {', '.join(sorted(unknown))}")
    return names


async def list_collection(ctx: Ctx) -> web.Response:
    """``GET {collection}.json`` with the collection's filters, search and sort."""
    spec, records = find_spec(ctx)
    page, per_page = page_params(ctx.params)
    for name in spec.required:
        if not ctx.params.get(name):
            raise SandboxError(400, f"{name} is required")
    for name, allowed in spec.choices.items():
        check_choice(name, ctx.params.get(name), allowed)
    if (
        spec.key == "tags"
        and ctx.params.get("tag_level") == "account"
        and ctx.params.get("company_id")
    ):
        raise SandboxError(400, "tag_level=account cannot be combined with company_id")
    sort, order = ctx.params.get("sort"), ctx.params.get("order")
    check_choice("sort", sort, spec.sorts)
    check_choice("order", order, {"asc", "desc"})
    if order and not sort:
        raise SandboxError(400, "order requires sort")
    wanted = requested(ctx, spec)
    selected = [
        r
        for r in records.values()
        if all(test(r, v) for n, test in spec.filters.items() if (v := ctx.params.get(n)))
    ]
    if spec.date_field:
        selected = _in_date_range(ctx, spec, selected)
    term = (ctx.params.get("search") or "").lower()
    if term:
        selected = [
            r for r in selected if any(term in str(r.get(f, "")).lower() for f in spec.search)
        ]
    if sort:
        sort_records(selected, sort, order)
    body = offset_envelope(spec.key, len(selected), page, per_page)
    if ctx.maton and spec.maton_omits_total_pages:
        del body["total_pages"]
    start = (page - 1) * per_page
    body[spec.key] = [shown(r, spec, wanted) for r in selected[start : start + per_page]]
    return json_response(body)


DATE_PARAMS = ("date_range", "start_date", "end_date")


def _in_date_range(ctx: Ctx, spec: CollectionSpec, records: list[Record]) -> list[Record]:
    """The records whose date falls in the request's date filters (when it has any)."""
    params = ctx.params
    if not any(params.get(name) for name in DATE_PARAMS):
        return records
    if spec.key == "sms_threads" and bool(params.get("start_date")) != bool(params.get("end_date")):
        raise SandboxError(400, "start_date and end_date must be given together")
    try:
        start, end, _ = _dates.resolve(params, ctx.now(), ctx.acct.time_zone)
    except _dates.DateError as exc:
        raise SandboxError(400, str(exc)) from None
    field_name = spec.date_field or ""
    return [r for r in records if start <= _instant(r.get(field_name)) <= end]


CHRONOLOGICAL_SORTS = frozenset({"created_at", "submitted_at"})


def sort_records(records: list[Record], sort: str, order: str | None) -> None:
    """Sort as CallRail does: alphabetical, dates newest first (``order`` reverses either)."""
    if sort in CHRONOLOGICAL_SORTS:
        records.sort(key=lambda r: _instant(r.get(sort)), reverse=order != "asc")
    else:
        records.sort(key=lambda r: str(r.get(sort) or ""), reverse=order == "desc")


def _instant(value: Any) -> float:
    """A timestamp's instant (records without one sort as the oldest)."""
    try:
        return dt.datetime.fromisoformat(str(value)).timestamp() if value else float("-inf")
    except ValueError:
        return float("-inf")


def find_record(ctx: Ctx) -> tuple[CollectionSpec, Record]:
    spec, records = find_spec(ctx)
    record = records.get(ctx.match["id"])
    if record is None:
        raise SandboxError(404, spec.not_found)
    return spec, record


async def get_record(ctx: Ctx) -> web.Response:
    """``GET {collection}/{id}.json``."""
    spec, record = find_record(ctx)
    return json_response(shown(record, spec, requested(ctx, spec)))
