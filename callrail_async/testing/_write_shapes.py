"""What the sandbox adds to a created or updated record so it answers as CallRail's examples
do: derived fields, sideloaded objects, server-assigned ids, values in CallRail's types.

Each function takes the request's context and the (already unwrapped) body, and returns the
fields to store; write handlers in ``_record_writes_api`` apply them.
"""

from __future__ import annotations

from typing import Any

from ._context import Ctx
from ._errors import SandboxError
from ._ids import masked_id, phone
from ._timefmt import offset_millis, utc_millis, utc_seconds

Record = dict[str, Any]

# Keys a request may carry that CallRail does not store on the record it answers with.
TRACKER_REQUEST_ONLY = (
    "company_id",
    "pool_size",
    "pool_numbers",
    "tracking_number",
    "replace_tracking_number",
    "message_flow",
)


def money(value: Any) -> Any:
    """``"$5.00"`` or ``"5.00"`` as the number CallRail answers with (``5.0``)."""
    if isinstance(value, str):
        text = value.strip().lstrip("$").replace(",", "")
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            raise SandboxError(400, f"Invalid value: {value}") from None
    return value


def company_defaults(ctx: Ctx, body: Record) -> Record:
    """Every key of CallRail's company create example."""
    serial = ctx.acct.next_int_id
    return {
        "status": "active",
        "time_zone": "America/New_York",
        "created_at": utc_millis(ctx.now()),
        "disabled_at": None,
        "dni_active": None,
        "script_url": f"//cdn.callrail.com/companies/{serial}/{serial:020x}/12/swap.js",
        "callscribe_enabled": False,
        "lead_scoring_enabled": False,
        "swap_exclude_jquery": None,
        "swap_ppc_override": None,
        "swap_landing_override": None,
        "swap_cookie_duration": 6,
        "swap_cookie_duration_unit": "months",
        "callscore_enabled": False,
        "keyword_spotting_enabled": False,
        "form_capture": False,
    }


def company_fields(ctx: Ctx, body: Record) -> Record:
    """``external_form_capture`` is how a client sets ``form_capture``."""
    fields = dict(body)
    if "external_form_capture" in fields:
        fields["form_capture"] = bool(fields.pop("external_form_capture"))
    return fields


def tracker_defaults(ctx: Ctx, body: Record) -> Record:
    """A new tracker's numbers, destination, SMS settings and company object."""
    company = ctx.acct.collections["companies"].get(str(body.get("company_id")), {})
    serial = ctx.acct.next_int_id
    size = int(body.get("pool_size") or 4) if body.get("type") == "session" else 1
    numbers = [phone(serial, 31, n) for n in range(max(1, min(size, 50)))]
    flow: Record = body["call_flow"] if isinstance(body.get("call_flow"), dict) else {}
    return {
        "status": "active",
        "destination_number": flow.get("destination_number"),
        "tracking_numbers": numbers,
        "whisper_message": None,
        "sms_enabled": False,
        "sms_supported": True,
        "company": {"id": company.get("id"), "name": company.get("name")},
        "created_at": utc_seconds(ctx.now()),
        "disabled_at": None,
    }


def tracker_fields(ctx: Ctx, body: Record) -> Record:
    """The stored fields of a tracker write; ``source: "all"`` becomes ``{"type": "all"}``."""
    fields = {k: v for k, v in body.items() if k not in TRACKER_REQUEST_ONLY}
    if fields.get("source") == "all":
        fields["source"] = {"type": "all"}
    if fields.get("whisper_message") == "":
        fields["whisper_message"] = None
    flow = fields.get("call_flow")
    if isinstance(flow, dict):
        # A basic call flow is answered with every key, unsent ones merged from the stored one.
        tracker = ctx.acct.collections["trackers"].get(ctx.match.get("id", ""), {})
        stored = tracker.get("call_flow") or {}
        flow = {"greeting_text": None, "greeting_recording_url": None, **stored, **flow}
        fields["call_flow"] = flow
        if flow.get("destination_number"):
            fields["destination_number"] = flow["destination_number"]
    return fields


def user_fields(ctx: Ctx, body: Record) -> Record:
    """Users are sent company ids and answer with ``{id, name}`` objects."""
    if "companies" not in body:
        return body
    known = ctx.acct.collections["companies"]
    return {
        **body,
        "companies": [
            {"id": c, "name": known.get(str(c), {}).get("name")} for c in body["companies"]
        ],
    }


def user_defaults(ctx: Ctx, body: Record) -> Record:
    return {
        "created_at": offset_millis(ctx.now()),
        "accepted": False,
        "companies": [],
        "name": f"{body.get('first_name')} {body.get('last_name')}",
    }


def notification_fields(ctx: Ctx, body: Record) -> Record:
    """Company and tracker names, as the notification create example answers."""
    collections = ctx.acct.collections
    fields = dict(body)
    tracker = collections["trackers"].get(str(body.get("tracker_id")))
    company_id = body.get("company_id") or (tracker["company"]["id"] if tracker else None)
    if company_id is not None or tracker is not None:
        company = collections["companies"].get(str(company_id), {})
        fields["company_id"] = company_id
        fields["company_name"] = company.get("name")
    if tracker is not None:
        fields["tracker_name"] = tracker["name"]
    return fields


def notification_defaults(ctx: Ctx, body: Record) -> Record:
    users = list(ctx.acct.collections["users"])
    return {
        "user_id": None if body.get("email") else (users[0] if users else None),
        "email": None,
        "alert_type": "all",
        "call_enabled": True,
        "company_id": None,
        "company_name": None,
        "name": "Sandbox notification",
        "send_desktop": False,
        "send_email": False,
        "send_push": False,
        "sms_enabled": False,
        "tracker_id": None,
        "tracker_name": None,
    }


def trigger_fields(ctx: Ctx, body: Record) -> Record:
    """The integration filter with its integration sideloaded; one filter per integration."""
    fields = dict(body)
    if "integration_id" not in body:
        return fields
    integration_id = body["integration_id"]
    triggers = ctx.acct.collections["integration_triggers"]
    if any(t.get("integration_id") == integration_id for t in triggers.values()):
        raise SandboxError(400, "An integration filter already exists for this integration")
    integration = ctx.acct.collections["integrations"].get(str(integration_id))
    if integration_id is not None and integration is None:
        raise SandboxError(400, "integration_id must be an integration of the company")
    fields["integration"] = {
        "id": integration_id,
        "type": integration["type"] if integration else "All (Default Integration Trigger)",
    }
    return fields


def trigger_defaults(ctx: Ctx, body: Record) -> Record:
    return {
        "tracker_ids": [],
        "call_type": None,
        "min_duration": None,
        "max_duration": None,
        "lead_status": None,
    }


def summary_email_fields(ctx: Ctx, body: Record) -> Record:
    """``scope`` and ``user`` objects instead of the ``company_id``/``user_id`` sent."""
    fields = {k: v for k, v in body.items() if k not in ("company_id", "user_id")}
    collections = ctx.acct.collections
    if "company_id" in body or "user_id" in body or "email" in body:
        company = collections["companies"].get(str(body.get("company_id")))
        fields["scope"] = (
            {"id": company["id"], "type": "Company", "name": company["name"]}
            if company
            else {"id": ctx.acct.id, "type": "Account", "name": ctx.acct.record["name"]}
        )
        users = collections["users"]
        user = users.get(str(body.get("user_id"))) or (
            None if body.get("email") else next(iter(users.values()), None)
        )
        fields["user"] = (
            {"id": user["id"], "name": user["name"], "email": user["email"]} if user else None
        )
    return fields


def message_flow_fields(ctx: Ctx, body: Record) -> Record:
    """Server-assigned ``MFS…`` step ids replace the client's own, links remapped."""
    if "steps" not in body:
        return body
    raw = body["steps"]
    steps = list(raw.values()) if isinstance(raw, dict) else list(raw)
    if not steps or not all(isinstance(s, dict) and s.get("id") for s in steps):
        raise SandboxError(400, "steps must be step objects with an id")
    serial = ctx.acct.new_int_id()
    new_ids = {str(s["id"]): masked_id("MFS", serial, "step", n) for n, s in enumerate(steps)}
    initial = new_ids.get(str(body.get("initial_step_id")), next(iter(new_ids.values())))

    def remap(value: Any) -> Any:
        return new_ids.get(str(value), value) if value is not None else None

    stored: dict[str, Record] = {}
    for step in steps:
        new = {**step, "id": new_ids[str(step["id"])], "initial_step": False}
        new["initial_step"] = new["id"] == initial
        new["next_step_id"] = remap(step.get("next_step_id"))
        if isinstance(step.get("branches"), list):
            new["branches"] = [
                {**b, "next_step_id": remap(b.get("next_step_id"))} for b in step["branches"]
            ]
        stored[new["id"]] = new
    return {
        **body,
        "initial_step_id": initial,
        "steps": stored,
        "updated_at": offset_millis(ctx.now()),
    }


def with_value_as_number(ctx: Ctx, body: Record) -> Record:
    """SMS threads: ``value`` is sent as ``"$5.00"`` and answered as ``5.0``."""
    return {**body, "value": money(body["value"])} if "value" in body else body


def form_submission_defaults(ctx: Ctx, body: Record) -> Record:
    serial = ctx.acct.next_int_id
    return {
        "person_id": masked_id("PER", serial, "person", ctx.acct.index),
        "form_url": None,
        "landing_page_url": None,
        "referrer": None,
        "referring_url": None,
        "submitted_at": utc_millis(ctx.now()),
        "first_form": False,
        "customer_phone_number": None,
        "customer_name": None,
        "customer_email": None,
        "formatted_customer_phone_number": None,
        "formatted_customer_name": None,
        "source": None,
        "keywords": None,
        "campaign": None,
        "medium": None,
        "company_name": None,
        "lead_status": None,
        "value": None,
        "note": None,
        "tags": [],
        "_submitted_ts": ctx.now(),
    }


def form_submission_fields(ctx: Ctx, body: Record) -> Record:
    """The documented create body is nested under ``form_submission``; ``session_id`` is
    not stored; ``value`` is answered as a number."""
    fields = {k: v for k, v in body.items() if k != "session_id"}
    return with_value_as_number(ctx, fields)
