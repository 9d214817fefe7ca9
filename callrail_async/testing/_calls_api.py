"""Sandbox handlers for calls: list (offset and relative), get, update, summary, timeseries."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

import msgspec
from aiohttp import web

from . import _dates
from ._calls import DEFAULT_CALL_FIELDS, CallStore
from ._context import Ctx, check_choice, json_response, offset_envelope, page_params
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


def select_calls(
    ctx: Ctx, *, default_desc: bool = True
) -> tuple[Sequence[int], dt.tzinfo, float, float]:
    """The indices of the calls a list/summary request selects, in the requested order,
    with the time zone and the start and end of the date range."""
    store = ctx.acct.calls
    try:
        start, end, zone = _dates.resolve(ctx.params, ctx.now(), ctx.acct.time_zone)
    except _dates.DateError as exc:
        raise SandboxError(400, str(exc)) from None
    for name, (allowed, _) in ATTR_FILTERS.items():
        check_choice(name, ctx.params.get(name), allowed)
    sort, order = ctx.params.get("sort"), ctx.params.get("order")
    check_choice("sort", sort, SORTS)
    check_choice("order", order, {"asc", "desc"})
    cache = store.selection_cache
    key = (
        store.version,
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
    indices = _filtered(ctx, store, indices)
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


def _filtered(ctx: Ctx, store: CallStore, indices: Sequence[int]) -> Sequence[int]:
    owners = set(range(len(store.owners)))
    company, tracker = ctx.params.get("company_id"), ctx.params.get("tracker_id")
    if company:
        owners &= {n for n, o in enumerate(store.owners) if o.company_id == company}
    if tracker:
        owners &= {n for n, o in enumerate(store.owners) if o.tracker_id == tracker}
    if len(owners) < len(store.owners):
        owner_of = store.owner_of
        indices = [i for i in indices if owner_of[i] in owners]
    tests = [(ATTR_FILTERS[n][1], v) for n in ATTR_FILTERS if (v := ctx.params.get(n))]
    tags = set(ctx.array("tags"))
    search = (ctx.params.get("search") or "").lower()
    if tests or tags or search:
        indices = [i for i in indices if _matches(store.attrs(i), tests, tags, search)]
    return indices


def _matches(
    call: dict[str, Any],
    tests: list[tuple[Callable[[dict[str, Any], str], bool], str]],
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


def render(ctx: Ctx, index: int, fields: tuple[str, ...]) -> bytes:
    """One call's JSON with the requested fields (and the sandbox's extra ones)."""
    store = ctx.acct.calls
    if len(fields) == len(DEFAULT_CALL_FIELDS):
        call = store.core(index)
    else:
        attrs = store.attrs(index)
        call = {name: attrs.get(name) for name in fields}
    if ctx.extra_call_fields:
        call.update(ctx.extra_call_fields)
    return msgspec.json.encode(call)


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
    total = len(indices)
    if ctx.params.get("relative_pagination") == "true":
        try:
            offset = int(ctx.params.get("offset", "0"))
        except ValueError:
            raise SandboxError(400, "offset must be an integer") from None
        if offset < 0:
            raise SandboxError(400, "offset must be 0 or greater")
        start = offset * per_page
        items = [render(ctx, i, fields) for i in indices[start : start + per_page]]
        has_next = start + per_page < total
        meta: dict[str, Any] = {
            "per_page": per_page,
            "has_next_page": has_next,
            "next_page": _next_page_link(ctx, offset + 1) if has_next else None,
        }
        return _raw_json(_envelope(meta, items))
    start = (page - 1) * per_page
    items = [render(ctx, i, fields) for i in indices[start : start + per_page]]
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
    return _raw_json(render(ctx, index, requested_fields(ctx)))


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


SUMMARY_FIELDS = (
    "total_calls",
    "missed_calls",
    "answered_calls",
    "first_time_callers",
    "average_duration",
    "formatted_average_duration",
    "leads",
)
GROUPS = {
    "source": "source",
    "keywords": "keywords",
    "campaign": "campaign",
    "referrer": "referrer_domain",
    "landing_page": "landing_page_url",
    "company": "company_name",
    "company_id": "company_id",
}


def _metric_fields(ctx: Ctx) -> list[str]:
    names = [f for f in (ctx.params.get("fields") or "total_calls").split(",") if f]
    for name in names:
        check_choice("fields", name, set(SUMMARY_FIELDS))
    return names


def _metrics(calls: list[dict[str, Any]], names: list[str]) -> dict[str, Any]:
    answered = [c for c in calls if c["answered"]]
    average = round(sum(c["duration"] for c in calls) / len(calls)) if calls else 0
    values = {
        "total_calls": len(calls),
        "missed_calls": len(calls) - len(answered),
        "answered_calls": len(answered),
        "first_time_callers": sum(1 for c in calls if c["first_call"]),
        "average_duration": average,
        "formatted_average_duration": (
            f"{average // 60}m {average % 60}s" if average >= 60 else f"{average}s"
        ),
        "leads": sum(1 for c in calls if c["lead_status"] == "good_lead"),
    }
    return {name: values[name] for name in names}


def _window(ctx: Ctx) -> tuple[list[dict[str, Any]], dt.tzinfo, float, float]:
    indices, zone, start, end = select_calls(ctx, default_desc=False)
    store = ctx.acct.calls
    return [store.attrs(i) for i in indices], zone, start, end


def _tz_name(zone: dt.tzinfo) -> str:
    return str(zone)


async def summary(ctx: Ctx) -> web.Response:
    """``GET calls/summary.json``, optionally grouped."""
    names = _metric_fields(ctx)
    group_by = ctx.params.get("group_by")
    check_choice("group_by", group_by, set(GROUPS))
    calls, zone, start, end = _window(ctx)
    body: dict[str, Any] = {
        "start_date": _dates.offset_no_colon(dt.datetime.fromtimestamp(start, zone)),
        "end_date": _dates.offset_no_colon(dt.datetime.fromtimestamp(end, zone)),
        "time_zone": _tz_name(zone),
        "total_results": _metrics(calls, names),
    }
    if group_by:
        groups: dict[str, list[dict[str, Any]]] = {}
        for call in calls:
            groups.setdefault(str(call[GROUPS[group_by]] or "(none)"), []).append(call)
        body["grouped_by"] = group_by
        body["grouped_results"] = [
            {"key": key, **_metrics(group, names)}
            for key, group in sorted(groups.items(), key=lambda kv: -len(kv[1]))
        ]
    return json_response(body)


MAX_POINTS = 200


def _bucket(moment: dt.datetime, interval: str) -> dt.datetime:
    if interval == "hour":
        return moment.replace(minute=0, second=0, microsecond=0)
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if interval == "week":
        return day - dt.timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    return day


def _step(moment: dt.datetime, interval: str) -> dt.datetime:
    if interval == "month":
        return (moment.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if interval == "year":
        return moment.replace(year=moment.year + 1)
    delta = {
        "hour": dt.timedelta(hours=1),
        "day": dt.timedelta(days=1),
        "week": dt.timedelta(weeks=1),
    }[interval]
    return (moment.replace(tzinfo=None) + delta).replace(tzinfo=moment.tzinfo)


async def timeseries(ctx: Ctx) -> web.Response:
    """``GET calls/timeseries.json``: zero-filled buckets, at most 200."""
    names = _metric_fields(ctx)
    interval = ctx.params.get("interval") or "day"
    check_choice("interval", interval, {"hour", "day", "week", "month", "year"})
    try:
        start, end, zone = _dates.resolve(ctx.params, ctx.now(), ctx.acct.time_zone)
    except _dates.DateError as exc:
        raise SandboxError(400, str(exc)) from None
    first = _bucket(dt.datetime.fromtimestamp(start, zone), interval)
    last = dt.datetime.fromtimestamp(end, zone)
    buckets: list[dt.datetime] = []
    moment = first
    while moment <= last:
        buckets.append(moment)
        if len(buckets) > MAX_POINTS:
            raise SandboxError(400, f"Too many data points requested (maximum {MAX_POINTS})")
        moment = _step(moment, interval)
    if names == ["total_calls"] and not any(k in ctx.params for k in _NEEDS_RECORDS):
        # Counting only: binary searches on the start times, so a million calls cost nothing.
        store = ctx.acct.calls
        edges = [max(b.timestamp(), start) for b in buckets] + [end + 1e-6]
        counts = [_visible_count(store, a, b) for a, b in itertools.pairwise(edges)]
        totals = {"total_calls": sum(counts)}
        rows = [{"total_calls": n} for n in counts]
    else:
        calls, _, start, end = _window(ctx)
        grouped: dict[dt.datetime, list[dict[str, Any]]] = {b: [] for b in buckets}
        for call in calls:
            when = dt.datetime.fromisoformat(call["start_time"]).astimezone(zone)
            grouped.setdefault(_bucket(when, interval), []).append(call)
        totals = _metrics(calls, names)
        rows = [_metrics(grouped[bucket], names) for bucket in buckets]
    data = []
    for bucket, row in zip(buckets, rows, strict=True):
        label = _dates.offset_no_colon(bucket) if interval == "hour" else bucket.date().isoformat()
        data.append({"date": label, **row})
    return json_response(
        {
            "start_date": _dates.offset_no_colon(dt.datetime.fromtimestamp(start, zone)),
            "end_date": _dates.offset_no_colon(last),
            "time_zone": _tz_name(zone),
            "total_results": totals,
            "data": data,
        }
    )


_NEEDS_RECORDS = {"company_id", "tracker_id", "tags", "tags[]", "search", "device", "direction",
                  "answer_status", "lead_status", "min_duration", "max_duration",
                  "first_time_callers", "agent", "tracker_ids[]"}  # fmt: skip


def _visible_count(store: CallStore, start: float, stop: float) -> int:
    """Visible calls with ``start <= start_time < stop``."""
    lo = bisect.bisect_left(store.start_ts, start)
    hi = bisect.bisect_left(store.start_ts, stop)
    hidden = bisect.bisect_left(store.spam, hi) - bisect.bisect_left(store.spam, lo)
    return max(0, hi - lo - hidden)


async def create_outbound(ctx: Ctx) -> web.Response:
    """``POST calls.json``: an outbound call, just placed (no duration or answer yet)."""
    body = ctx.require_body()
    for name in ("caller_id", "customer_phone_number", "business_phone_number"):
        if not body.get(name):
            raise SandboxError(400, f"{name} can't be blank")
    store = ctx.acct.calls
    index = store.append(ctx.now())
    store.overrides[index] = {
        "direction": "outbound", "answered": None, "duration": None, "recording": None,
        "recording_duration": None, "recording_player": None, "voicemail": False,
        "customer_name": None, "customer_phone_number": body["customer_phone_number"],
        "business_phone_number": body["business_phone_number"],
    }  # fmt: skip
    return web.Response(
        status=201, body=render(ctx, index, DEFAULT_CALL_FIELDS), content_type="application/json"
    )


async def page_views(ctx: Ctx) -> web.Response:
    """``GET calls/{id}/page_views.json``: the pages viewed before the call."""
    index = _find(ctx)
    page, per_page = page_params(ctx.params)
    attrs = ctx.acct.calls.attrs(index)
    started = dt.datetime.fromisoformat(attrs["start_time"])
    views = [
        {"page_url": f"https://www.example.com/page/{n}", "referrer_url": "https://www.google.com/",
         "created_at": (started - dt.timedelta(minutes=5 * (n + 1))).isoformat(
             timespec="milliseconds")}
        for n in range(index % 4)
    ]  # fmt: skip
    body = offset_envelope("page_views", len(views), page, per_page)
    body["page_views"] = views[(page - 1) * per_page : page * per_page]
    return json_response(body)
