"""Sandbox handlers for forms, text conversations and lead timelines (reads and sending)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from . import _dates
from ._collections_api import SPECS, Record, find_record, requested, shown
from ._context import Ctx, check_choice, json_response, offset_envelope, page_params, public
from ._errors import SandboxError
from ._ids import formatted_phone
from ._timefmt import offset_millis, utc_millis

FORM_METRICS = ("total_forms", "first_forms", "leads")
FORM_GROUPS = {
    "source": "source",
    "keywords": "keywords",
    "campaign": "campaign",
    "referrer": "referrer",
    "landing_page": "landing_page_url",
    "form_name": "form_name",
    "company": "company_name",
}


def _form_metrics(forms: list[Record], names: list[str]) -> dict[str, int]:
    values = {
        "total_forms": len(forms),
        "first_forms": sum(1 for f in forms if f.get("first_form")),
        "leads": sum(1 for f in forms if f.get("lead_status") == "good_lead"),
    }
    return {name: values[name] for name in names}


async def forms_summary(ctx: Ctx) -> web.Response:
    """``GET forms/summary.json``: the date range, filters, ``fields`` and ``group_by``."""
    names = [f for f in (ctx.params.get("fields") or "total_forms").split(",") if f]
    for name in names:
        check_choice("fields", name, set(FORM_METRICS))
    group_by = ctx.params.get("group_by")
    check_choice("group_by", group_by, set(FORM_GROUPS))
    check_choice("lead_status", ctx.params.get("lead_status"), LEAD_FILTERS)
    try:
        start, end, zone = _dates.resolve(ctx.params, ctx.now(), ctx.acct.time_zone)
    except _dates.DateError as exc:
        raise SandboxError(400, str(exc)) from None
    company, status = ctx.params.get("company_id"), ctx.params.get("lead_status")
    tags = set(ctx.array("tags"))
    forms = [
        f
        for f in ctx.acct.collections["form_submissions"].values()
        if start <= f.get("_submitted_ts", 0.0) <= end
        and (not company or f["company_id"] == company)
        and (not status or (f.get("lead_status") or "not_scored") == status)
        and (not tags or tags & set(f.get("tags") or []))
    ]
    body: dict[str, Any] = {
        "start_date": dt.datetime.fromtimestamp(start, zone).strftime("%Y-%m-%dT%H:%M:%S%z"),
        "end_date": dt.datetime.fromtimestamp(end, zone).strftime("%Y-%m-%dT%H:%M:%S%z"),
        "time_zone": str(zone),
        "total_results": _form_metrics(forms, names),
    }
    if group_by:
        groups: dict[str, list[Record]] = {}
        for form in forms:
            groups.setdefault(str(form.get(FORM_GROUPS[group_by]) or "(none)"), []).append(form)
        body["grouped_by"] = group_by
        body["grouped_results"] = [
            {"key": key, **_form_metrics(group, names)}
            for key, group in sorted(groups.items(), key=lambda kv: -len(kv[1]))
        ]
    return json_response(body)


LEAD_FILTERS = frozenset({"good_lead", "not_a_lead", "not_scored"})


async def conversation(ctx: Ctx) -> web.Response:
    """``GET text-messages/{id}.json`` and ``GET sms-threads/{id}.json``: paged messages.

    A thread shows every field; a text conversation its optional ones only on request.
    """
    spec_name = ctx.match["collection"]
    spec, record = find_record(ctx)
    page, per_page = page_params(ctx.params)
    if spec_name == "sms-threads" and per_page > 100:
        raise SandboxError(400, "per_page must be between 1 and 100")
    messages = record.get("_messages", [])
    fields = (
        public(record) if spec_name == "sms-threads" else shown(record, spec, requested(ctx, spec))
    )
    fields.pop("recent_messages", None)
    meta = offset_envelope("messages", len(messages), page, per_page)
    start = (page - 1) * per_page
    meta["messages"] = messages[start : start + per_page]
    return json_response({**fields, **meta})


async def send_text(ctx: Ctx) -> web.Response:
    """``POST text-messages.json`` (JSON, or multipart with ``media_file``): a new message in
    a new or existing conversation."""
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
        found = _new_conversation(ctx, body)
        conversations[found["id"]] = found
    media = body.get("media_url") or body.get("media_file")
    message_id = ctx.acct.new_int_id()
    media_urls = [f"{ctx.link_origin}/v3/a/{ctx.acct.id}/text-messages/{message_id}/media/0"]
    message = {
        "id": message_id,
        "content": body["content"],
        "direction": "outgoing",
        "created_at": offset_millis(ctx.now()),
        "type": "mms" if media else "sms",
        "status": "sent",
        "media_urls": media_urls if media else [],
    }
    found["_messages"].insert(0, message)
    found["last_message_at"] = utc_millis(ctx.now())
    found["recent_messages"] = found["_messages"][:2]
    return json_response(shown(found, SPECS["text-messages"], set()), 201)


def _new_conversation(ctx: Ctx, body: Record) -> Record:
    tracking = body.get("tracking_number")
    if not tracking:
        raise SandboxError(400, "tracking_number can't be blank for a new conversation")
    trackers = ctx.acct.collections["trackers"].values()
    tracker = next((t for t in trackers if tracking in t["tracking_numbers"]), None)
    company = ctx.acct.collections["companies"].get(str(body["company_id"]), {})
    key = f"N{ctx.acct.new_int_id()}"
    tracker_id = tracker["id"] if tracker else None
    return {
        "id": key,
        "company_id": body["company_id"],
        "initial_tracker_id": tracker_id,
        "current_tracker_id": tracker_id,
        "customer_name": None,
        "customer_phone_number": body["customer_phone_number"],
        "initial_tracking_number": tracking,
        "current_tracking_number": tracking,
        "last_message_at": None,
        "state": "active",
        "company_time_zone": company.get("time_zone", "America/New_York"),
        "formatted_customer_phone_number": formatted_phone(body["customer_phone_number"]),
        "formatted_initial_tracking_number": formatted_phone(tracking),
        "formatted_current_tracking_number": formatted_phone(tracking),
        "formatted_customer_name": None,
        "lead_status": None,
        "source": None,
        "_messages": [],
    }


async def media(ctx: Ctx) -> web.Response:
    """``GET text-messages/{message}/media/{index}``: the attachment's bytes."""
    return web.Response(body=b"\x89PNG\r\n\x1a\nsandbox-media", content_type="image/png")


async def lead_timeline(ctx: Ctx) -> web.Response:
    """``GET leads/{id}/timeline.json``: the lead's summary and its events, newest first."""
    lead = ctx.acct.collections["leads"].get(ctx.match["id"])
    if lead is None:
        raise SandboxError(404, "Lead not found")
    page, per_page = page_params(ctx.params)
    forms = [
        f
        for f in ctx.acct.collections["form_submissions"].values()
        if f.get("person_id") == lead["id"]
    ]
    events: list[Record] = [
        {
            "type": "form_submission",
            "id": f["id"],
            "event_date": f["submitted_at"],
            "form_name": f.get("form_name"),
            "form_url": f["form_url"],
            "form_fields": f["form_data"],
            "form_submission_url": f["form_url"],
        }
        for f in forms
    ]
    touch = {
        "touchpoint_type": "organic_search",
        "source": "google",
        "medium": "organic",
        "created_at": lead["created_at"],
    }
    events.append(
        {
            "type": "milestone",
            "id": f"TOUCH{lead['id'][3:11]}",
            "event_date": lead["created_at"],
            "milestone_type": "lead_created",
            "touchpoint_type": "organic_search",
        }
    )
    summary = {
        "customer_name": lead["name"],
        "customer_phone_number": lead["phone"],
        "total_interactions": len(events),
        "first_touch": touch,
        "last_touch": {"touchpoint_type": "direct", "created_at": lead["created_at"]},
        "lead_creation": {
            "touchpoint_type": "organic_search",
            "source": "google",
            "lead_creation_time": lead["created_at"],
        },
        "lead_qualification": None,
        "tags": [],
        "convert_assist": None,
        "voice_assist": False,
        "transcript": False,
        "source": "google",
        "medium": "organic",
        "campaign": None,
        "landing_page_url": "https://www.example.com/",
        "referrer_url": None,
        "click_id": None,
    }
    meta = offset_envelope("timeline", len(events), page, per_page)
    meta["timeline"] = events[(page - 1) * per_page : page * per_page]
    return json_response({**meta, "lead": summary})
