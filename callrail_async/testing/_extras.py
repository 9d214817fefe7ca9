"""Seed data for the sandbox's less central collections (forms, texts, flows, leads...)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._call_seed import milestones
from ._ids import formatted_phone, masked_id, mix, phone
from ._model import AccountData
from ._timefmt import offset_millis, utc_millis

Record = dict[str, Any]


def seed_extras(account: AccountData, seed: int, now: float) -> None:
    """Add triggers, caller ids, forms, conversations, threads, flows, emails, leads."""
    a = account.index
    companies = list(account.collections["companies"].values())
    trackers = list(account.collections["trackers"].values())
    users = list(account.collections["users"].values())
    triggers: dict[str, Record] = {}
    caller_ids: dict[str, Record] = {}
    for c, company in enumerate(companies):
        tid = 8_000 + a * 100 + c
        triggers[str(tid)] = {
            "id": tid,
            "company_id": company["id"],
            "integration_id": None,
            "tracker_ids": [],
            "call_type": None,
            "min_duration": None,
            "max_duration": None,
            "lead_status": None,
            "integration": {"id": None, "type": "All (Default Integration Trigger)"},
        }
        cid = 9_000 + a * 100 + c
        number = phone(seed, 21, cid)
        caller_ids[str(cid)] = {
            "id": cid,
            "phone_number": number,
            "name": f"Front desk {c + 1}",
            "company_id": company["id"],
            "verified": True,
            "created_at": offset_millis(now - 86_400 * (30 + c)),
            "validation_code": None,
        }
    forms: dict[str, Record] = {}
    for n in range(24):
        company = companies[n % len(companies)]
        form_id = masked_id("FOR", seed, "form", a * 1000 + n)
        person_id = masked_id("PER", seed, "person", a * 1000 + n)
        customer = phone(seed, 22, a, n)
        paid = n % 3 != 1
        source, medium = ("Google Ads", "CPC") if paid else ("Google Organic", "organic")
        submitted = now - 3600 * (n * 7 + 1)
        landing = "https://www.example.com/" + ("?campaign=spring&gclid=abc123" if paid else "")
        forms[form_id] = {
            "id": form_id,
            "company_id": company["id"],
            # Anonymous visitors have no lead yet: CallRail says so in person_id.
            "person_id": person_id if n % 5 else "anonymous",
            "form_data": {"name": f"Visitor {n}", "phone": customer, "message": "Call me"},
            "form_url": "https://www.example.com/contact",
            "landing_page_url": landing,
            "referrer": "google_paid" if paid else "google_organic",
            "referring_url": "https://www.google.com/",
            "submitted_at": utc_millis(submitted),
            "first_form": n % 3 == 0,
            "customer_phone_number": customer,
            "customer_name": f"Visitor {n}",
            "customer_email": f"visitor{n}@example.com",
            "formatted_customer_phone_number": formatted_phone(customer),
            "formatted_customer_name": f"Visitor {n}",
            "source": source,
            # Organic visitors have no keywords or campaign: null, as in the reference.
            "keywords": "plumber" if paid else None,
            "campaign": "spring" if paid else None,
            "medium": medium,
            "company_name": company["name"],
            "lead_status": None,
            "value": None,
            "note": None,
            "tags": [],
            "utm_source": "google" if paid else None,
            "utm_medium": "cpc" if paid else None,
            "utm_campaign": "spring" if paid else None,
            "form_name": "Contact us" if n % 2 else None,
            "timeline_url": (
                f"https://app.callrail.com/analytics/a/{account.record['numeric_id']}"
                f"/events/{person_id}?event_id={form_id}&event_type=form"
            ),
            "milestones": milestones(
                dt.datetime.fromtimestamp(submitted, dt.UTC),
                source,
                medium.lower(),
                landing,
                qualified=False,
            ),
            "_submitted_ts": submitted,
        }
    conversations: dict[str, Record] = {}
    threads: dict[str, Record] = {}
    for n in range(6):
        tracker = trackers[n % len(trackers)]
        short = "".join(
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz"[(mix(seed, a, n, k) % 47)]
            for k in range(5)
        )
        customer = phone(seed, 23, a, n)
        messages: list[Record] = [
            {
                "id": 70_000 + n * 10 + m,
                "content": f"Message {m} of conversation {n}",
                "created_at": offset_millis(now - 600 * (n * 10 + m)),
                "direction": "incoming" if m % 2 == 0 else "outgoing",
                "type": "sms",
                "status": None if m % 2 == 0 else "sent",
                "media_urls": [],
                "user": None if m % 2 == 0 else {"id": users[0]["id"], "name": users[0]["name"]},
            }
            for m in range(4)
        ]
        base = {
            "id": short,
            "company_id": tracker["company"]["id"],
            "initial_tracker_id": tracker["id"],
            "current_tracker_id": tracker["id"],
            "customer_name": f"Texter {n}",
            "customer_phone_number": customer,
            "initial_tracking_number": tracker["tracking_numbers"][0],
            "current_tracking_number": tracker["tracking_numbers"][0],
            "last_message_at": utc_millis(now - 600 * n * 10),
            "state": "active",
            "company_time_zone": "America/New_York",
            "formatted_customer_phone_number": formatted_phone(customer),
            "formatted_initial_tracking_number": formatted_phone(tracker["tracking_numbers"][0]),
            "formatted_current_tracking_number": formatted_phone(tracker["tracking_numbers"][0]),
            "formatted_customer_name": f"Texter {n}",
        }
        conversations[short] = {
            **base,
            "recent_messages": messages[:2],
            "_messages": messages,
            "lead_status": None,
            "source": "Google Ads" if n % 2 else "Google Organic",
        }
        # A thread's messages: message_type, not a conversation's type and user.
        thread_messages = [
            {
                **{k: v for k, v in m.items() if k not in ("type", "user")},
                "id": masked_id("SCI", seed, "sms", int(m["id"])),
                "message_type": m["type"],
            }
            for m in messages
        ]
        threads[short] = {
            **base,
            "notes": None,
            "tags": [],
            "value": None,
            "lead_qualification": None,
            "_messages": thread_messages,
        }
    flow_id = masked_id("MFL", seed, "flow", a)
    flows = {
        flow_id: {
            "id": flow_id,
            "name": "After hours",
            "updated_at": offset_millis(now - 86_400),
            "tracker_ids": [],
            "initial_step_id": masked_id("MFS", seed, "step", a),
            "steps": {
                masked_id("MFS", seed, "step", a): {
                    "id": masked_id("MFS", seed, "step", a),
                    "type": "sms_response",
                    "initial_step": True,
                    "next_step_id": None,
                    "message": "Thanks! We'll text you back soon.",
                    "first_text": True,
                }
            },
        }
    }
    email_id = masked_id("CSS", seed, "summary", a)
    emails = {
        email_id: {
            "id": email_id,
            "scope": {"id": account.id, "type": "Account", "name": account.record["name"]},
            "frequency": ["weekly"],
            "config": {
                "summary_statistics": True,
                "top_sources": True,
                "top_keywords": False,
                "call_log": True,
            },
            "filters": {"lead_status": "All"},
            "user": {"id": users[0]["id"], "name": users[0]["name"], "email": users[0]["email"]},
            "email": None,
        }
    }
    leads: dict[str, Record] = {}
    for n in range(12):
        lead_id = masked_id("PER", seed, "person", a * 1000 + n)
        company = companies[n % len(companies)]
        leads[lead_id] = {
            "id": lead_id,
            "name": f"Visitor {n}",
            "phone": phone(seed, 22, a, n),
            "email": f"visitor{n}@example.com",
            "created_at": utc_millis(now - 86_400 * n),
            "company_id": company["id"],
            "company_name": company["name"],
        }
    account.collections.update(
        {
            "integration_triggers": triggers,
            "caller_ids": caller_ids,
            "form_submissions": forms,
            "text-messages": conversations,
            "sms-threads": threads,
            "message-flows": flows,
            "summary_emails": emails,
            "leads": leads,
        }
    )
