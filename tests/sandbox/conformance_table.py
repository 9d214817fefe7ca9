"""The conformance table: every documented example request of CallRail's API reference, with
the documented response the sandbox must match in keys and value types.

One row per example: adding an endpoint adds a row. ``example`` names the documented
response: ``fixtures/<name>`` (tests/fixtures, shared with the model tests) or
``doc/<name>`` (documented_examples.json, next to this file). Placeholders in braces are
filled from the sandbox's seeded data. ``differences`` lists, with the reason, the keys
where the sandbox deliberately answers otherwise than the example.

(Long because it is a table: one row per documented example.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Row:
    """One documented example: the request and the documented response."""

    name: str
    method: str
    path: str
    example: str
    query: dict[str, Any] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    status: int = 200
    differences: dict[str, str] = field(default_factory=dict)


LEGACY_ID = "the example shows a legacy numeric id; ids are masked strings since 2025"
AGENT = "listed as a field to request; the reference's example shows it unrequested"
RECORDING = "documented as a string, sent as an integer in practice: the sandbox sends both"
CALL = {"recording_duration": RECORDING}
WINDOW = {"date_range": "last_30_days"}

ROWS: list[Row] = [
    # --- conventions -------------------------------------------------------------------
    Row(
        "pagination.offset",
        "GET",
        "users.json",
        "fixtures/pagination_offset_meta",
        {"page": 1, "per_page": 2},
    ),
    Row(
        "pagination.relative",
        "GET",
        "calls.json",
        "fixtures/calls_relative_page",
        {"relative_pagination": "true", "offset": 0, **WINDOW},
    ),
    Row(
        "sorting.users",
        "GET",
        "users.json",
        "fixtures/users_sorted",
        {"sort": "email"},
        differences={"id": LEGACY_ID},
    ),
    Row(
        "searching.users",
        "GET",
        "users.json",
        "fixtures/users_sorted",
        {"search": "a"},
        differences={"id": LEGACY_ID},
    ),
    Row(
        "field_selection.call",
        "GET",
        "calls/{call}.json",
        "fixtures/call_field_selection",
        {"fields": "company_id,company_name"},
        differences={"id": LEGACY_ID, **CALL},
    ),
    Row(
        "filtering.companies",
        "GET",
        "companies.json",
        "fixtures/companies_filtered",
        {"status": "active"},
        differences={"id": LEGACY_ID},
    ),
    # --- accounts ----------------------------------------------------------------------
    Row("accounts.list", "GET", "/a.json", "fixtures/accounts_list"),
    Row("accounts.get", "GET", "/a/{account}.json", "fixtures/account_get"),
    # --- calls -------------------------------------------------------------------------
    Row(
        "calls.list",
        "GET",
        "calls.json",
        "fixtures/calls_list",
        WINDOW,
        differences={"agent_email": AGENT, **CALL},
    ),
    Row(
        "calls.get",
        "GET",
        "calls/{call}.json",
        "fixtures/call_get",
        differences={"agent_email": AGENT, **CALL},
    ),
    Row(
        "calls.get.fields",
        "GET",
        "calls/{call}.json",
        "fixtures/call_get_fields",
        {"fields": "keywords_spotted,milestones"},
        differences={"agent_email": AGENT, **CALL},
    ),
    Row(
        "calls.create",
        "POST",
        "calls.json",
        "fixtures/call_outbound_create",
        body={
            "caller_id": "+17703334455",
            "business_phone_number": "+14045556666",
            "customer_phone_number": "+14044442233",
            "recording_enabled": True,
            "outbound_greeting_recording_url": "http://www.test.com/greeting.mp3",
            "outbound_greeting_text": "These are not the droids you are looking for.",
        },
        status=201,
        differences=CALL,
    ),
    Row(
        "calls.update",
        "PUT",
        "calls/{call}.json",
        "fixtures/call_update",
        body={
            "note": "Call customer back tomorrow",
            "tags": ["New Client"],
            "lead_status": "good_lead",
            "value": "$1.00",
            "append_tags": True,
            "customer_name": "James Smith",
        },
        differences=CALL,
    ),
    Row(
        "calls.summary",
        "GET",
        "calls/summary.json",
        "fixtures/calls_summary_grouped",
        {
            "group_by": "source",
            "fields": "total_calls,missed_calls,answered_calls,"
            "first_time_callers,average_duration,formatted_average_duration,leads",
        },
    ),
    Row(
        "calls.timeseries",
        "GET",
        "calls/timeseries.json",
        "fixtures/calls_timeseries",
        {
            "start_date": "{days_ago:30}",
            "end_date": "{days_ago:27}",
            "fields": "missed_calls,answered_calls,first_time_callers,average_duration,"
            "formatted_average_duration,leads",
        },
    ),
    Row(
        "calls.timeseries.hourly",
        "GET",
        "calls/timeseries.json",
        "fixtures/calls_timeseries_hourly",
        {
            "start_date": "{days_ago:3}",
            "end_date": "{days_ago:2}",
            "interval": "hour",
            "time_zone": "EST",
        },
    ),
    Row(
        "calls.recording", "GET", "calls/{recorded_call}/recording.json", "fixtures/call_recording"
    ),
    # HIPAA accounts get a temporary S3 URL, in the same shape.
    Row(
        "calls.recording.hipaa",
        "GET",
        "calls/{recorded_call}/recording.json",
        "fixtures/call_recording_hipaa",
    ),
    Row(
        "calls.page_views",
        "GET",
        "calls/{call}/page_views.json",
        "doc/page_views_list",
        {"time_zone": "America/Los_Angeles"},
    ),
    # --- tags --------------------------------------------------------------------------
    Row("tags.list", "GET", "tags.json", "fixtures/tags_list"),
    Row(
        "tags.create",
        "POST",
        "tags.json",
        "fixtures/tag_create",
        body={"name": "Brand New Tag", "company_id": "{company}", "color": "gray1"},
        status=201,
    ),
    Row(
        "tags.update",
        "PUT",
        "tags/{tag}.json",
        "fixtures/tag_update",
        body={"name": "Existing Customer 2", "color": "gray1"},
    ),
    # --- companies ---------------------------------------------------------------------
    Row("companies.list", "GET", "companies.json", "fixtures/companies_list"),
    Row("companies.get", "GET", "companies/{company}.json", "fixtures/company_get"),
    Row(
        "companies.create",
        "POST",
        "companies.json",
        "fixtures/company_create",
        body={"name": "Widget Shop", "time_zone": "America/New_York"},
        status=201,
    ),
    Row(
        "companies.update",
        "PUT",
        "companies/{company}.json",
        "fixtures/company_update",
        body={
            "swap_ppc_override": "true",
            "swap_landing_override": "utm_source",
            "callscribe_enabled": True,
            "external_form_capture": True,
        },
        differences={
            "swap_ppc_override": "stored as sent: the example sends the string "
            '"true" and shows true'
        },
    ),
    Row(
        "companies.bulk_update",
        "POST",
        "companies/bulk_update.json",
        "fixtures/companies_bulk_update",
        body={"company_ids": ["{company}"], "external_form_capture": True},
    ),
    # --- form submissions --------------------------------------------------------------
    Row(
        "form_submissions.list",
        "GET",
        "form_submissions.json",
        "doc/form_submissions_list",
        {"fields": "milestones"},
    ),
    Row(
        "form_submissions.create",
        "POST",
        "form_submissions.json",
        "doc/form_submission_create",
        body={
            "form_submission": {
                "company_id": "{company}",
                "referrer": "wikipedia_link",
                "referring_url": "wikipedia.org/wiki/Carmen_Sandiego",
                "landing_page_url": "missingmonuments.com/info",
                "form_url": "missingmonuments.com/report/new",
                "session_id": "SES8154748ae6bd4e278a7cddd38a662f4f",
                "form_data": {
                    "phone_number": "5555555555",
                    "report": "Carmen stole the Liberty Bell.",
                    "last_sighting": "Near Washington D.C.",
                },
            }
        },
        status=201,
    ),
    Row(
        "form_submissions.update",
        "PUT",
        "form_submissions/{form}.json",
        "doc/form_submission_update",
        body={
            "note": "Call customer back tomorrow",
            "tags": ["New Client"],
            "lead_status": "good_lead",
            "value": "$1.00",
            "append_tags": True,
        },
    ),
    Row(
        "form_submissions.ignored_fields",
        "POST",
        "form_submissions/ignored_fields.json",
        "doc/ignored_fields",
        body={"company_ids": ["{company}"], "field_names": ["field_1", "field_2"]},
    ),
    Row(
        "forms.summary",
        "GET",
        "forms/summary.json",
        "doc/forms_summary",
        {"fields": "total_forms,first_forms,leads", "group_by": "source"},
    ),
    # --- integrations ------------------------------------------------------------------
    Row(
        "integrations.list",
        "GET",
        "integrations.json",
        "doc/integrations_list",
        {"company_id": "{company}"},
    ),
    Row("integrations.get", "GET", "integrations/{integration}.json", "doc/integration_get"),
    Row(
        "integrations.create",
        "POST",
        "integrations.json",
        "doc/integration_create",
        body={
            "type": "Webhooks",
            "company_id": "{company}",
            "config": {"pre_call_webhook": ["http://example.com/webhook.php"]},
        },
        status=201,
    ),
    Row(
        "integrations.update",
        "PUT",
        "integrations/{integration}.json",
        "doc/integration_update",
        body={
            "state": "active",
            "config": {"pre_call_webhook": ["http://example.com/webhook.php"]},
        },
    ),
    Row(
        "integration_triggers.list",
        "GET",
        "integration_triggers.json",
        "doc/integration_triggers_list",
        {"company_id": "{company}"},
        differences={
            "lead_status": "the example shows 1; the field table says good_lead or "
            "not_a_lead (a string)"
        },
    ),
    Row(
        "integration_triggers.create",
        "POST",
        "integration_triggers.json",
        "doc/integration_trigger_create",
        body={
            "company_id": "{company}",
            "integration_id": "{integration:int}",
            "tracker_ids": ["{tracker}"],
            "call_type": None,
            "min_duration": 1,
            "max_duration": 11,
            "lead_status": None,
        },
        status=201,
    ),
    Row(
        "integration_triggers.get",
        "GET",
        "integration_triggers/{trigger}.json",
        "doc/integration_trigger_get",
    ),
    Row(
        "integration_triggers.update",
        "PUT",
        "integration_triggers/{trigger}.json",
        "doc/integration_trigger_update",
        body={"call_type": "vm", "min_duration": 10},
    ),
    # --- notifications -----------------------------------------------------------------
    Row("notifications.list", "GET", "notifications.json", "doc/notifications_list"),
    Row(
        "notifications.create",
        "POST",
        "notifications.json",
        "doc/notification_create",
        body={
            "user_id": "{user}",
            "tracker_id": "{tracker}",
            "send_email": True,
            "send_push": True,
            "send_desktop": True,
            "alert_type": "vm_only",
            "sms_enabled": True,
            "call_enabled": True,
        },
        status=201,
    ),
    Row(
        "notifications.update",
        "PUT",
        "notifications/{notification}.json",
        "doc/notification_update",
        body={"call_enabled": False, "sms_enabled": True},
    ),
    # --- outbound caller ids -----------------------------------------------------------
    Row(
        "caller_ids.list",
        "GET",
        "caller_ids.json",
        "doc/caller_ids_list",
        {"company_id": "{company}"},
    ),
    Row("caller_ids.get", "GET", "caller_ids/{caller_id}.json", "doc/caller_id_get"),
    Row(
        "caller_ids.create",
        "POST",
        "caller_ids.json",
        "doc/caller_id_create",
        body={"phone_number": "+14047704070", "name": "Widget Shop", "company_id": "{company}"},
        status=201,
    ),
    # --- SMS threads and text messages -------------------------------------------------
    Row("sms_threads.list", "GET", "sms-threads.json", "doc/sms_threads_list"),
    Row("sms_threads.get", "GET", "sms-threads/{thread}.json", "doc/sms_thread_get"),
    Row(
        "sms_threads.update",
        "PUT",
        "sms-threads/{thread}.json",
        "doc/sms_thread_update",
        body={
            "notes": "Updated note",
            "value": "$5.00",
            "tags": ["Urgent", "Follow-up"],
            "lead_qualification": "good_lead",
        },
    ),
    Row("text_messages.list", "GET", "text-messages.json", "doc/text_messages_list"),
    Row(
        "text_messages.get",
        "GET",
        "text-messages/{conversation}.json",
        "doc/text_message_get",
        differences={"messages": "a message's user is null for incoming texts"},
    ),
    Row(
        "text_messages.send",
        "POST",
        "text-messages.json",
        "doc/text_message_send",
        body={
            "customer_phone_number": "+14044442233",
            "tracking_number": "{tracking_number}",
            "content": "These are not the droids you are looking for.",
            "company_id": "{company}",
        },
        status=201,
    ),
    Row(
        "text_messages.send.media_url",
        "POST",
        "text-messages.json",
        "doc/text_message_send",
        body={
            "customer_phone_number": "+14044442233",
            "tracking_number": "{tracking_number}",
            "content": "Check out this image!",
            "media_url": "https://example.com/image.jpg",
            "company_id": "{company}",
        },
        status=201,
    ),
    # --- summary emails ----------------------------------------------------------------
    Row("summary_emails.list", "GET", "summary_emails", "doc/summary_emails_list"),
    Row(
        "summary_emails.create",
        "POST",
        "summary_emails.json",
        "doc/summary_email_create",
        body={
            "user_id": "{user}",
            "company_id": "{company}",
            "frequency": ["weekly", "daily"],
            "filters": {"lead_status": "Not a Lead"},
            "config": {
                "summary_statistics": True,
                "top_sources": True,
                "top_keywords": True,
                "call_log": True,
            },
        },
        status=201,
    ),
    Row("summary_emails.get", "GET", "summary_emails/{email}.json", "doc/summary_email_get"),
    Row(
        "summary_emails.update",
        "PUT",
        "summary_emails/{email}.json",
        "doc/summary_email_update",
        body={"frequency": ["monthly", "weekly"], "config": {"call_log": False}},
    ),
    # --- message flows -----------------------------------------------------------------
    Row(
        "message_flows.list",
        "GET",
        "message-flows.json",
        "doc/message_flows_list",
        {"company_id": "{company}"},
    ),
    Row("message_flows.get", "GET", "message-flows/{flow}.json", "doc/message_flow_get"),
    Row(
        "message_flows.create",
        "POST",
        "message-flows.json",
        "doc/message_flow_create",
        body={
            "company_id": "{company}",
            "name": "Intake number message flow",
            "initial_step_id": "tag-01",
            "steps": {
                "tag-01": {
                    "id": "tag-01",
                    "type": "tag",
                    "next_step_id": "response-01",
                    "tag_ids": [993186],
                },
                "response-01": {
                    "id": "response-01",
                    "type": "sms_response",
                    "next_step_id": None,
                    "message": "Thanks for reaching out!",
                    "first_text": True,
                },
            },
        },
        status=201,
    ),
    Row(
        "message_flows.update",
        "PUT",
        "message-flows/{flow}.json",
        "doc/message_flow_update",
        body={
            "initial_step_id": "{flow_step}",
            "steps": {
                "{flow_step}": {
                    "id": "{flow_step}",
                    "type": "tag",
                    "next_step_id": None,
                    "tag_ids": [993186, 2672419],
                }
            },
        },
    ),
    # --- trackers ----------------------------------------------------------------------
    Row("trackers.list", "GET", "trackers.json", "fixtures/trackers_list"),
    Row("trackers.get", "GET", "trackers/{tracker}.json", "fixtures/tracker_get"),
    Row(
        "trackers.create.session",
        "POST",
        "trackers.json",
        "fixtures/tracker_create_session",
        body={
            "type": "session",
            "name": "Website Call Tracker",
            "company_id": "{company}",
            "swap_targets": ["7704761456", "7705551234"],
            "whisper_message": "Call from [source]",
            "sms_enabled": True,
            "pool_size": 10,
            "call_flow": {
                "type": "basic",
                "recording_enabled": True,
                "destination_number": "+15553104554",
                "greeting_text": "This call will be recorded",
            },
            "pool_numbers": {"area_code": "555", "local": "+15553104554"},
            "source": {
                "google": ["paid", "organic"],
                "bing": ["paid", "organic"],
                "yahoo": ["paid", "organic"],
            },
        },
        status=201,
    ),
    Row(
        "trackers.create.source",
        "POST",
        "trackers.json",
        "fixtures/tracker_create_source",
        body={
            "name": "My Billboard",
            "company_id": "{company}",
            "call_flow": {
                "type": "basic",
                "recording_enabled": False,
                "destination_number": "+15553104554",
                "greeting_text": "This call will be recorded",
            },
            "tracking_number": {"area_code": "555", "local": "+15553104554"},
            "sms_enabled": True,
            "type": "source",
            "source": {"type": "search", "search_engine": "google", "search_type": "organic"},
            "swap_targets": ["7704761456"],
            "whisper_message": "Call from My Billboard",
            "campaign_name": "Summer billboard campaign",
        },
        status=201,
    ),
    Row(
        "trackers.update.session",
        "PUT",
        "trackers/{session_tracker}.json",
        "fixtures/tracker_update_session",
        body={
            "name": "My Website Tracker",
            "swap_targets": ["7704761456", "7705551234"],
            "whisper_message": "Call from [source]",
            "pool_size": 4,
            "sms_enabled": True,
            "call_flow": {
                "type": "basic",
                "recording_enabled": True,
                "destination_number": "+14044554321",
                "greeting_text": "This call will be recorded",
            },
            "source": {"google": ["paid", "organic"], "bing": ["paid", "local"]},
            "replace_tracking_number": "+14044556789",
        },
    ),
    Row(
        "trackers.update.source",
        "PUT",
        "trackers/{source_tracker}.json",
        "fixtures/tracker_update_source",
        body={
            "call_flow": {"type": "basic", "recording_enabled": False},
            "source": {"type": "search", "search_engine": "google", "search_type": "organic"},
            "sms_enabled": True,
            "swap_targets": ["7705551234", "7705554567"],
            "whisper_message": "",
            "replace_tracking_number": "+14044556789",
            "campaign_name": "Summer billboard campaign",
        },
    ),
    # --- users -------------------------------------------------------------------------
    Row("users.list", "GET", "users.json", "fixtures/users_list"),
    Row("users.get", "GET", "users/{user}.json", "fixtures/user_get"),
    Row(
        "users.create",
        "POST",
        "users.json",
        "fixtures/user_create",
        body={
            "first_name": "Bob",
            "last_name": "Belcher",
            "email": "bob@example.com",
            "role": "reporting",
            "companies": ["{company}"],
        },
    ),
    Row(
        "users.update",
        "PUT",
        "users/{user}.json",
        "fixtures/user_update",
        body={"first_name": "Gene", "email": "gene@example.com", "current_password": "x"},
    ),
    # --- leads -------------------------------------------------------------------------
    Row("leads.list", "GET", "leads.json", "doc/leads_list"),
    Row("leads.timeline", "GET", "leads/{lead}/timeline.json", "doc/lead_timeline"),
]
