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
from ._timefmt import offset_millis

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


TAG_COLORS = frozenset(
    [
        "gray1",
        "gray2",
        "blue1",
        "blue2",
        "cyan1",
        "cyan2",
        "purple1",
        "purple2",
        "pink1",
        "pink2",
        "pink3",
        "pink4",
        "red1",
        "red2",
        "orange1",
        "orange2",
        "orange3",
        "orange4",
        "yellow1",
        "yellow2",
        "green1",
        "green2",
        "green3",
        "green4",
    ]
)


def _tag_response(tag: Record, status: int = 200) -> web.Response:
    # CallRail returns the tag id as a string from create/update (a number in lists).
    return json_response({**tag, "id": str(tag["id"])}, status)


async def create_tag(ctx: Ctx) -> web.Response:
    """``POST tags.json``."""
    body = ctx.require_body()
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SandboxError(400, "Name can't be blank")
    level = body.get("tag_level") or "company"
    check_choice("tag_level", level, {"company", "account"})
    company_id = body.get("company_id")
    if level == "company" and company_id not in ctx.acct.collections["companies"]:
        raise SandboxError(400, "company_id is required and must be a company of the account")
    color = body.get("color") or "gray1"
    if color not in TAG_COLORS:
        raise SandboxError(400, "Color is not included in the list")
    tags = ctx.acct.collections["tags"]
    if any(t["name"] == name and t["company_id"] == company_id for t in tags.values()):
        raise SandboxError(422, "Name has already been taken")
    tag_id = ctx.acct.new_int_id()
    tag = {
        "id": tag_id,
        "name": name,
        "tag_level": level,
        "color": color,
        "background_color": color,
        "company_id": company_id if level == "company" else None,
        "status": "enabled",
        "created_at": offset_millis(ctx.now()),
    }
    tags[str(tag_id)] = tag
    return _tag_response(tag, 201)


async def update_tag(ctx: Ctx) -> web.Response:
    """``PUT tags/{id}.json``: name, color, disabled."""
    _, tag = find_record(ctx)
    body = ctx.require_body()
    unknown = set(body) - {"name", "color", "disabled"}
    if unknown:
        raise SandboxError(400, f"Unknown parameter(s): {', '.join(sorted(unknown))}")
    if "name" in body:
        if not isinstance(body["name"], str) or not body["name"].strip():
            raise SandboxError(400, "Name can't be blank")
        tag["name"] = body["name"]
    if "color" in body:
        if body["color"] not in TAG_COLORS:
            raise SandboxError(400, "Color is not included in the list")
        tag["color"] = body["color"]
    if "disabled" in body:
        tag["status"] = "disabled" if body["disabled"] in (True, "true") else "enabled"
    return _tag_response(tag)


async def delete_tag(ctx: Ctx) -> web.Response:
    """``DELETE tags/{id}.json``: gone, and removed from every call."""
    _, tag = find_record(ctx)
    del ctx.acct.collections["tags"][str(tag["id"])]
    store = ctx.acct.calls
    for override in store.overrides.values():
        if tag["name"] in (override.get("tags") or []):
            override["tags"] = [t for t in override["tags"] if t != tag["name"]]
    store.version += 1
    return web.Response(status=204)


# The Maton gateway's example shows these; CallRail's documentation only on request.
ACCOUNT_OPTIONAL = frozenset({"numeric_id", "created_at", "inbound_recording_enabled"})


async def list_accounts(ctx: Ctx) -> web.Response:
    """``GET a.json``: the accounts these credentials can see."""
    page, per_page = page_params(ctx.params)
    visible = [a.record for a in ctx.visible]
    shown_fields = {f for f in (ctx.params.get("fields") or "").split(",") if f}
    hidden = set() if ctx.maton else ACCOUNT_OPTIONAL - shown_fields
    body = offset_envelope("accounts", len(visible), page, per_page)
    start = (page - 1) * per_page
    body["accounts"] = [
        {k: v for k, v in r.items() if k not in hidden} for r in visible[start : start + per_page]
    ]
    return json_response(body)


async def get_account(ctx: Ctx) -> web.Response:
    """``GET a/{id}.json``."""
    shown_fields = {f for f in (ctx.params.get("fields") or "").split(",") if f}
    hidden = set() if ctx.maton else ACCOUNT_OPTIONAL - shown_fields
    return json_response({k: v for k, v in ctx.acct.record.items() if k not in hidden})
