"""The sandbox's seeded data: accounts and everything in them, deterministic from a seed."""

from __future__ import annotations

from typing import Any

from ._calls import CallOwner, CallStore
from ._extras import seed_extras
from ._ids import masked_id, mix, phone
from ._model import AccountData, SandboxData
from ._timefmt import offset_millis, ruby_time, utc_millis, utc_seconds

COMPANY_NAMES = [
    "Widget Shop",
    "Bob's Auto Shop",
    "Grand Symphony Resort",
    "Peststoppers",
    "Mos Eisley Cantina",
    "Last Mile Metrics",
    "Blue Ridge Dental",
    "Acme Plumbing",
]
TRACKER_NAMES = [
    "Google Ads",
    "Website Pool",
    "Billboard I-85",
    "Facebook Campaign",
    "Yelp Listing",
    "Radio Spot",
    "Direct Mail",
    "Bing Ads",
]
TIME_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"]
TAG_COLORS = ["gray1", "blue1", "green1", "red1", "orange1", "purple1", "yellow1", "pink1"]
ROLES = ["admin", "manager", "reporting", "manager", "reporting"]


def generate(
    *,
    seed: int = 1,
    accounts: int = 1,
    calls: int = 5000,
    companies: int = 3,
    trackers_per_company: int = 3,
    users: int = 5,
    now: float,
    span_days: float = 90.0,
) -> SandboxData:
    """Build the seeded data set."""
    data = SandboxData(seed=seed, now=now)
    for a in range(accounts):
        data.accounts.append(
            _account(seed, a, calls, companies, trackers_per_company, users, now, span_days)
        )
    return data


def _account(
    seed: int,
    a: int,
    n_calls: int,
    n_companies: int,
    trackers_per_company: int,
    n_users: int,
    now: float,
    span_days: float,
) -> AccountData:
    numeric = 200_000_000 + mix(seed, a) % 99_999_999
    created = now - 900 * 86_400 - a * 86_400
    record = {
        "id": masked_id("ACC", seed, "account", a),
        "name": f"Sandbox Agency {a + 1}",
        "outbound_recording_enabled": True,
        "inbound_recording_enabled": True,
        "hipaa_account": False,
        "numeric_id": numeric,
        # Most accounts carry an ISO time; some the Ruby format the Maton example shows.
        "created_at": ruby_time(created) if mix(seed, a, 5) % 3 == 0 else offset_millis(created),
    }
    companies: dict[str, dict[str, Any]] = {}
    trackers: dict[str, dict[str, Any]] = {}
    owners: list[CallOwner] = []
    for c in range(n_companies):
        key = a * 100 + c
        company_id = masked_id("COM", seed, "company", key)
        zone = TIME_ZONES[c % len(TIME_ZONES)]
        name = COMPANY_NAMES[c % len(COMPANY_NAMES)] + ("" if c < len(COMPANY_NAMES) else f" {c}")
        companies[company_id] = {
            "id": company_id,
            "name": name,
            "status": "active",
            "time_zone": zone,
            "created_at": utc_millis(created + c * 3600),
            "disabled_at": None,
            "dni_active": True,
            "script_url": (
                f"//cdn.callrail.com/companies/{numeric + c}/{company_id[3:23]}/12/swap.js"
            ),
            "callscore_enabled": False,
            "lead_scoring_enabled": True,
            "swap_exclude_jquery": None,
            "swap_ppc_override": None,
            "swap_landing_override": None,
            "swap_cookie_duration": 6,
            "swap_cookie_duration_unit": "months",
            "callscribe_enabled": False,
            "keyword_spotting_enabled": False,
            "form_capture": c % 2 == 0,
            "verified_caller_ids": [],
        }
        for t in range(trackers_per_company):
            tkey = key * 100 + t
            tracker_id = masked_id("TRK", seed, "tracker", tkey)
            number = phone(seed, 11, tkey)
            destination = phone(seed, 12, key)
            session = t == 0
            tname = TRACKER_NAMES[(c + t) % len(TRACKER_NAMES)]
            trackers[tracker_id] = {
                "id": tracker_id,
                "name": tname,
                "type": "session" if session else "source",
                "status": "active",
                "destination_number": destination,
                "tracking_numbers": [number, phone(seed, 13, tkey)] if session else [number],
                "whisper_message": "Call from [source]." if t % 2 else None,
                "sms_enabled": t % 2 == 0,
                "sms_supported": True,
                "company": {"id": company_id, "name": name},
                "call_flow": {
                    "type": "basic",
                    "recording_enabled": True,
                    "destination_number": destination,
                    "greeting_text": "This call will be recorded for quality assurance",
                    "greeting_recording_url": None,
                },
                "source": {"type": "all"}
                if session
                else {"type": "search", "search_engine": "google", "search_type": "paid"},
                "created_at": utc_seconds(created + c * 3600 + t * 60),
                "disabled_at": None,
                "campaign_name": None if session else f"{tname} campaign",
                "swap_targets": ["4045551234"] if session else [],
            }
            owners.append(CallOwner(tracker_id, tname, number, company_id, name, zone, destination))
    tags: dict[str, dict[str, Any]] = {}
    tag_id = 990_000 + a * 1000
    levels: list[tuple[str, list[str | None]]] = [
        ("account", [None]),
        ("company", list(companies)),
    ]
    for level, company_ids in levels:
        for tag_company in company_ids:
            for name in ("Opportunity", "Existing Customer", "Spam Risk"):
                tag_id += 1
                tags[str(tag_id)] = {
                    "id": tag_id,
                    "name": name if level == "company" else f"{name} (account)",
                    "tag_level": level,
                    "color": TAG_COLORS[tag_id % len(TAG_COLORS)],
                    "background_color": TAG_COLORS[(tag_id + 3) % len(TAG_COLORS)],
                    "company_id": tag_company,
                    "status": "enabled",
                    "created_at": offset_millis(created + tag_id),
                }
    users: dict[str, dict[str, Any]] = {}
    for u in range(n_users):
        user_id = masked_id("USR", seed, "user", a * 100 + u)
        first = ["Kevin", "Ana", "Sam", "Lee", "Ravi", "Jo", "Max"][u % 7]
        last = ["Mann", "Ortiz", "Park", "Chen", "Shah", "Berg", "Roy"][u % 7]
        users[user_id] = {
            "id": user_id,
            "email": f"{first.lower()}.{last.lower()}{u}@example.com",
            "created_at": offset_millis(created + u * 86_400),
            "role": ROLES[u % len(ROLES)],
            "first_name": first,
            "last_name": last,
            "name": f"{first} {last}",
            "accepted": True,
            "companies": [{"id": cid, "name": c["name"]} for cid, c in companies.items()],
        }
    user_ids = list(users)
    notifications: dict[str, dict[str, Any]] = {}
    for n in range(3):
        nid = 5_000 + a * 100 + n
        notifications[str(nid)] = {
            "id": nid,
            "user_id": user_ids[n % len(user_ids)] if user_ids else None,
            "email": None,
            "alert_type": ["all", "first_call", "missed_and_vm"][n],
            "call_enabled": True,
            "sms_enabled": n == 0,
            "company_id": None,
            "company_name": None,
            "tracker_id": None,
            "tracker_name": None,
            "name": f"Alert {n + 1}",
            "send_desktop": True,
            "send_email": n != 1,
            "send_push": False,
        }
    integrations: dict[str, dict[str, Any]] = {}
    for c, company_id in enumerate(companies):
        iid = 7_000 + a * 100 + c
        integrations[str(iid)] = {
            "id": iid,
            "type": "Webhooks",
            "state": "active",
            "company_id": company_id,
            "config": {"post_call_webhook": [f"https://hooks.example.com/{c}/post-call"]},
            "signing_key": masked_id("", seed, "signing", iid),
        }
    store = CallStore.generate(
        seed=seed,
        account=a,
        numeric_account_id=numeric,
        owners=owners,
        count=n_calls,
        now=now,
        span_days=span_days,
    )
    store.agents = [u["email"] for u in users.values()]
    account = AccountData(
        index=a,
        record=record,
        collections={
            "companies": companies,
            "trackers": trackers,
            "tags": tags,
            "users": users,
            "notifications": notifications,
            "integrations": integrations,
        },
        calls=store,
    )
    seed_extras(account, seed, now)
    return account
