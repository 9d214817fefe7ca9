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
# Share of calls answered per source (in business hours; fewer are answered after hours),
# so reports by source differ the way real accounts do.
ANSWER_RATES = [0.86, 0.74, 0.68, 0.45, 0.8, 0.58, 0.92]
CALLRAIL_ORIGIN = "https://api.callrail.com"
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
    agents: list[str] = field(default_factory=list)  # emails of users who answer calls
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
        """``count`` calls over the ``span_days`` before ``now``, shaped like a real account.

        Calls follow weekly and daily seasonality (weekdays busier than weekends, business
        hours busier than nights, in the first company's zone), and now and then a burst of
        calls arrives within one second. Times are a pure function of the seed.
        """
        store = cls(
            seed=seed, account=account, numeric_account_id=numeric_account_id, owners=owners
        )
        zone = ZoneInfo(owners[0].time_zone if owners else "America/New_York")
        # Seeded calls have ended by "now": none starts in the last minute.
        times = _seasonal_times(seed, account, count, now - span_days * 86_400.0, now - 60, zone)
        _add_bursts(seed, account, times)
        store.start_ts = times
        n_owners = len(owners)
        store.owner_of = array(
            "H", ((mix(seed, account, i) >> 10) % n_owners for i in range(count))
        )
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

    def _derive(self, index: int, zone: ZoneInfo | None = None) -> _Derived:
        seed, account = self.seed, self.account
        h = mix(seed, account, index, 7)
        owner = self.owners[self.owner_of[index]]
        started = dt.datetime.fromtimestamp(
            self.start_ts[index], zone or self.zone(owner.time_zone)
        )
        source = (h >> 40) % len(SOURCES)
        local_hour = started.hour if zone is None else _local_hour(self, index, owner)
        rate = ANSWER_RATES[source] * (1.0 if 8 <= local_hour < 18 else 0.55)
        answered = (h % 1000) / 1000.0 < rate
        return _Derived(
            h=h,
            owner=owner,
            started=started,
            answered=answered,
            voicemail=not answered and h % 3 == 0,
            duration=_long_tailed_duration(h) if answered else (h >> 8) % 40,
            recorded=answered and (h >> 20) % 4 != 0,
            outbound=(h >> 44) % 20 == 0,
            call=call_id(seed, account, index),
            customer=phone(seed, account, index, 1),
            source=source,
        )

    def core(
        self, index: int, origin: str = CALLRAIL_ORIGIN, zone: ZoneInfo | None = None
    ) -> dict[str, Any]:
        """CallRail's default fields of call ``index``, overrides applied.

        ``origin`` is where the ``recording`` link points; ``zone`` (the request's
        ``time_zone``) the offset of ``start_time``, else the company's own zone.
        """
        d = self._derive(index, zone)
        h, call, recorded = d.h, d.call, d.recorded
        first, last = FIRST[(h >> 24) % len(FIRST)], LAST[(h >> 30) % len(LAST)]
        city, state = PLACES[(h >> 36) % len(PLACES)]
        core: dict[str, Any] = {
            "answered": d.answered,
            "business_phone_number": d.owner.destination_number if d.answered else None,
            "customer_city": city,
            "customer_country": "US",
            "customer_name": _caller_id_name(h, first, last, city, state),
            "customer_phone_number": d.customer,
            "customer_state": state,
            "direction": "outbound" if d.outbound else "inbound",
            "duration": d.duration,
            "id": call,
            "recording": (
                f"{origin}/v3/a/{self.numeric_account_id}/calls/{call}/recording.json"
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

    def attrs(
        self, index: int, origin: str = CALLRAIL_ORIGIN, zone: ZoneInfo | None = None
    ) -> dict[str, Any]:
        """Every field of call ``index`` (default and optional), overrides applied."""
        d = self._derive(index, zone)
        h, call, owner, duration = d.h, d.call, d.owner, d.duration
        first, last = FIRST[(h >> 24) % len(FIRST)], LAST[(h >> 30) % len(LAST)]
        city, state = PLACES[(h >> 36) % len(PLACES)]
        source, tracking_source, medium = SOURCES[d.source]
        kind = (
            "outbound"
            if d.outbound
            else ("answered" if d.answered else ("voicemail" if d.voicemail else "missed"))
        )
        attrs = self.core(index, origin, zone)
        attrs.update(
            {
                "agent_email": (
                    self.agents[(h >> 50) % len(self.agents)]
                    if d.answered and self.agents
                    else None
                ),
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
                "milestones": milestones(
                    d.started,
                    source,
                    medium,
                    f"https://www.example.com/landing/{(h >> 56) % 4}",
                    qualified=LEAD_STATUSES[(h >> 58) % len(LEAD_STATUSES)] == "good_lead",
                ),
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
    source: int


def _local_hour(store: CallStore, index: int, owner: CallOwner) -> int:
    return dt.datetime.fromtimestamp(store.start_ts[index], store.zone(owner.time_zone)).hour


def _long_tailed_duration(h: int) -> int:
    """Seconds of an answered call: median about a minute, a long tail up to two hours."""
    u = ((h >> 8) & 0xFFFF) / 65_536.0
    return min(7200, int(30 * (1.0 / (1.0 - u)) ** 0.9))


def _caller_id_name(h: int, first: str, last: str, city: str, state: str) -> str | None:
    """Caller ID as CallRail shows it: a name, a place (``BLUE RIDGE, GA``) or nothing."""
    kind = (h >> 48) % 10
    if kind == 0:
        return None
    if kind == 1:
        return f"{city}, {state}".upper()
    return f"{last} {first}".upper()


_EMPTY_MILESTONE: dict[str, Any] = {
    "event_date": None, "ad_position": None, "campaign": None, "device": None,
    "keywords": None, "landing": None, "landing_page_url_params": {}, "match_type": None,
    "medium": None, "referrer": None, "referrer_url_params": {}, "session_browser": None,
    "url_utm_params": {}, "source": None,
}  # fmt: skip


def milestones(
    when: dt.datetime, source: str, medium: str, landing: str, *, qualified: bool
) -> dict[str, Any]:
    """The four attribution milestones CallRail includes when ``milestones`` is requested."""
    touch = {
        **_EMPTY_MILESTONE,
        "event_date": when.isoformat(timespec="milliseconds"),
        "campaign": "spring" if medium == "cpc" else None,
        "device": "desktop",
        "keywords": "emergency plumber" if medium == "cpc" else None,
        "landing": landing,
        "medium": medium,
        "referrer": "https://www.google.com/" if "Google" in source else None,
        "session_browser": "Chrome",
        "source": source,
    }
    return {
        "first_touch": touch,
        "lead_created": touch,
        "qualified": touch if qualified else dict(_EMPTY_MILESTONE),
        "last_touch": touch,
    }


# Relative call volume per weekday (Monday first) and per local hour of the day.
_WEEKDAY_WEIGHT = (1.0, 1.05, 1.0, 0.95, 0.9, 0.4, 0.25)
_HOUR_WEIGHT = (
    0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.5, 1.0, 1.3, 1.4, 1.35,
    1.2, 1.3, 1.35, 1.25, 1.1, 0.8, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08,
)  # fmt: skip


def _seasonal_times(
    seed: int, account: int, count: int, start: float, end: float, zone: ZoneInfo
) -> array[float]:
    """``count`` sorted start times in ``[start, end)``, denser on weekdays and by day."""
    if count <= 0 or end <= start:
        return array("d")
    first_hour = int(start // 3600)
    hours = list(range(first_hour, int(end // 3600) + 1))
    cumulative = array("d")
    total = 0.0
    for hour in hours:
        local = dt.datetime.fromtimestamp(hour * 3600, zone)
        total += _WEEKDAY_WEIGHT[local.weekday()] * _HOUR_WEIGHT[local.hour]
        cumulative.append(total)
    times = array("d")
    for i in range(count):
        h = mix(seed, account, i, 11)
        target = (i + (h & 0xFFFF) / 65_536.0) / count * total
        slot = min(bisect.bisect_left(cumulative, target), len(hours) - 1)
        moment = hours[slot] * 3600 + ((h >> 16) & 0xFFFF) / 65_536.0 * 3600
        times.append(min(max(moment, start), end - 0.001))
    return array("d", sorted(times))


def _add_bursts(seed: int, account: int, times: array[float]) -> None:
    """Now and then (about one call in 1,500) the next 10-40 calls arrive in the same second."""
    i, n = 0, len(times)
    while i < n:
        h = mix(seed, account, i, 13)
        if h % 1500 == 0:
            size = min(10 + (h >> 12) % 31, n - 1 - i)
            base = times[i]
            room = (int(base) + 1 - base) / (size + 1)
            for k in range(1, size + 1):
                times[i + k] = base + room * k
            i += size
        i += 1


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
