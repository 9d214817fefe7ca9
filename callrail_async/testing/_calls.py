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

from ._call_seed import (
    ANSWER_RATES,
    FIRST,
    LAST,
    LEAD_STATUSES,
    PLACES,
    SOURCES,
    add_bursts,
    caller_id_name,
    long_tailed_duration,
    milestones,
    seasonal_times,
)
from ._ids import call_id, call_index, formatted_phone, mix, phone

CALLRAIL_ORIGIN = "https://api.callrail.com"


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
        times = seasonal_times(seed, account, count, now - span_days * 86_400.0, now - 60, zone)
        add_bursts(seed, account, times)
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
            duration=long_tailed_duration(h) if answered else (h >> 8) % 40,
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
            "customer_name": caller_id_name(h, first, last, city, state),
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
