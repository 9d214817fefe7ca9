"""One case per endpoint, shared by the mocked (aioresponses) and sandbox tests."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from callrail_async import CallRail
from callrail_async.endpoints import EndpointRow, endpoint_table

Ids = dict[str, str]
Call = Callable[[CallRail, Ids, Path], Awaitable[Any]]


@dataclass(frozen=True)
class Case:
    """How the SDK calls one endpoint and what goes on the wire."""

    name: str
    method: str
    path: str  # below /v3/a/{account}/ (or the gateway root for connections)
    call: Call
    body: dict[str, Any] | None = None  # the exact JSON body sent, if any
    query: dict[str, str] = field(default_factory=dict)  # query items that must be sent
    response: Any = None  # what the mock answers
    status: int = 200
    maton: bool = False
    sandbox_gap: str = ""  # why the sandbox refuses this documented request (issue 14), if it does

    @property
    def sdk(self) -> str:
        """The SDK method the case calls, as the endpoint table names it."""
        return f"client.{self.name.split()[0]}"

    def marked(self) -> EndpointRow:
        """The endpoint that SDK method is marked with (its row of the README's table)."""
        (row,) = [row for row in endpoint_table() if row.sdk == self.sdk]
        return row


def marked_path(row: EndpointRow, account: str) -> re.Pattern[str]:
    """The request paths ``row``'s template allows: ``{aid}`` is ``account``, any other
    placeholder one path segment (the case's own path pins which id goes there)."""
    shown = row.path if row.path.startswith("/") else f"/v3/{row.path}"
    parts = re.split(r"\{(\w+)\}", shown)
    literal = [re.escape(part) for part in parts[::2]]
    holes = [re.escape(account) if name == "aid" else "[^/{}]+" for name in parts[1::2]]
    return re.compile("".join(a + b for a, b in zip(literal, [*holes, ""], strict=True)))


def _collect(paginator: Any) -> Awaitable[list[Any]]:
    return paginator.collect(limit=5)  # type: ignore[no-any-return]


CALL = {"id": "CAL1", "start_time": "2026-01-02T03:04:05.000-05:00", "duration": 4}
PAGE = {"page": 1, "per_page": 100, "total_pages": 1, "total_records": 1}
FLOW_STEPS = {"s1": {"id": "s1", "type": "sms_response", "initial_step": True,
                     "next_step_id": None, "message": "Thanks!"}}  # fmt: skip

CASES: list[Case] = [
    Case("accounts.list", "GET", "/v3/a.json", lambda c, i, t: _collect(c.accounts.list()),
         response={**PAGE, "accounts": [{"id": "ACC1"}]}),
    Case("accounts.get", "GET", "/v3/a/{account}.json",
         lambda c, i, t: c.accounts.get(i["account"]), response={"id": "ACC1"}),
    Case("calls.list", "GET", "calls.json",
         lambda c, i, t: _collect(c.calls.list(date_range="last_30_days", tags=["A", "B"],
                                                   relative=True)),
         query={"date_range": "last_30_days", "tags[]": "A", "relative_pagination": "true"},
         response={"calls": [CALL], "has_next_page": False}),
    Case("calls.get", "GET", "calls/{call}.json",
         lambda c, i, t: c.calls.get(i["call"], fields=["source"]), query={"fields": "source"},
         response=CALL),
    Case("calls.create_outbound", "POST", "calls.json",
         lambda c, i, t: c.calls.create_outbound(caller_id="4045550100",
             customer_phone_number="4045550101", business_phone_number="4045550102"),
         body={"caller_id": "4045550100", "customer_phone_number": "4045550101",
               "business_phone_number": "4045550102"}, response=CALL, status=201),
    Case("calls.update", "PUT", "calls/{call}.json",
         lambda c, i, t: c.calls.update(i["call"], note="x", tags=["VIP"], append_tags=True),
         body={"note": "x", "tags": ["VIP"], "append_tags": True},
         query={"fields": "tags,note"}, response={**CALL, "note": "x", "tags": ["VIP"]}),
    Case("calls.summary", "GET", "calls/summary.json",
         lambda c, i, t: c.calls.summary(group_by="source", date_range="last_30_days"),
         query={"group_by": "source"}, response={"total_results": {"total_calls": 1}}),
    Case("calls.timeseries", "GET", "calls/timeseries.json",
         lambda c, i, t: c.calls.timeseries(interval="week", date_range="last_30_days"),
         query={"interval": "week"}, response={"data": [{"date": "2026-01-01", "total_calls": 1}]}),
    Case("calls.recording", "GET", "calls/{recorded_call}/recording.json",
         lambda c, i, t: c.calls.recording(i["recorded_call"]), response={"url": "https://x/y"}),
    Case("calls.page_views", "GET", "calls/{call}/page_views.json",
         lambda c, i, t: _collect(c.calls.page_views(i["call"])),
         response={**PAGE, "page_views": [{"page_url": "https://e.com/"}]}),
    Case("tags.list", "GET", "tags.json", lambda c, i, t: _collect(c.tags.list(status="enabled")),
         query={"status": "enabled"}, response={**PAGE, "tags": [{"id": 1, "name": "A"}]}),
    Case("tags.get", "GET", "tags/{tag}.json", lambda c, i, t: c.tags.get(i["tag"]),
         response={"id": 1, "name": "A"}),
    Case("tags.create", "POST", "tags.json",
         lambda c, i, t: c.tags.create(name="New", company_id=i["company"], color="red1"),
         body={"name": "New", "company_id": "{company}", "color": "red1"},
         response={"id": "2", "name": "New"}, status=201),
    Case("tags.update", "PUT", "tags/{tag}.json",
         lambda c, i, t: c.tags.update(i["tag"], name="Renamed"), body={"name": "Renamed"},
         response={"id": "1", "name": "Renamed"}),
    Case("tags.delete", "DELETE", "tags/{tag}.json", lambda c, i, t: c.tags.delete(i["tag"]),
         status=204),
    Case("companies.list", "GET", "companies.json",
         lambda c, i, t: _collect(c.companies.list(status="active")), query={"status": "active"},
         response={**PAGE, "companies": [{"id": "COM1"}]}),
    Case("companies.get", "GET", "companies/{company}.json",
         lambda c, i, t: c.companies.get(i["company"]), response={"id": "COM1"}),
    Case("companies.create", "POST", "companies.json",
         lambda c, i, t: c.companies.create(name="Shop", time_zone="America/Denver"),
         body={"name": "Shop", "time_zone": "America/Denver"}, response={"id": "COM2"},
         status=201),
    Case("companies.update", "PUT", "companies/{company}.json",
         lambda c, i, t: c.companies.update(i["company"], callscore_enabled=True),
         body={"callscore_enabled": True}, response={"id": "COM1"}),
    Case("companies.disable", "DELETE", "companies/{company}.json",
         lambda c, i, t: c.companies.disable(i["company"]), status=204),
    Case("companies.bulk_update", "POST", "companies/bulk_update.json",
         lambda c, i, t: c.companies.bulk_update("all", external_form_capture=True),
         body={"company_ids": ["all"], "external_form_capture": True},
         response={"updated_records": 2}),
    Case("form_submissions.list", "GET", "form_submissions.json",
         lambda c, i, t: _collect(c.form_submissions.list(lead_status="not_scored")),
         query={"lead_status": "not_scored"},
         response={**PAGE, "form_submissions": [{"id": "FOR1"}]}),
    Case("form_submissions.create", "POST", "form_submissions.json",
         lambda c, i, t: c.form_submissions.create(company_id=i["company"],
             form_data={"name": "A"}, form_url="https://e.com/f"),
         body={"company_id": "{company}", "form_data": {"name": "A"},
               "form_url": "https://e.com/f"}, response={"id": "FOR1"}, status=201),
    Case("form_submissions.update", "PUT", "form_submissions/{form}.json",
         lambda c, i, t: c.form_submissions.update(i["form"], note="n", lead_status="good_lead"),
         body={"note": "n", "lead_status": "good_lead"}, response={"id": "FOR1"}),
    Case("form_submissions.ignore_fields", "POST", "form_submissions/ignored_fields.json",
         lambda c, i, t: c.form_submissions.ignore_fields(["ssn"]),
         body={"company_ids": ["all"], "field_names": ["ssn"]}, response={"message": "ok"}),
    Case("form_submissions.summary", "GET", "forms/summary.json",
         lambda c, i, t: c.form_submissions.summary(group_by="source"),
         query={"group_by": "source"}, response={"total_results": {"total_forms": 1}}),
    Case("integrations.list", "GET", "integrations.json",
         lambda c, i, t: _collect(c.integrations.list(company_id=i["company"])),
         query={"company_id": "{company}"}, response={**PAGE, "integrations": [{"id": 1}]}),
    Case("integrations.get", "GET", "integrations/{integration}.json",
         lambda c, i, t: c.integrations.get(i["integration"], fields=["signing_key"]),
         query={"fields": "signing_key"}, response={"id": 1, "signing_key": "k"}),
    Case("integrations.create", "POST", "integrations.json",
         lambda c, i, t: c.integrations.create(company_id=i["company"], type="Custom",
                                               config={"grab_cookies": ["a"]}),
         body={"company_id": "{company}", "type": "Custom", "config": {"grab_cookies": ["a"]}},
         response={"id": 2}, status=201),
    Case("integrations.update", "PUT", "integrations/{integration}.json",
         lambda c, i, t: c.integrations.update(i["integration"], state="disabled"),
         body={"state": "disabled"}, response={"id": 1}),
    Case("integrations.disable", "DELETE", "integrations/{integration}.json",
         lambda c, i, t: c.integrations.disable(i["integration"]), status=204),
    Case("integration_triggers.list", "GET", "integration_triggers.json",
         lambda c, i, t: _collect(c.integration_triggers.list(company_id=i["company"])),
         query={"company_id": "{company}"}, response={**PAGE, "integration_criteria": [{"id": 1}]}),
    Case("integration_triggers.get", "GET", "integration_triggers/{trigger}.json",
         lambda c, i, t: c.integration_triggers.get(i["trigger"]), response={"id": 1}),
    Case("integration_triggers.create", "POST", "integration_triggers.json",
         lambda c, i, t: c.integration_triggers.create(company_id=i["company"],
             integration_id=i["integration"], call_type="first_call"),
         body={"company_id": "{company}", "integration_id": "{integration:int}",
               "call_type": "first_call"}, response={"id": 2}, status=201),
    Case("integration_triggers.update", "PUT", "integration_triggers/{trigger}.json",
         lambda c, i, t: c.integration_triggers.update(i["trigger"], min_duration=30),
         body={"min_duration": 30}, response={"id": 1}),
    Case("integration_triggers.delete", "DELETE", "integration_triggers/{trigger}.json",
         lambda c, i, t: c.integration_triggers.delete(i["trigger"]), status=204),
    Case("notifications.list", "GET", "notifications.json",
         lambda c, i, t: _collect(c.notifications.list(notification_type="send_email")),
         query={"notification_type": "send_email"},
         response={**PAGE, "notifications": [{"id": 1}]}),
    Case("notifications.create", "POST", "notifications.json",
         lambda c, i, t: c.notifications.create(user_id=i["user"], call_enabled=True,
                                                alert_type="all", send_email=True),
         body={"call_enabled": True, "alert_type": "all", "send_email": True, "user_id": "{user}"},
         response={"id": 2}, status=201),
    Case("notifications.update", "PUT", "notifications/{notification}.json",
         lambda c, i, t: c.notifications.update(i["notification"], send_push=True),
         body={"send_push": True}, response={"id": 1}),
    Case("notifications.delete", "DELETE", "notifications/{notification}.json",
         lambda c, i, t: c.notifications.delete(i["notification"]), status=204),
    Case("caller_ids.list", "GET", "caller_ids.json",
         lambda c, i, t: _collect(c.caller_ids.list(company_id=i["company"])),
         query={"company_id": "{company}"}, response={**PAGE, "caller_ids": [{"id": 1}]}),
    Case("caller_ids.get", "GET", "caller_ids/{caller_id}.json",
         lambda c, i, t: c.caller_ids.get(i["caller_id"]), response={"id": 1}),
    Case("caller_ids.create", "POST", "caller_ids.json",
         lambda c, i, t: c.caller_ids.create(company_id=i["company"], phone_number="+14045550199",
                                             name="Desk"),
         body={"company_id": "{company}", "phone_number": "+14045550199", "name": "Desk"},
         response={"id": 2}, status=201),
    Case("caller_ids.delete", "DELETE", "caller_ids/{caller_id}.json",
         lambda c, i, t: c.caller_ids.delete(i["caller_id"]), status=204),
    Case("sms_threads.list", "GET", "sms-threads.json",
         lambda c, i, t: _collect(c.sms_threads.list(search="Texter")), query={"search": "Texter"},
         response={**PAGE, "sms_threads": [{"id": "abc"}]}),
    Case("sms_threads.get", "GET", "sms-threads/{thread}.json",
         lambda c, i, t: c.sms_threads.get(i["thread"], per_page=2), query={"per_page": "2"},
         response={"id": "abc", "messages": [{"id": "SCI1"}]}),
    Case("sms_threads.update", "PUT", "sms-threads/{thread}.json",
         lambda c, i, t: c.sms_threads.update(i["thread"], notes="n", tags=["T"]),
         body={"notes": "n", "tags": ["T"]}, response={"id": "abc"}),
    Case("summary_emails.list", "GET", "summary_emails.json",
         lambda c, i, t: _collect(c.summary_emails.list(frequency="weekly")),
         query={"frequency": "weekly"}, response={**PAGE, "summary_emails": [{"id": "CSS1"}]}),
    Case("summary_emails.get", "GET", "summary_emails/{email}.json",
         lambda c, i, t: c.summary_emails.get(i["email"]), response={"id": "CSS1"}),
    Case("summary_emails.create", "POST", "summary_emails.json",
         lambda c, i, t: c.summary_emails.create(frequency=["daily"], config={"call_log": True}),
         body={"frequency": ["daily"], "config": {"call_log": True}}, response={"id": "CSS2"},
         status=201),
    Case("summary_emails.update", "PUT", "summary_emails/{email}.json",
         lambda c, i, t: c.summary_emails.update(i["email"], frequency=["monthly"]),
         body={"frequency": ["monthly"]}, response={"id": "CSS1"}),
    Case("summary_emails.delete", "DELETE", "summary_emails/{email}.json",
         lambda c, i, t: c.summary_emails.delete(i["email"]), status=204),
    Case("text_messages.list", "GET", "text-messages.json",
         lambda c, i, t: _collect(c.text_messages.list(fields=["source"])),
         query={"fields": "source"}, response={**PAGE, "conversations": [{"id": "abc"}]}),
    Case("text_messages.get", "GET", "text-messages/{conversation}.json",
         lambda c, i, t: c.text_messages.get(i["conversation"]),
         response={"id": "abc", "messages": [{"id": 1}]}),
    Case("text_messages.send", "POST", "text-messages.json",
         lambda c, i, t: c.text_messages.send(company_id=i["company"],
             customer_phone_number="+14045550123", content="Hi", tracking_number="+14045550100"),
         body={"company_id": "{company}", "customer_phone_number": "+14045550123",
               "content": "Hi", "tracking_number": "+14045550100"},
         response={"id": "abc"}, status=201),
    Case("text_messages.download_media", "GET", "text-messages/{message}/media/0",
         lambda c, i, t: c.text_messages.download_media(i["message"], 0, t / "m.png"),
         response="raw-bytes"),
    Case("message_flows.list", "GET", "message-flows.json",
         lambda c, i, t: _collect(c.message_flows.list()),
         response={**PAGE, "message-flows": [{"id": "MFL1"}]}),
    Case("message_flows.get", "GET", "message-flows/{flow}.json",
         lambda c, i, t: c.message_flows.get(i["flow"]), response={"id": "MFL1"}),
    Case("message_flows.create", "POST", "message-flows.json",
         lambda c, i, t: c.message_flows.create(company_id=i["company"], name="Hours",
                                                initial_step_id="s1", steps=FLOW_STEPS),
         body={"company_id": "{company}", "name": "Hours", "initial_step_id": "s1",
               "steps": FLOW_STEPS}, response={"id": "MFL2"}, status=201),
    Case("message_flows.update", "PUT", "message-flows/{flow}.json",
         lambda c, i, t: c.message_flows.update(i["flow"], name="Renamed"),
         body={"name": "Renamed"}, response={"id": "MFL1"}),
    Case("message_flows.delete", "DELETE", "message-flows/{flow}.json",
         lambda c, i, t: c.message_flows.delete(i["flow"]), status=204),
    Case("trackers.list", "GET", "trackers.json",
         lambda c, i, t: _collect(c.trackers.list(type="source")), query={"type": "source"},
         response={**PAGE, "trackers": [{"id": "TRK1"}]}),
    Case("trackers.get", "GET", "trackers/{tracker}.json",
         lambda c, i, t: c.trackers.get(i["tracker"]), response={"id": "TRK1"}),
    Case("trackers.create", "POST", "trackers.json",
         lambda c, i, t: c.trackers.create(type="source", company_id=i["company"], name="Radio",
             call_flow={"type": "basic", "destination_number": "+14045550100"},
             source={"type": "offline"}, tracking_number={"area_code": "404"}),
         body={"type": "source", "company_id": "{company}", "name": "Radio",
               "call_flow": {"type": "basic", "destination_number": "+14045550100"},
               "source": {"type": "offline"}, "tracking_number": {"area_code": "404"}},
         response={"id": "TRK2"}, status=201),
    Case("trackers.update", "PUT", "trackers/{tracker}.json",
         lambda c, i, t: c.trackers.update(i["tracker"], whisper_message=None),
         body={"whisper_message": None}, response={"id": "TRK1"}),
    Case("trackers.disable", "DELETE", "trackers/{tracker}.json",
         lambda c, i, t: c.trackers.disable(i["tracker"]), status=204),
    Case("users.list", "GET", "users.json", lambda c, i, t: _collect(c.users.list(sort="email")),
         query={"sort": "email"}, response={**PAGE, "users": [{"id": "USR1"}]}),
    Case("users.get", "GET", "users/{user}.json", lambda c, i, t: c.users.get(i["user"]),
         response={"id": "USR1"}),
    Case("users.create", "POST", "users.json",
         lambda c, i, t: c.users.create(first_name="A", last_name="B", email="a@b.c",
                                        role="manager", companies=[i["company"]]),
         body={"first_name": "A", "last_name": "B", "email": "a@b.c", "role": "manager",
               "companies": ["{company}"]}, response={"id": "USR2"}, status=201),
    Case("users.update", "PUT", "users/{user}.json",
         lambda c, i, t: c.users.update(i["user"], first_name="Z"), body={"first_name": "Z"},
         response={"id": "USR1"}),
    Case("users.delete", "DELETE", "users/{user}.json", lambda c, i, t: c.users.delete(i["user"]),
         status=204),
    Case("leads.list", "GET", "leads.json", lambda c, i, t: _collect(c.leads.list(sort="name")),
         query={"sort": "name"}, response={**PAGE, "leads": [{"id": "PER1"}]}),
    Case("leads.timeline", "GET", "leads/{lead}/timeline.json",
         lambda c, i, t: c.leads.timeline(i["lead"]), response={**PAGE, "timeline": []}),
    # Documented parameters and endpoints beyond the first version (issue 13, item 5).
    Case("form_submissions.get", "GET", "form_submissions/{form}.json",
         lambda c, i, t: c.form_submissions.get(i["form"], fields=["milestones"]),
         query={"fields": "milestones"}, response={"id": "FOR1"}),
    Case("form_submissions.list fields", "GET", "form_submissions.json",
         lambda c, i, t: _collect(c.form_submissions.list(fields=["milestones"])),
         query={"fields": "milestones"}, response={**PAGE, "form_submissions": [{"id": "FOR1"}]}),
    Case("form_submissions.summary filters", "GET", "forms/summary.json",
         lambda c, i, t: c.form_submissions.summary(fields=["total_forms", "first_forms", "leads"],
             group_by="source", tags=["A"], custom_form_ids=[i["form"]],
             form_url="https://e.com/f", lead_status="good_lead"),
         query={"fields": "total_forms,first_forms,leads", "group_by": "source", "tags[]": "A",
                "custom_form_ids[]": "{form}", "form_URL": "https://e.com/f",
                "lead_status": "good_lead"},
         response={"total_results": {"total_forms": 1}}),
    Case("sms_threads.list fields", "GET", "sms-threads.json",
         lambda c, i, t: _collect(c.sms_threads.list(fields=["last_message_at"])),
         query={"fields": "last_message_at"}, response={**PAGE, "sms_threads": [{"id": "abc"}]}),
    Case("sms_threads.get with_msg_errors", "GET", "sms-threads/{thread}.json",
         lambda c, i, t: c.sms_threads.get(i["thread"], with_msg_errors=True),
         query={"with_msg_errors": "true"}, response={"id": "abc", "messages": []}),
    Case("text_messages.get fields", "GET", "text-messages/{conversation}.json",
         lambda c, i, t: c.text_messages.get(i["conversation"], fields=["lead_status", "source"]),
         query={"fields": "lead_status,source"}, response={"id": "abc", "messages": []}),
    Case("leads.list fields", "GET", "leads.json",
         lambda c, i, t: _collect(c.leads.list(fields=["name", "phone"])),
         query={"fields": "name,phone"},
         response={**PAGE, "leads": [{"name": "Ann", "phone": "+15555550100"}]}),
    Case("leads.timeline sort fields", "GET", "leads/{lead}/timeline.json",
         lambda c, i, t: c.leads.timeline(i["lead"], sort="created_at", fields=["event_date"]),
         query={"sort": "created_at", "fields": "event_date"}, response={**PAGE, "timeline": []}),
    Case("calls.summary group_by tracker", "GET", "calls/summary.json",
         lambda c, i, t: c.calls.summary(group_by="tracker", date_range="last_30_days"),
         query={"group_by": "tracker"}, response={"total_results": {"total_calls": 1}},
         sandbox_gap="refuses group_by=tracker"),
    Case("connections.list", "GET", "/connections",
         lambda c, i, t: c.connections.list(status="ACTIVE"), query={"status": "ACTIVE"},
         response={"connections": [{"connection_id": "c-1"}]}, maton=True),
    Case("connections.create", "POST", "/connections", lambda c, i, t: c.connections.create(),
         body={"app": "callrail"}, response={"connection": {"connection_id": "c-2"}}, maton=True),
    Case("connections.get", "GET", "/connections/{connection}",
         lambda c, i, t: c.connections.get(i["connection"]),
         response={"connection": {"connection_id": "c-1"}}, maton=True),
    Case("connections.delete", "DELETE", "/connections/{connection}",
         lambda c, i, t: c.connections.delete(i["connection"]), status=204, maton=True),
]  # fmt: skip


def fill(template: Any, ids: Ids) -> Any:
    """Replace ``{name}`` (and ``{name:int}``) placeholders with ids."""
    if isinstance(template, str):
        for key, value in ids.items():
            if template == f"{{{key}:int}}":
                return int(value)
            template = template.replace(f"{{{key}}}", value)
        return template
    if isinstance(template, dict):
        return {k: fill(v, ids) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, ids) for v in template]
    return template
