"""Sandbox handlers for writes and the less common reads (forms, texts, flows, leads...)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from ._collections_api import Record, _record
from ._context import Ctx, json_response, offset_envelope, page_params
from ._data import offset_millis, utc_millis
from ._errors import SandboxError
from ._ids import masked_id


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
    return json_response(_public(record), 201)


async def update_record(ctx: Ctx) -> web.Response:
    """``PUT {collection}/{id}.json``: only the fields sent change."""
    _, spec = _write_spec(ctx)
    _, record = _record(ctx)
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
    return json_response(_public(record))


async def delete_record(ctx: Ctx) -> web.Response:
    """``DELETE {collection}/{id}.json``: gone, or disabled where CallRail soft-deletes."""
    name, spec = _write_spec(ctx)
    _, record = _record(ctx)
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


def _public(record: Record) -> Record:
    return {k: v for k, v in record.items() if not k.startswith("_")}


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


async def forms_summary(ctx: Ctx) -> web.Response:
    """``GET forms/summary.json``."""
    forms = list(ctx.acct.collections["form_submissions"].values())
    group_by = ctx.params.get("group_by")
    body: dict[str, Any] = {"time_zone": "UTC", "total_results": {"total_forms": len(forms)}}
    if group_by:
        groups: dict[str, int] = {}
        for form in forms:
            key = str(form.get(group_by) or form.get("source") or "(none)")
            groups[key] = groups.get(key, 0) + 1
        body["grouped_by"] = group_by
        body["grouped_results"] = [{"key": k, "total_forms": n} for k, n in groups.items()]
    return json_response(body)


async def conversation(ctx: Ctx) -> web.Response:
    """``GET text-messages/{id}.json`` and ``GET sms-threads/{id}.json``: paged messages."""
    spec_name = ctx.match["collection"]
    _, record = _record(ctx)
    page, per_page = page_params(ctx.params)
    if spec_name == "sms-threads" and per_page > 100:
        raise SandboxError(400, "per_page must be between 1 and 100")
    messages = record.get("_messages", [])
    shown = {k: v for k, v in _public(record).items() if k != "recent_messages"}
    meta = offset_envelope("messages", len(messages), page, per_page)
    start = (page - 1) * per_page
    meta["messages"] = messages[start : start + per_page]
    return json_response({**shown, **meta})


async def send_text(ctx: Ctx) -> web.Response:
    """``POST text-messages.json``: a new message in a (new or existing) conversation."""
    body = ctx.require_body()
    for name in ("company_id", "customer_phone_number", "content"):
        if not body.get(name):
            raise SandboxError(400, f"{name} can't be blank")
    if body.get("media_url") and body.get("media_file"):
        raise SandboxError(422, "Provide either media_url or media_file, not both")
    conversations = ctx.acct.collections["text-messages"]
    number = body["customer_phone_number"]
    found = next((c for c in conversations.values() if c["customer_phone_number"] == number), None)
    if found is None:
        if not body.get("tracking_number"):
            raise SandboxError(400, "tracking_number can't be blank for a new conversation")
        key = f"N{ctx.acct.new_int_id()}"
        found = conversations[key] = {
            "id": key, "company_id": body["company_id"], "customer_name": None,
            "customer_phone_number": body["customer_phone_number"],
            "current_tracking_number": body["tracking_number"], "state": "active",
            "_messages": [],
        }  # fmt: skip
    message = {"id": ctx.acct.new_int_id(), "content": body["content"], "direction": "outgoing",
               "created_at": offset_millis(ctx.now()), "type": "mms" if body.get("media_url")
               else "sms", "status": "sent", "media_urls": [body["media_url"]]
               if body.get("media_url") else []}  # fmt: skip
    found["_messages"].insert(0, message)
    found["last_message_at"] = utc_millis(ctx.now())
    found["recent_messages"] = found["_messages"][:2]
    return json_response(_public(found), 201)


async def media(ctx: Ctx) -> web.Response:
    """``GET text-messages/{message}/media/{index}``: the attachment's bytes."""
    return web.Response(body=b"\x89PNG\r\n\x1a\nsandbox-media", content_type="image/png")


async def lead_timeline(ctx: Ctx) -> web.Response:
    """``GET leads/{id}/timeline.json``."""
    lead = ctx.acct.collections["leads"].get(ctx.match["id"])
    if lead is None:
        raise SandboxError(404, "Lead not found")
    page, per_page = page_params(ctx.params)
    events = [{"type": "form_submission", "id": f, "event_date": r["submitted_at"]}
              for f, r in ctx.acct.collections["form_submissions"].items()
              if r.get("person_id") == lead["id"]]  # fmt: skip
    events.append({"type": "milestone", "id": None, "event_date": lead["created_at"]})
    meta = offset_envelope("timeline", len(events), page, per_page)
    meta["timeline"] = events[(page - 1) * per_page : page * per_page]
    return json_response({"lead": {"customer_name": lead["name"], "tags": []}, **meta})
