"""Sandbox handlers for the accounts these credentials can see."""

from __future__ import annotations

from aiohttp import web

from ._context import Ctx, json_response, offset_envelope, page_params

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
