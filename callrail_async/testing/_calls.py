"""The sandbox's call store: millions of calls held as a few arrays, rendered on demand.

Call ``i`` is a pure function of (seed, account, i) plus any overrides, so a store of
1,000,000 calls costs a few arrays, and a page is an index slice, never a filter over a list
of objects. Start times increase with the index (new calls are appended at "now"), so
date ranges are binary searches.
"""

from __future__ import annotations

import bisect
import datetime as dt
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from ._ids import call_id, call_index, formatted_phone, mix, phone

FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "David",
    "Elizabeth",
    "William",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Carlos",
    "Maria",
    "Wei",
    "Aisha",
    "Dmitri",
    "Priya",
]
LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Nguyen",
    "Patel",
    "Kim",
    "O'Brien",
]
PLACES = [
    ("Atlanta", "GA"),
    ("Denver", "CO"),
    ("Seattle", "WA"),
    ("Austin", "TX"),
    ("Boston", "MA"),
    ("Chicago", "IL"),
    ("Miami", "FL"),
    ("Phoenix", "AZ"),
    ("Portland", "OR"),
    ("Nashville", "TN"),
    ("Columbus", "OH"),
    ("Rochester", "NY"),
]
SOURCES = [
    ("Google Ads", "google_paid", "cpc"),
    ("Google Organic", "google_organic", "organic"),
    ("Direct", "direct", "direct"),
    ("Facebook", "facebook_paid", "social"),
    ("Bing Ads", "bing_paid", "cpc"),
    ("Billboard", "offline", "offline"),
    ("Referral", "referral", "referral"),
]
LEAD_STATUSES = [None, None, None, "good_lead", "not_a_lead", None]


@dataclass
class CallOwner:
    """What a call belongs to: tracker, company and their display values."""

    tracker_id: str
    tracker_name: str
    tracking_number: str
    company_id: str
    company_name: str
    time_zone: str
    destination_number: str


@dataclass
class CallStore:
    """All calls of one account."""

    seed: int
    account: int
    numeric_account_id: int
    owners: list[CallOwner]
    start_ts: array[float] = field(default_factory=lambda: array("d"))
    owner_of: array[int] = field(default_factory=lambda: array("H"))
    overrides: dict[int, dict[str, Any]] = field(default_factory=dict)
    spam: list[int] = field(default_factory=list)  # sorted indices of calls marked spam
    version: int = 0
    selection_cache: OrderedDict[tuple[Any, ...], Sequence[int]] = field(
        default_factory=OrderedDict
    )
    _zones: dict[str, ZoneInfo] = field(default_factory=dict)

    @classmethod
    def generate(
        cls,
        *,
        seed: int,
        account: int,
        numeric_account_id: int,
        owners: list[CallOwner],
        count: int,
        now: float,
        span_days: float,
    ) -> CallStore:
        """``count`` calls spread evenly (with jitter) over the ``span_days`` before ``now``."""
        store = cls(
            seed=seed, account=account, numeric_account_id=numeric_account_id, owners=owners
        )
        span = span_days * 86_400.0
        step = span / max(1, count)
        base = now - span
        n_owners = len(owners)
        start = store.start_ts
        owner = store.owner_of
        for i in range(count):
            h = mix(seed, account, i)
            start.append(base + i * step + (h % 1000) / 1000.0 * step * 0.9)
            owner.append((h >> 10) % n_owners)
        return store

    def __len__(self) -> int:
        return len(self.start_ts)

    def append(self, when: float, owner: int | None = None) -> int:
        """Add a new call at ``when`` (clamped to keep start times increasing)."""
        index = len(self.start_ts)
        last = self.start_ts[-1] if index else when
        self.start_ts.append(max(when, last + 0.001))
        h = mix(self.seed, self.account, index)
        self.owner_of.append(owner if owner is not None else (h >> 10) % len(self.owners))
        self.version += 1
        return index

    def mark_spam(self, index: int) -> bool:
        """Hide a call from listings (as CallRail does for spam); False if already hidden."""
        pos = bisect.bisect_left(self.spam, index)
        if pos < len(self.spam) and self.spam[pos] == index:
            return False
        self.spam.insert(pos, index)
        self.version += 1
        return True

    def is_spam(self, index: int) -> bool:
        """Whether call ``index`` is hidden."""
        pos = bisect.bisect_left(self.spam, index)
        return pos < len(self.spam) and self.spam[pos] == index

    def id_of(self, index: int) -> str:
        """The call's ``CAL…`` id."""
        return call_id(self.seed, self.account, index)

    def index_of(self, value: str) -> int | None:
        """The index of a call id, or None if it is not a visible call of this account."""
        index = call_index(self.seed, self.account, value)
        if index is None or index >= len(self.start_ts) or self.is_spam(index):
            return None
        return index

    def time_range(self, start: float | None, end: float | None) -> range:
        """Indices of calls with ``start <= start_time <= end`` (a contiguous range)."""
        lo = 0 if start is None else bisect.bisect_left(self.start_ts, start)
        hi = len(self.start_ts) if end is None else bisect.bisect_right(self.start_ts, end)
        return range(lo, max(lo, hi))

    def visible(self, indices: range) -> Sequence[int]:
        """``indices`` without spam calls; a plain range when none are hidden there."""
        lo = bisect.bisect_left(self.spam, indices.start)
        hi = bisect.bisect_left(self.spam, indices.stop)
        if lo == hi:
            return indices
        hidden = set(self.spam[lo:hi])
        return array("l", (i for i in indices if i not in hidden))

    def zone(self, name: str) -> ZoneInfo:
        """A cached ZoneInfo."""
        zone = self._zones.get(name)
        if zone is None:
            zone = self._zones[name] = ZoneInfo(name)
        return zone

    def _derive(self, index: int) -> _Derived:
        seed, account = self.seed, self.account
        h = mix(seed, account, index, 7)
        owner = self.owners[self.owner_of[index]]
        started = dt.datetime.fromtimestamp(self.start_ts[index], self.zone(owner.time_zone))
        answered = h % 10 < 7
        return _Derived(
            h=h,
            owner=owner,
            started=started,
            answered=answered,
            voicemail=not answered and h % 3 == 0,
            duration=5 + (h >> 8) % 900 if answered else (h >> 8) % 40,
            recorded=answered and (h >> 20) % 4 != 0,
            outbound=(h >> 44) % 20 == 0,
            call=call_id(seed, account, index),
            customer=phone(seed, account, index, 1),
        )

    def core(self, index: int) -> dict[str, Any]:
        """CallRail's default fields of call ``index``, overrides applied."""
        d = self._derive(index)
        h, call, recorded = d.h, d.call, d.recorded
        first, last = FIRST[(h >> 24) % len(FIRST)], LAST[(h >> 30) % len(LAST)]
        city, state = PLACES[(h >> 36) % len(PLACES)]
        core: dict[str, Any] = {
            "answered": d.answered,
            "business_phone_number": d.owner.destination_number if d.answered else None,
            "customer_city": city,
            "customer_country": "US",
            "customer_name": f"{first} {last}".upper() if (h >> 48) % 5 else None,
            "customer_phone_number": d.customer,
            "customer_state": state,
            "direction": "outbound" if d.outbound else "inbound",
            "duration": d.duration,
            "id": call,
            "recording": (
                f"https://api.callrail.com/v3/a/{self.numeric_account_id}/calls/{call}"
                "/recording.json"
                if recorded
                else None
            ),
            # CallRail documents a string here, and sends integers in practice: do both.
            "recording_duration": (
                (str(d.duration) if index % 2 else d.duration) if recorded else None
            ),
            "recording_player": (
                f"https://app.callrail.com/calls/{call}/recording"
                f"?access_key={h & 0xFFFFFFFFFF:010x}"
                if recorded
                else None
            ),
            "start_time": d.started.isoformat(timespec="milliseconds"),
            "tracking_phone_number": d.owner.tracking_number,
            "voicemail": d.voicemail,
        }
        override = self.overrides.get(index)
        if override:
            core.update((k, v) for k, v in override.items() if k in core)
        return core

    def attrs(self, index: int) -> dict[str, Any]:
        """Every field of call ``index`` (default and optional), overrides applied."""
        d = self._derive(index)
        h, call, owner, duration = d.h, d.call, d.owner, d.duration
        first, last = FIRST[(h >> 24) % len(FIRST)], LAST[(h >> 30) % len(LAST)]
        city, state = PLACES[(h >> 36) % len(PLACES)]
        source, tracking_source, medium = SOURCES[(h >> 40) % len(SOURCES)]
        kind = (
            "outbound"
            if d.outbound
            else ("answered" if d.answered else ("voicemail" if d.voicemail else "missed"))
        )
        attrs = self.core(index)
        attrs.update(
            {
                "agent_email": f"agent{(h >> 50) % 5}@example.com" if d.answered else None,
                "call_type": kind,
                "campaign": f"campaign-{(h >> 52) % 6}",
                "company_id": owner.company_id,
                "company_name": owner.company_name,
                "company_time_zone": owner.time_zone,
                "created_at": (d.started + dt.timedelta(seconds=duration + 2)).isoformat(
                    timespec="milliseconds"
                ),
                "device_type": "mobile" if h % 2 else "desktop",
                "first_call": (h >> 54) % 3 == 0,
                "formatted_call_type": {
                    "outbound": "Outbound Call",
                    "answered": "Answered Call",
                    "voicemail": "Voicemail",
                    "missed": "Missed Call",
                }[kind],
                "formatted_customer_location": f"{city}, {state}",
                "formatted_business_phone_number": formatted_phone(owner.destination_number),
                "formatted_customer_name": f"{first} {last}",
                "formatted_customer_name_or_phone_number": f"{first} {last}",
                "formatted_customer_phone_number": formatted_phone(d.customer),
                "formatted_duration": _formatted_duration(duration),
                "formatted_tracking_phone_number": formatted_phone(owner.tracking_number),
                "formatted_tracking_source": source,
                "formatted_value": "--",
                "gclid": f"gclid{h & 0xFFFFFF:06x}" if tracking_source == "google_paid" else None,
                "keywords": "emergency plumber" if medium == "cpc" else None,
                "landing_page_url": f"https://www.example.com/landing/{(h >> 56) % 4}",
                "lead_status": LEAD_STATUSES[(h >> 58) % len(LEAD_STATUSES)],
                "medium": medium,
                "note": None,
                "person_id": f"PER{call[3:]}",
                "prior_calls": (h >> 60) % 4,
                "referrer_domain": "www.google.com" if "Google" in source else None,
                "referring_url": "https://www.google.com/" if "Google" in source else None,
                "source": source,
                "source_name": owner.tracker_name,
                "tags": [],
                "timeline_url": (
                    f"https://app.callrail.com/analytics/a/{self.numeric_account_id}/events/"
                    f"PER{call[3:]}?event_id={call}&event_type=call"
                ),
                "total_calls": 1 + (h >> 60) % 4,
                "tracker_id": owner.tracker_id,
                "transcription": None,
                "utm_campaign": None,
                "utm_medium": medium,
                "utm_source": tracking_source,
                "value": None,
                "milestones": None,
                "keywords_spotted": [],
                "call_highlights": [],
                "waveforms": [
                    f"https://cdn.callrail.com/waveforms/{call}-0.png",
                    f"https://cdn.callrail.com/waveforms/{call}-1.png",
                ]
                if d.recorded
                else [],
            }
        )
        override = self.overrides.get(index)
        if override:
            attrs.update(override)
        return attrs


class _Derived(NamedTuple):
    h: int
    owner: CallOwner
    started: dt.datetime
    answered: bool
    voicemail: bool
    duration: int
    recorded: bool
    outbound: bool
    call: str
    customer: str


def _formatted_duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}m {rest}s" if minutes else f"{rest}s"


DEFAULT_CALL_FIELDS = (
    "answered",
    "business_phone_number",
    "customer_city",
    "customer_country",
    "customer_name",
    "customer_phone_number",
    "customer_state",
    "direction",
    "duration",
    "id",
    "recording",
    "recording_duration",
    "recording_player",
    "start_time",
    "tracking_phone_number",
    "voicemail",
)
