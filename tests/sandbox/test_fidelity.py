"""Where the sandbox misled clients (issue #14, items 1-9), pinned with plain HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from yarl import URL

from callrail_async.testing import Sandbox

from .conftest import Raw


def everything(sandbox: Sandbox) -> dict[str, str]:
    """A date range covering every seeded call."""
    now = dt.datetime.fromtimestamp(sandbox.clock.time(), dt.UTC)
    return {"start_date": (now - dt.timedelta(days=70)).date().isoformat(),
            "end_date": now.date().isoformat()}  # fmt: skip


def visible_attrs(sandbox: Sandbox) -> list[dict[str, Any]]:
    store = sandbox.account().calls
    return [store.attrs(store.index_of(call_id) or 0) for call_id in sandbox.call_ids()]


# --- 1. links stay in the sandbox --------------------------------------------------------


async def test_direct_mode_links_point_at_the_sandbox(raw: Raw, sandbox: Sandbox) -> None:
    params = {"relative_pagination": "true", "per_page": "250", **everything(sandbox)}
    status, body = await raw.get("calls.json", **params)
    assert status == 200
    assert URL(body["next_page"]).origin() == URL(sandbox.origin)
    recordings = [c["recording"] for c in body["calls"] if c["recording"]]
    assert recordings and all(r.startswith(sandbox.base_url) for r in recordings)
    status, recording, _ = await raw.request("GET", recordings[0])  # followed as sent
    assert status == 200 and "url" in recording
    seen = len(body["calls"])
    while body["next_page"]:  # verbatim, as the reference says
        status, body, _ = await raw.request("GET", body["next_page"])
        assert status == 200
        seen += len(body["calls"])
    assert seen == 1000


async def test_callrail_host_links_stay_available_for_rebasing_tests(
    raw: Raw, sandbox: Sandbox
) -> None:
    sandbox.next_page_host = "callrail"
    _, body = await raw.get("calls.json", relative_pagination="true", **everything(sandbox))
    assert body["next_page"].startswith("https://api.callrail.com/v3/")
    assert any(c["recording"].startswith("https://api.callrail.com/v3/")
               for c in body["calls"] if c["recording"])  # fmt: skip


# --- 2. call summary filters ------------------------------------------------------------


async def test_summary_honours_every_documented_filter(raw: Raw, sandbox: Sandbox) -> None:
    calls = visible_attrs(sandbox)
    users = list(sandbox.account().collections["users"].values())
    agent = next(u for u in users if any(c["agent_email"] == u["email"] for c in calls))
    trackers = sorted({c["tracker_id"] for c in calls})[:2]
    cases: list[tuple[dict[str, Any], int]] = [
        ({"min_duration": "60"}, sum(1 for c in calls if (c["duration"] or 0) >= 60)),
        ({"max_duration": "20"}, sum(1 for c in calls if (c["duration"] or 0) <= 20)),
        ({"first_time_callers": "true"}, sum(1 for c in calls if c["first_call"])),
        ({"first_time_callers": "false"}, sum(1 for c in calls if not c["first_call"])),
        ({"tracker_ids[]": trackers}, sum(1 for c in calls if c["tracker_id"] in trackers)),
        ({"agent": agent["id"]}, sum(1 for c in calls if c["agent_email"] == agent["email"])),
        ({"device": "all", "direction": "all", "answer_status": "all"}, len(calls)),
    ]
    for filters, expected in cases:
        assert 0 < expected <= len(calls)
        status, body = await raw.get("calls/summary.json", **filters, **everything(sandbox))
        assert status == 200, (filters, body)
        assert body["total_results"]["total_calls"] == expected, filters
        status, series = await raw.get("calls/timeseries.json", interval="month", **filters,
                                       **everything(sandbox))  # fmt: skip
        assert status == 200 and series["total_results"]["total_calls"] == expected, filters


# --- 3. milestones ----------------------------------------------------------------------

MILESTONE_KEYS = {"event_date", "ad_position", "campaign", "device", "keywords", "landing",
                  "landing_page_url_params", "match_type", "medium", "referrer",
                  "referrer_url_params", "session_browser", "url_utm_params", "source"}  # fmt: skip


async def test_milestones_are_four_objects_on_calls_and_forms(raw: Raw, sandbox: Sandbox) -> None:
    call_id = sandbox.call_ids()[-1]
    status, call = await raw.get(f"calls/{call_id}.json", fields="keywords_spotted,milestones")
    assert status == 200
    assert set(call["milestones"]) == {"first_touch", "lead_created", "qualified", "last_touch"}
    assert all(set(m) == MILESTONE_KEYS for m in call["milestones"].values())
    status, forms = await raw.get("form_submissions.json", fields="milestones")
    assert status == 200
    assert all(set(f["milestones"]["first_touch"]) == MILESTONE_KEYS
               for f in forms["form_submissions"])  # fmt: skip


# --- 4. default and selectable fields ---------------------------------------------------


async def test_default_and_selectable_fields(raw: Raw, sandbox: Sandbox) -> None:
    optional = ["lead_status", "value", "note", "tags"]
    _, forms = await raw.get("form_submissions.json")
    assert not set(optional) & set(forms["form_submissions"][0])
    status, forms = await raw.get("form_submissions.json", fields=",".join(optional))
    assert status == 200 and set(optional) <= set(forms["form_submissions"][0])

    thread_optional = ["last_message_at", "formatted_customer_phone_number",
                       "formatted_initial_tracking_number", "formatted_current_tracking_number",
                       "formatted_customer_name"]  # fmt: skip
    _, threads = await raw.get("sms-threads.json")
    assert not set(thread_optional) & set(threads["sms_threads"][0])
    status, threads = await raw.get("sms-threads.json", fields=",".join(thread_optional))
    assert status == 200 and set(thread_optional) <= set(threads["sms_threads"][0])

    _, texts = await raw.get("text-messages.json")
    assert not {"lead_status", "source"} & set(texts["conversations"][0])
    status, texts = await raw.get("text-messages.json", fields="lead_status,source")
    assert status == 200 and {"lead_status", "source"} <= set(texts["conversations"][0])
    conversation = texts["conversations"][0]["id"]
    _, one = await raw.get(f"text-messages/{conversation}.json", fields="source")
    assert "source" in one and "lead_status" not in one

    _, leads = await raw.get("leads.json")
    assert {"phone", "email", "company_name"} <= set(leads["leads"][0])
    status, leads = await raw.get("leads.json", fields="id,name")
    assert status == 200 and all(set(lead) == {"id", "name"} for lead in leads["leads"])


# --- 5. time_zone applies to output timestamps ------------------------------------------


async def test_time_zone_sets_the_offset_of_every_timestamp(raw: Raw, sandbox: Sandbox) -> None:
    zone = ZoneInfo("America/Los_Angeles")
    _, body = await raw.get("calls.json", per_page=250, time_zone="America/Los_Angeles",
                            fields="created_at", **everything(sandbox))  # fmt: skip
    for call in body["calls"]:
        for name in ("start_time", "created_at"):
            moment = dt.datetime.fromisoformat(call[name])
            assert moment.utcoffset() == moment.astimezone(zone).utcoffset(), call[name]
    _, default = await raw.get("calls.json", per_page=250, **everything(sandbox))
    offsets = {dt.datetime.fromisoformat(c["start_time"]).utcoffset() for c in default["calls"]}
    assert len(offsets) > 1  # without time_zone, each company's own zone


# --- 6. aggregates keep documented keys -------------------------------------------------


async def test_timeseries_keeps_total_calls_beside_requested_fields(
    raw: Raw, sandbox: Sandbox
) -> None:
    status, body = await raw.get("calls/timeseries.json", fields="missed_calls,leads",
                                 interval="week", **everything(sandbox))  # fmt: skip
    assert status == 200
    assert set(body["total_results"]) == {"total_calls", "missed_calls", "leads"}
    assert all({"date", "total_calls", "missed_calls", "leads"} == set(row) for row in body["data"])
    assert body["total_results"]["total_calls"] == 1000


async def test_forms_summary_has_dates_fields_and_range(raw: Raw, sandbox: Sandbox) -> None:
    status, body = await raw.get("forms/summary.json", fields="total_forms,first_forms,leads",
                                 group_by="source", date_range="last_30_days")  # fmt: skip
    assert status == 200
    assert {"start_date", "end_date", "time_zone", "total_results", "grouped_by"} <= set(body)
    assert set(body["total_results"]) == {"total_forms", "first_forms", "leads"}
    assert (
        sum(g["total_forms"] for g in body["grouped_results"])
        == (body["total_results"]["total_forms"])
    )
    _, today = await raw.get("forms/summary.json", date_range="today")
    _, month = await raw.get("forms/summary.json", date_range="last_30_days")
    assert set(today["total_results"]) == {"total_forms"}
    assert today["total_results"]["total_forms"] < month["total_results"]["total_forms"]
    status, _ = await raw.get("forms/summary.json", fields="total_calls")
    assert status == 400


# --- 7. write responses as documented ---------------------------------------------------


async def _post(raw: Raw, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    status, answer, _ = await raw.request("POST", raw.account + path, json=body)
    return status, answer


async def _put(raw: Raw, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    status, answer, _ = await raw.request("PUT", raw.account + path, json=body)
    return status, answer


async def test_write_responses_carry_documented_keys(raw: Raw, sandbox: Sandbox) -> None:
    account = sandbox.account()
    company_id = next(iter(account.collections["companies"]))
    tracker = next(iter(account.collections["trackers"].values()))
    status, company = await _post(raw, "companies.json", {"name": "New Shop"})
    assert status == 201
    assert {"script_url", "callscore_enabled", "lead_scoring_enabled", "swap_exclude_jquery",
            "swap_ppc_override", "swap_landing_override", "callscribe_enabled",
            "keyword_spotting_enabled"} <= set(company)  # fmt: skip

    status, new_tracker = await _post(raw, "trackers.json", {
        "type": "source", "name": "Radio", "company_id": company_id,
        "call_flow": {"type": "basic", "recording_enabled": True,
                      "destination_number": "+15553104554"},
        "tracking_number": {"area_code": "555"}, "source": {"type": "offline"}})  # fmt: skip
    assert status == 201
    assert new_tracker["destination_number"] == "+15553104554"
    assert new_tracker["sms_enabled"] is False and new_tracker["sms_supported"] is True
    assert "whisper_message" in new_tracker and "tracking_number" not in new_tracker

    status, notification = await _post(
        raw, "notifications.json", {"tracker_id": tracker["id"], "alert_type": "vm_only"}
    )
    assert status == 201
    assert notification["company_id"] == tracker["company"]["id"]
    assert notification["company_name"] == tracker["company"]["name"]
    assert notification["tracker_name"] == tracker["name"]

    integration = next(i for i in account.collections["integrations"].values()
                       if i["company_id"] == company_id)  # fmt: skip
    status, trigger = await _post(raw, "integration_triggers.json",
                                  {"company_id": company_id, "integration_id": integration["id"],
                                   "min_duration": 3})  # fmt: skip
    assert status == 201
    assert trigger["integration"] == {"id": integration["id"], "type": integration["type"]}

    user = next(iter(account.collections["users"].values()))
    status, email = await _post(raw, "summary_emails.json", {
        "user_id": user["id"], "company_id": company_id, "frequency": ["weekly"],
        "config": {"call_log": True}})  # fmt: skip
    assert status == 201
    assert email["scope"] == {
        "id": company_id,
        "type": "Company",
        "name": account.collections["companies"][company_id]["name"],
    }
    assert email["user"] == {"id": user["id"], "name": user["name"], "email": user["email"]}
    assert "user_id" not in email and "company_id" not in email

    status, flow = await _post(raw, "message-flows.json", {
        "company_id": company_id, "name": "Intake", "initial_step_id": "tag-01",
        "steps": [{"id": "tag-01", "type": "tag", "next_step_id": "response-01",
                   "tag_ids": [1]},
                  {"id": "response-01", "type": "sms_response", "next_step_id": None,
                   "message": "Thanks", "first_text": True}]})  # fmt: skip
    assert status == 201
    assert all(step_id.startswith("MFS") for step_id in flow["steps"])
    first = flow["steps"][flow["initial_step_id"]]
    assert first["initial_step"] is True and first["next_step_id"] in flow["steps"]

    status, updated = await _put(
        raw, f"companies/{company_id}.json", {"external_form_capture": False}
    )
    assert status == 200
    assert updated["form_capture"] is False and "external_form_capture" not in updated

    thread = next(iter(account.collections["sms-threads"]))
    status, updated = await _put(raw, f"sms-threads/{thread}.json", {"value": "$5.00"})
    assert status == 200 and updated["value"] == 5.0


# --- 8. documented request forms accepted -----------------------------------------------


async def test_documented_request_forms_are_accepted(raw: Raw, sandbox: Sandbox) -> None:
    company_id = next(iter(sandbox.account().collections["companies"]))
    status, form = await _post(raw, "form_submissions.json", {"form_submission": {
        "company_id": company_id, "referrer": "wikipedia_link",
        "referring_url": "wikipedia.org/wiki/Carmen_Sandiego",
        "landing_page_url": "missingmonuments.com/info",
        "form_url": "missingmonuments.com/report/new",
        "session_id": "SES8154748ae6bd4e278a7cddd38a662f4f",
        "form_data": {"phone_number": "5555555555"}}})  # fmt: skip
    assert status == 201 and form["form_url"] == "missingmonuments.com/report/new"
    assert form["person_id"].startswith("PER") and "session_id" not in form

    texts = raw.account + "text-messages.json"

    def multipart(**extra: str) -> aiohttp.FormData:
        data = aiohttp.FormData()
        fields = {"company_id": company_id, "customer_phone_number": "+14044442233",
                  "tracking_number": "+17703334455", "content": "Check out this image!",
                  **extra}  # fmt: skip
        for name, value in fields.items():
            data.add_field(name, value)
        data.add_field("media_file", b"\x89PNG", filename="image.png", content_type="image/png")
        return data

    status, sent, _ = await raw.request("POST", texts, data=multipart())
    assert status == 201, sent
    assert sent["recent_messages"][0]["type"] == "mms"
    status, _, _ = await raw.request(
        "POST", texts, data=multipart(media_url="https://example.com/image.jpg")
    )
    assert status == 422


# --- 9. status codes --------------------------------------------------------------------


async def test_documented_status_codes(raw: Raw, sandbox: Sandbox) -> None:
    account = sandbox.account()
    company_id = next(iter(account.collections["companies"]))
    integration = next(i for i in account.collections["integrations"].values()
                       if i["company_id"] == company_id)  # fmt: skip
    body = {"company_id": company_id, "integration_id": integration["id"]}
    assert (await _post(raw, "integration_triggers.json", body))[0] == 201
    assert (await _post(raw, "integration_triggers.json", body))[0] == 400  # one per integration
    status, user = await _post(raw, "users.json", {
        "first_name": "Bob", "last_name": "Belcher", "email": "bob@example.com",
        "role": "reporting", "companies": [company_id]})  # fmt: skip
    assert status == 200 and user["companies"][0]["id"] == company_id


async def test_deleting_a_connection_answers_with_json() -> None:
    async with Sandbox(calls=10) as sandbox, aiohttp.ClientSession() as session:
        bearer = {"Authorization": f"Bearer {sandbox.maton_api_key}"}
        url = f"{sandbox.origin}/connections/{sandbox.connections[0]['connection_id']}"
        async with session.delete(url, headers=bearer) as response:
            assert response.status == 200
            body = await response.json()  # the seed's json.load(urlopen(req)) works
        assert body["connection"]["status"] == "ACTIVE"
