"""Sandbox handlers that create, update and delete records (and the bulk company update)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from . import _write_shapes as shapes
from ._collections_api import Record, find_record
from ._context import Ctx, json_response, public
from ._errors import SandboxError
from ._ids import masked_id
from ._timefmt import offset_millis, utc_millis


@dataclass(frozen=True)
class WriteSpec:
    """How a collection is created, updated and deleted."""

    id_prefix: str | None = None  # masked ids (COM, TRK...); None: integer ids
    required: tuple[str, ...] = ()
    updatable: frozenset[str] | None = None  # None: any field but the id
    soft_delete: tuple[str, Any] | None = None  # e.g. ("status", "disabled")
    defaults: Callable[[Ctx, Record], Record] = field(default=lambda ctx, body: {})
    prepare: Callable[[Ctx, Record], Record] = field(default=lambda ctx, body: body)
    created_status: int = 201
    wrapper: str | None = None  # a create body may be nested under this key


WRITES: dict[str, WriteSpec] = {
    "companies": WriteSpec(
        id_prefix="COM",
        required=("name",),
        updatable=frozenset(
            {
                "name",
                "callscore_enabled",
                "keyword_spotting_enabled",
                "callscribe_enabled",
                "time_zone",
                "swap_exclude_jquery",
                "swap_ppc_override",
                "swap_landing_override",
                "swap_cookie_duration",
                "swap_cookie_duration_unit",
                "external_form_capture",
            }
        ),
        soft_delete=("status", "disabled"),
        defaults=shapes.company_defaults,
        prepare=shapes.company_fields,
    ),
    "trackers": WriteSpec(
        id_prefix="TRK",
        required=("type", "name", "company_id", "call_flow", "source"),
        soft_delete=("status", "disabled"),
        defaults=shapes.tracker_defaults,
        prepare=shapes.tracker_fields,
    ),
    "users": WriteSpec(
        id_prefix="USR",
        required=("first_name", "last_name", "email", "role"),
        updatable=frozenset({"first_name", "last_name", "email", "current_password", "companies"}),
        defaults=shapes.user_defaults,
        prepare=shapes.user_fields,
        created_status=200,  # the reference: "the HTTP response code will indicate 200 OK"
    ),
    "notifications": WriteSpec(
        updatable=frozenset(
            {
                "company_id",
                "tracker_id",
                "call_enabled",
                "sms_enabled",
                "alert_type",
                "send_desktop",
                "send_email",
                "send_push",
            }
        ),
        defaults=shapes.notification_defaults,
        prepare=shapes.notification_fields,
    ),
    "integrations": WriteSpec(
        required=("company_id", "type", "config"),
        updatable=frozenset({"state", "config"}),
        soft_delete=("state", "disabled"),
        defaults=lambda ctx, body: {
            "state": "active",
            "signing_key": masked_id("", 0, "key", int(ctx.now())),
        },
    ),
    "integration_triggers": WriteSpec(
        required=("company_id",),
        updatable=frozenset(
            {"tracker_ids", "call_type", "min_duration", "max_duration", "lead_status"}
        ),
        defaults=shapes.trigger_defaults,
        prepare=shapes.trigger_fields,
    ),
    "caller_ids": WriteSpec(
        required=("company_id", "phone_number", "name"),
        updatable=frozenset(),
        defaults=lambda ctx, body: {
            "created_at": offset_millis(ctx.now()),
            "verified": False,
            "validation_code": "123456",
        },
    ),
    "form_submissions": WriteSpec(
        id_prefix="FOR",
        required=("company_id", "form_data"),
        updatable=frozenset({"tags", "append_tags", "note", "value", "lead_status"}),
        defaults=shapes.form_submission_defaults,
        prepare=shapes.form_submission_fields,
        wrapper="form_submission",
    ),
    "message-flows": WriteSpec(
        id_prefix="MFL",
        required=("company_id", "name", "initial_step_id", "steps"),
        updatable=frozenset({"name", "initial_step_id", "steps"}),
        defaults=lambda ctx, body: {"updated_at": offset_millis(ctx.now()), "tracker_ids": []},
        prepare=shapes.message_flow_fields,
    ),
    "summary_emails": WriteSpec(
        id_prefix="CSS",
        required=("frequency", "config"),
        updatable=frozenset({"frequency", "config", "filters"}),
        defaults=lambda ctx, body: {"filters": {"lead_status": "All"}, "email": None},
        prepare=shapes.summary_email_fields,
    ),
    "sms-threads": WriteSpec(
        updatable=frozenset({"notes", "value", "tags", "append_tags", "lead_qualification"}),
        prepare=shapes.with_value_as_number,
    ),
}


def _write_spec(ctx: Ctx) -> tuple[str, WriteSpec]:
    name = ctx.match["collection"]
    spec = WRITES.get(name)
    if spec is None:
        raise SandboxError(405, f"{name} cannot be written")
    return name, spec


def _refuse_blanks(fields: Iterable[str], body: Record) -> None:
    """400 when any of ``fields`` (ones CallRail requires) is missing or blank in ``body``."""
    missing = [f for f in fields if body.get(f) in (None, "", [], {})]
    if missing:
        raise SandboxError(400, f"{', '.join(missing)} can't be blank")


async def create_record(ctx: Ctx) -> web.Response:
    """``POST {collection}.json``."""
    name, spec = _write_spec(ctx)
    body = ctx.require_body()
    if spec.wrapper and isinstance(body.get(spec.wrapper), dict):
        body = body[spec.wrapper]
    _refuse_blanks(spec.required, body)
    account = ctx.acct
    if "company_id" in body and body["company_id"] not in account.collections["companies"]:
        raise SandboxError(400, "company_id must be a company of the account")
    new_id: str | int = (
        masked_id(spec.id_prefix, account.new_int_id(), name, account.index)
        if spec.id_prefix
        else account.new_int_id()
    )
    defaults = spec.defaults(ctx, body)
    record = {"id": new_id, **defaults, **spec.prepare(ctx, body)}
    record.pop("append_tags", None)
    account.collections[name][str(new_id)] = record
    return json_response(public(record), spec.created_status)


async def update_record(ctx: Ctx) -> web.Response:
    """``PUT {collection}/{id}.json``: only the fields sent change."""
    _, spec = _write_spec(ctx)
    _, record = find_record(ctx)
    body = ctx.require_body()
    unknown = set(body) - spec.updatable if spec.updatable is not None else set(body) & {"id"}
    if unknown:
        raise SandboxError(400, f"Unknown parameter(s): {', '.join(sorted(unknown))}")
    _refuse_blanks([f for f in spec.required if f in body], body)
    if "tags" in body and body.pop("append_tags", False):
        body["tags"] = list(record.get("tags") or []) + [
            t for t in body["tags"] if t not in (record.get("tags") or [])
        ]
    body.pop("append_tags", None)
    record.update(spec.prepare(ctx, body))
    return json_response(public(record))


async def delete_record(ctx: Ctx) -> web.Response:
    """``DELETE {collection}/{id}.json``: gone, or disabled where CallRail soft-deletes."""
    name, spec = _write_spec(ctx)
    _, record = find_record(ctx)
    collection = ctx.acct.collections[name]
    if spec.soft_delete is not None:
        if name == "companies":
            active = [c for c in collection.values() if c.get("status") == "active"]
            if record.get("status") == "active" and len(active) == 1:
                raise SandboxError(400, "You must have at least one active company.")
            record["disabled_at"] = utc_millis(ctx.now())
        key, value = spec.soft_delete
        record[key] = value
    else:
        del collection[str(record["id"])]
    return web.Response(status=204)


async def bulk_update(ctx: Ctx) -> web.Response:
    """``POST companies/bulk_update.json``."""
    body = ctx.require_body()
    ids, capture = body.get("company_ids"), body.get("external_form_capture")
    if not isinstance(ids, list) or not isinstance(capture, bool):
        raise SandboxError(400, "company_ids (array) and external_form_capture are required")
    companies = ctx.acct.collections["companies"]
    chosen = (
        list(companies.values())
        if ids == ["all"]
        else [companies[i] for i in ids if i in companies]
    )
    for company in chosen:
        company["form_capture"] = capture
    return json_response({"updated_records": len(chosen)})


async def ignored_fields(ctx: Ctx) -> web.Response:
    """``POST form_submissions/ignored_fields.json``."""
    body = ctx.require_body()
    if not body.get("field_names") or not body.get("company_ids"):
        raise SandboxError(400, "company_ids and field_names are required")
    return json_response({"message": "Ingored form fields created"})
