"""Sandbox handlers that create, update and delete records (and the bulk company update)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

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


def _user_companies(ctx: Ctx, body: Record) -> Record:
    # Users are sent company ids and answer with {id, name} objects.
    if "companies" not in body:
        return body
    known = ctx.acct.collections["companies"]
    return {**body, "companies": [{"id": c, "name": known.get(c, {}).get("name")}
                                  for c in body["companies"]]}  # fmt: skip


def _stamp(ctx: Ctx, body: Record) -> Record:
    return {"created_at": offset_millis(ctx.now())}


WRITES: dict[str, WriteSpec] = {
    "companies": WriteSpec(
        "COM", ("name",), frozenset({"name", "callscore_enabled", "keyword_spotting_enabled",
        "callscribe_enabled", "time_zone", "swap_exclude_jquery", "swap_ppc_override",
        "swap_landing_override", "swap_cookie_duration", "swap_cookie_duration_unit",
        "external_form_capture"}), ("status", "disabled"),
        lambda ctx, body: {"status": "active", "time_zone": "America/New_York",
                           "created_at": utc_millis(ctx.now()), "disabled_at": None,
                           "dni_active": None, "swap_cookie_duration": 6,
                           "swap_cookie_duration_unit": "months"},
    ),
    "trackers": WriteSpec(
        "TRK", ("type", "name", "company_id", "call_flow", "source"), None, ("status", "disabled"),
        lambda ctx, body: {"status": "active", "tracking_numbers": ["+14045550100"],
                           "created_at": utc_millis(ctx.now()), "disabled_at": None,
                           "company": {"id": body.get("company_id")}},
    ),
    "users": WriteSpec(
        "USR", ("first_name", "last_name", "email", "role"),
        frozenset({"first_name", "last_name", "email", "current_password", "companies"}),
        None, lambda ctx, body: {**_stamp(ctx, body), "accepted": False,
                                 "name": f"{body.get('first_name')} {body.get('last_name')}"},
        _user_companies,
    ),
    "notifications": WriteSpec(
        None, (), frozenset({"company_id", "tracker_id", "call_enabled", "sms_enabled",
                             "alert_type", "send_desktop", "send_email", "send_push"}),
    ),
    "integrations": WriteSpec(
        None, ("company_id", "type", "config"), frozenset({"state", "config"}),
        ("state", "disabled"),
        lambda ctx, body: {"state": "active",
                           "signing_key": masked_id("", 0, "key", int(ctx.now()))},
    ),
    "integration_triggers": WriteSpec(
        None, ("company_id", "integration_id"),
        frozenset({"tracker_ids", "call_type", "min_duration", "max_duration", "lead_status"}),
    ),
    "caller_ids": WriteSpec(
        None, ("company_id", "phone_number", "name"), frozenset(), None,
        lambda ctx, body: {**_stamp(ctx, body), "verified": False, "validation_code": "123456"},
    ),
    "form_submissions": WriteSpec(
        "FOR", ("company_id", "form_data"),
        frozenset({"tags", "append_tags", "note", "value", "lead_status"}), None,
        lambda ctx, body: {"submitted_at": utc_millis(ctx.now()), "first_form": True,
                           "person_id": "anonymous"},
    ),
    "message-flows": WriteSpec(
        "MFL", ("company_id", "name", "initial_step_id", "steps"),
        frozenset({"name", "initial_step_id", "steps"}), None,
        lambda ctx, body: {"updated_at": offset_millis(ctx.now()), "tracker_ids": []},
    ),
    "summary_emails": WriteSpec(
        "CSS", ("frequency", "config"), frozenset({"frequency", "config", "filters"}),
    ),
    "sms-threads": WriteSpec(
        None, (), frozenset({"notes", "value", "tags", "append_tags", "lead_qualification"}),
    ),
}  # fmt: skip


def _write_spec(ctx: Ctx) -> tuple[str, WriteSpec]:
    name = ctx.match["collection"]
    spec = WRITES.get(name)
    if spec is None:
        raise SandboxError(405, f"{name} cannot be written")
    return name, spec


async def create_record(ctx: Ctx) -> web.Response:
    """``POST {collection}.json``."""
    name, spec = _write_spec(ctx)
    body = ctx.require_body()
    missing = [f for f in spec.required if body.get(f) in (None, "", [], {})]
    if missing:
        raise SandboxError(400, f"{', '.join(missing)} can't be blank")
    account = ctx.acct
    if "company_id" in body and body["company_id"] not in account.collections["companies"]:
        raise SandboxError(400, "company_id must be a company of the account")
    new_id: str | int = (
        masked_id(spec.id_prefix, account.new_int_id(), name, account.index)
        if spec.id_prefix
        else account.new_int_id()
    )
    body = spec.prepare(ctx, body)
    record = {"id": new_id, **spec.defaults(ctx, body), **body}
    record.pop("append_tags", None)
    account.collections[name][str(new_id)] = record
    return json_response(public(record), 201)


async def update_record(ctx: Ctx) -> web.Response:
    """``PUT {collection}/{id}.json``: only the fields sent change."""
    _, spec = _write_spec(ctx)
    _, record = find_record(ctx)
    body = ctx.require_body()
    unknown = set(body) - spec.updatable if spec.updatable is not None else set(body) & {"id"}
    if unknown:
        raise SandboxError(400, f"Unknown parameter(s): {', '.join(sorted(unknown))}")
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
