"""Which calls a list, summary or timeseries request selects, and how a call is rendered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

import msgspec

from . import _dates
from ._calls import DEFAULT_CALL_FIELDS, CallStore
from ._context import Ctx, check_choice
from ._errors import SandboxError

OPTIONAL_CALL_FIELDS = frozenset(
    {
        "agent_email",
        "call_highlights",
        "call_summary",
        "call_type",
        "campaign",
        "company_id",
        "company_name",
        "company_time_zone",
        "conversational_transcript",
        "created_at",
        "custom",
        "device_type",
        "fbclid",
        "first_call",
        "formatted_call_type",
        "formatted_customer_location",
        "formatted_business_phone_number",
        "formatted_customer_name",
        "formatted_customer_name_or_phone_number",
        "formatted_customer_phone_number",
        "formatted_duration",
        "formatted_tracking_phone_number",
        "formatted_tracking_source",
        "formatted_value",
        "ga",
        "gclid",
        "good_lead_call_id",
        "good_lead_call_time",
        "integration_data",
        "keypad_entries",
        "keywords",
        "keywords_spotted",
        "landing_page_url",
        "last_requested_url",
        "lead_status",
        "medium",
        "milestones",
        "msclkid",
        "note",
        "person_id",
        "prior_calls",
        "referrer_domain",
        "referring_url",
        "sentiment",
        "session_uuid",
        "source",
        "source_name",
        "speaker_percent",
        "tags",
        "timeline_url",
        "total_calls",
        "tracker_id",
        "transcription",
        "utm_campaign",
        "utm_content",
        "utm_medium",
        "utm_source",
        "utm_term",
        "value",
        "voice_assist_message",
        "waveforms",
        "zip_code",
        "lead_score",
        "lead_explanation",
        "utma",
        "utmb",
        "utmc",
        "utmv",
        "utmz",
    }
)
SORTS = frozenset(
    {
        "customer_name",
        "customer_phone_number",
        "duration",
        "start_time",
        "source",
        "customer_city",
        "customer_country",
        "landing_page_url",
        "device_type",
        "answered",
        "first_call",
        "source_name",
        "lead_status",
        "tags",
    }
)
ATTR_FILTERS: dict[str, tuple[frozenset[str], Callable[[dict[str, Any], str], bool]]] = {
    "direction": (frozenset({"inbound", "outbound"}), lambda c, v: c["direction"] == v),
    "device": (frozenset({"desktop", "mobile"}), lambda c, v: c["device_type"] == v),
    "lead_status": (
        frozenset({"good_lead", "not_a_lead", "not_scored"}),
        lambda c, v: (c["lead_status"] or "not_scored") == v,
    ),
    "answer_status": (
        frozenset({"answered", "missed", "voicemail"}),
        lambda c, v: (
            (c["answered"] and v == "answered")
            or (v == "voicemail" and c["voicemail"])
            or (v == "missed" and not c["answered"] and not c["voicemail"])
        ),
    ),
    "call_type": (
        frozenset({"first_call", "missed", "voicemails", "inbound", "outbound"}),
        lambda c, v: {
            "first_call": c["first_call"],
            "missed": not c["answered"],
            "voicemails": c["voicemail"],
            "inbound": c["direction"] == "inbound",
            "outbound": c["direction"] == "outbound",
        }[v],
    ),
}
SEARCHED = (
    "business_phone_number",
    "customer_name",
    "customer_phone_number",
    "note",
    "source",
    "tracking_phone_number",
)


# Summary and timeseries take "all" for these, and filters the call list does not document.
ALL_ALLOWED = ("device", "direction", "answer_status")
REPORT_FILTERS = frozenset(
    {"min_duration", "max_duration", "first_time_callers", "tracker_ids", "agent"}
)


def select_calls(
    ctx: Ctx, *, default_desc: bool = True, report: bool = False
) -> tuple[Sequence[int], dt.tzinfo, float, float]:
    """The indices of the calls a list/summary request selects, in the requested order,
    with the time zone and the start and end of the date range.

    ``report`` (summary, timeseries): ``all`` is a valid device/direction/answer status,
    and ``min_duration``, ``max_duration``, ``first_time_callers``, ``tracker_ids[]`` and
    ``agent`` filter too.
    """
    store = ctx.acct.calls
    try:
        start, end, zone = _dates.resolve(ctx.params, ctx.now(), ctx.acct.time_zone)
    except _dates.DateError as exc:
        raise SandboxError(400, str(exc)) from None
    for name, (allowed, _) in ATTR_FILTERS.items():
        extra = {"all"} if report and name in ALL_ALLOWED else set()
        check_choice(name, ctx.params.get(name), allowed | extra)
    sort, order = ctx.params.get("sort"), ctx.params.get("order")
    check_choice("sort", sort, SORTS)
    check_choice("order", order, {"asc", "desc"})
    cache = store.selection_cache
    key = (
        store.version,
        report,
        start,
        end,
        sort,
        order,
        tuple(sorted((k, v) for k, v in ctx.query.items() if k not in _PAGING)),
    )
    cached = cache.get(key)
    if cached is not None:
        cache.move_to_end(key)
        return cached, zone, start, end
    indices = store.visible(store.time_range(start, end))
    indices = _filtered(ctx, store, indices, _report_tests(ctx) if report else [])
    if sort and sort != "start_time":
        indices = sorted(indices, key=lambda i: _sort_key(store.attrs(i)[sort]))
        if order == "desc":
            indices.reverse()
    elif (order or ("desc" if default_desc else "asc")) == "desc":
        indices = indices[::-1]
    cache[key] = indices
    if len(cache) > 32:
        cache.popitem(last=False)
    return indices, zone, start, end


_PAGING = {"page", "per_page", "offset", "relative_pagination", "fields", "format"}


def _sort_key(value: Any) -> tuple[int, Any]:
    return (0, "") if value is None else (1, str(value) if isinstance(value, list) else value)


Test = tuple[Callable[[dict[str, Any], str], bool], str]


def _report_tests(ctx: Ctx) -> list[Test]:
    """The summary/timeseries-only filters of a request, validated."""
    tests: list[Test] = []
    for name in ("min_duration", "max_duration"):
        text = ctx.params.get(name)
        if text is None:
            continue
        try:
            int(text)
        except ValueError:
            raise SandboxError(400, f"{name} must be an integer") from None
        tests.append((_at_least if name == "min_duration" else _at_most, text))
    first = ctx.params.get("first_time_callers")
    if first is not None:
        check_choice("first_time_callers", first, {"true", "false"})
        tests.append((lambda c, v: bool(c["first_call"]) == (v == "true"), first))
    trackers = set(ctx.array("tracker_ids"))
    if trackers:
        tests.append((lambda c, _v: c["tracker_id"] in trackers, ""))
    agent = ctx.params.get("agent")
    if agent:
        user = ctx.acct.collections["users"].get(agent)
        email = user["email"] if user else None
        tests.append((lambda c, _v: email is not None and c["agent_email"] == email, agent))
    return tests


def _at_least(call: dict[str, Any], seconds: str) -> bool:
    return int(call["duration"] or 0) >= int(seconds)


def _at_most(call: dict[str, Any], seconds: str) -> bool:
    return int(call["duration"] or 0) <= int(seconds)


def _filtered(
    ctx: Ctx, store: CallStore, indices: Sequence[int], extra: list[Test]
) -> Sequence[int]:
    owners = set(range(len(store.owners)))
    company, tracker = ctx.params.get("company_id"), ctx.params.get("tracker_id")
    if company:
        owners &= {n for n, o in enumerate(store.owners) if o.company_id == company}
    if tracker:
        owners &= {n for n, o in enumerate(store.owners) if o.tracker_id == tracker}
    if len(owners) < len(store.owners):
        owner_of = store.owner_of
        indices = [i for i in indices if owner_of[i] in owners]
    tests = [
        (ATTR_FILTERS[n][1], v) for n in ATTR_FILTERS if (v := ctx.params.get(n)) and v != "all"
    ]
    tests += extra
    tags = set(ctx.array("tags"))
    search = (ctx.params.get("search") or "").lower()
    if tests or tags or search:
        indices = [i for i in indices if _matches(store.attrs(i), tests, tags, search)]
    return indices


def _matches(
    call: dict[str, Any],
    tests: list[Test],
    tags: set[str],
    search: str,
) -> bool:
    if not all(test(call, value) for test, value in tests):
        return False
    if tags and not tags & set(call["tags"] or []):
        return False
    return not search or any(search in str(call[f] or "").lower() for f in SEARCHED)


def requested_fields(ctx: Ctx) -> tuple[str, ...]:
    """Default fields plus those asked for with ``fields=`` (unknown names answer 400)."""
    extra = [f for f in (ctx.params.get("fields") or "").split(",") if f]
    unknown = [f for f in extra if f not in OPTIONAL_CALL_FIELDS]
    if unknown:
        raise SandboxError(400, f"Invalid field(s): {', '.join(unknown)}")
    return DEFAULT_CALL_FIELDS + tuple(f for f in extra if f not in DEFAULT_CALL_FIELDS)


def output_zone(ctx: Ctx) -> ZoneInfo | None:
    """The zone of a request's ``time_zone`` (timestamps are rendered in it), if any."""
    name = ctx.params.get("time_zone")
    if not name or name == "user":
        return None
    try:
        return _dates.zone_for(name, ctx.acct.time_zone)
    except _dates.DateError as exc:
        raise SandboxError(400, str(exc)) from None


def render(ctx: Ctx, index: int, fields: tuple[str, ...], zone: ZoneInfo | None = None) -> bytes:
    """One call's JSON with the requested fields (and the sandbox's extra ones).

    Links point at ``ctx.link_origin``; times are in ``zone`` (else the company's zone).
    """
    store = ctx.acct.calls
    if len(fields) == len(DEFAULT_CALL_FIELDS):
        call = store.core(index, ctx.link_origin, zone)
    else:
        attrs = store.attrs(index, ctx.link_origin, zone)
        call = {name: attrs.get(name) for name in fields}
    if ctx.extra_call_fields:
        call.update(ctx.extra_call_fields)
    return msgspec.json.encode(call)
