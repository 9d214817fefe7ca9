"""Sandbox handlers for forms, text conversations and lead timelines (reads and sending)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from ._collections_api import find_record
from ._context import Ctx, json_response, offset_envelope, page_params, public
from ._errors import SandboxError
from ._timefmt import offset_millis, utc_millis


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
    _, record = find_record(ctx)
    page, per_page = page_params(ctx.params)
    if spec_name == "sms-threads" and per_page > 100:
        raise SandboxError(400, "per_page must be between 1 and 100")
    messages = record.get("_messages", [])
    shown = {k: v for k, v in public(record).items() if k != "recent_messages"}
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
    return json_response(public(found), 201)


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
