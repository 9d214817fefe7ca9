"""Sandbox handlers for calls: list (offset and relative), get, update, create, recording."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import msgspec
from aiohttp import web

from ._call_selection import output_zone, render, requested_fields, select_calls
from ._calls import DEFAULT_CALL_FIELDS
from ._context import Ctx, check_choice, json_response, offset_envelope, page_params
from ._errors import SandboxError


def _envelope(meta: dict[str, Any], items: list[bytes]) -> bytes:
    head = msgspec.json.encode(meta)[:-1]
    return head + b',"calls":[' + b",".join(items) + b"]}"


async def list_calls(ctx: Ctx) -> web.Response:
    """``GET calls.json``: offset pages, or relative pages with ``relative_pagination``."""
    if ctx.live is not None:
        ctx.live.apply(ctx.acct.calls, ctx.now())
    page, per_page = page_params(ctx.params)
    fields = requested_fields(ctx)
    indices, *_ = select_calls(ctx)
    zone = output_zone(ctx)
    total = len(indices)
    if ctx.params.get("relative_pagination") == "true":
        try:
            offset = int(ctx.params.get("offset", "0"))
        except ValueError:
            raise SandboxError(400, "offset must be an integer") from None
        if offset < 0:
            raise SandboxError(400, "offset must be 0 or greater")
        start = offset * per_page
        items = [render(ctx, i, fields, zone) for i in indices[start : start + per_page]]
        has_next = start + per_page < total
        meta: dict[str, Any] = {
            "per_page": per_page,
            "has_next_page": has_next,
            "next_page": _next_page_link(ctx, offset + 1) if has_next else None,
        }
        return _raw_json(_envelope(meta, items))
    start = (page - 1) * per_page
    items = [render(ctx, i, fields, zone) for i in indices[start : start + per_page]]
    meta = {
        "page": page,
        "per_page": per_page,
        "total_pages": -(-total // per_page),
        "total_records": total,
    }
    return _raw_json(_envelope(meta, items))


def _raw_json(body: bytes) -> web.Response:
    return web.Response(body=body, content_type="application/json")


def _next_page_link(ctx: Ctx, offset: int) -> str:
    """CallRail's ``next_page``: absolute, no ``.json``, the filters plus Rails internals."""
    aid = ctx.match.get("aid") or ctx.account_key
    # Rails parses the query into a hash before regenerating the link: a repeated scalar
    # parameter appears once (the last value wins); arrays (name[]) keep every value.
    scalars = {k: v for k, v in ctx.query.items() if not k.endswith("[]")}
    arrays = [(k, v) for k, v in ctx.query.items() if k.endswith("[]")]
    query = [(k, v) for k, v in scalars.items() if k not in ("offset", "page", "format")]
    query += [*arrays, ("format", "json"), ("offset", str(offset))]
    return f"{ctx.link_origin}/v3/a/{aid}/calls?{urlencode(sorted(query))}"


def _find(ctx: Ctx) -> int:
    call_id = ctx.match["id"]
    index = ctx.acct.calls.index_of(call_id)
    if index is None:
        raise SandboxError(404, "Call not found")
    return index


async def get_call(ctx: Ctx) -> web.Response:
    """``GET calls/{id}.json``."""
    index = _find(ctx)
    return _raw_json(render(ctx, index, requested_fields(ctx), output_zone(ctx)))


UPDATABLE = {"tags", "append_tags", "note", "value", "lead_status", "customer_name", "spam"}


async def update_call(ctx: Ctx) -> web.Response:
    """``PUT calls/{id}.json``: tags (replace or append), note, value, lead_status, spam."""
    index = _find(ctx)
    body = ctx.require_body()
    unknown = set(body) - UPDATABLE
    if unknown:
        raise SandboxError(400, f"Unknown parameter(s): {', '.join(sorted(unknown))}")
    store = ctx.acct.calls
    current = store.attrs(index)
    change: dict[str, Any] = {}
    if "lead_status" in body:
        status = body["lead_status"]
        check_choice("lead_status", status, {"good_lead", "not_a_lead"}) if status else None
        if status == "good_lead" and current["lead_status"] == "previously_marked_good_lead":
            raise SandboxError(400, "This call was previously marked as a good lead")
        change["lead_status"] = status
    for name in ("note", "customer_name", "value"):
        if name in body:
            change[name] = body[name]
    if "tags" in body:
        tags = body["tags"]
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise SandboxError(400, "tags must be an array of tag names")
        existing = list(current["tags"] or [])
        new = existing + [t for t in tags if t not in existing] if body.get("append_tags") else tags
        change["tags"] = new
        ctx.acct.ensure_company_tags(current["company_id"], tags)
    if body.get("spam") is True:
        store.overrides.setdefault(index, {}).update(change)
        store.mark_spam(index)
        return _raw_json(render(ctx, index, DEFAULT_CALL_FIELDS))
    if "spam" in body:
        raise SandboxError(400, "spam can only be set to true")
    store.overrides.setdefault(index, {}).update(change)
    store.version += 1
    return _raw_json(render(ctx, index, DEFAULT_CALL_FIELDS))


async def recording(ctx: Ctx) -> web.Response:
    """``GET calls/{id}/recording.json``."""
    index = _find(ctx)
    attrs = ctx.acct.calls.attrs(index)
    if not attrs["recording"]:
        raise SandboxError(404, "Recording not found")
    return json_response(
        {
            "url": f"https://app.callrail.com/calls/{attrs['id']}/recording/"
            f"redirect?access_key=sandbox{index:08x}"
        }
    )


async def create_outbound(ctx: Ctx) -> web.Response:
    """``POST calls.json``: an outbound call, just placed (no duration or answer yet)."""
    body = ctx.require_body()
    for name in ("caller_id", "customer_phone_number", "business_phone_number"):
        if not body.get(name):
            raise SandboxError(400, f"{name} can't be blank")
    store = ctx.acct.calls
    index = store.append(ctx.now())
    store.overrides[index] = {
        "direction": "outbound",
        "answered": None,
        "duration": None,
        "recording": None,
        "recording_duration": None,
        "recording_player": None,
        "voicemail": False,
        "customer_name": None,
        "customer_phone_number": body["customer_phone_number"],
        "business_phone_number": body["business_phone_number"],
    }
    return web.Response(
        status=201, body=render(ctx, index, DEFAULT_CALL_FIELDS), content_type="application/json"
    )


async def page_views(ctx: Ctx) -> web.Response:
    """``GET calls/{id}/page_views.json``: the pages viewed before the call."""
    index = _find(ctx)
    page, per_page = page_params(ctx.params)
    attrs = ctx.acct.calls.attrs(index, zone=output_zone(ctx))
    started = dt.datetime.fromisoformat(attrs["start_time"])
    views = [
        {
            "page_url": f"https://www.example.com/page/{n}",
            "referrer_url": "https://www.google.com/",
            "created_at": (started - dt.timedelta(minutes=5 * (n + 1))).isoformat(
                timespec="milliseconds"
            ),
        }
        for n in range(index % 4)
    ]
    body = offset_envelope("page_views", len(views), page, per_page)
    body["page_views"] = views[(page - 1) * per_page : page * per_page]
    return json_response(body)
