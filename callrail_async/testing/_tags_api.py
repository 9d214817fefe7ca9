"""Sandbox handlers that create, update and delete tags (listing them is a plain collection)."""

from __future__ import annotations

from aiohttp import web

from ._collections_api import Record, find_record
from ._context import Ctx, check_choice, json_response
from ._errors import SandboxError
from ._timefmt import offset_millis

# The colors CallRail's reference lists: gray1, gray2, blue1, ... green4 (the sandbox's own
# copy, independent of the SDK's enums, so that it catches the SDK's mistakes).
TAG_COLORS = frozenset(
    f"{hue}{shade}"
    for hue, shades in (
        ("gray", 2),
        ("blue", 2),
        ("cyan", 2),
        ("purple", 2),
        ("pink", 4),
        ("red", 2),
        ("orange", 4),
        ("yellow", 2),
        ("green", 4),
    )
    for shade in range(1, shades + 1)
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
