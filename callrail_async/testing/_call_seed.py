"""How seeded calls look like a real account's: names, places, sources and their answer
rates, call times with weekly and daily seasonality and bursts, long-tailed durations,
caller-ID names and attribution milestones. Pure functions of the seed."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from array import array
from typing import Any
from zoneinfo import ZoneInfo

from ._ids import mix

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
LEAD_STATUSES = [None, None, None, "good_lead", "not_a_lead", None]


def long_tailed_duration(h: int) -> int:
    """Seconds of an answered call: median about a minute, a long tail up to two hours."""
    u = ((h >> 8) & 0xFFFF) / 65_536.0
    return min(7200, int(30 * (1.0 / (1.0 - u)) ** 0.9))


def caller_id_name(h: int, first: str, last: str, city: str, state: str) -> str | None:
    """Caller ID as CallRail shows it: a name, a place (``BLUE RIDGE, GA``) or nothing."""
    kind = (h >> 48) % 10
    if kind == 0:
        return None
    if kind == 1:
        return f"{city}, {state}".upper()
    return f"{last} {first}".upper()


_EMPTY_MILESTONE: dict[str, Any] = {
    "event_date": None,
    "ad_position": None,
    "campaign": None,
    "device": None,
    "keywords": None,
    "landing": None,
    "landing_page_url_params": {},
    "match_type": None,
    "medium": None,
    "referrer": None,
    "referrer_url_params": {},
    "session_browser": None,
    "url_utm_params": {},
    "source": None,
}


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
# Two rows of 12 hours, so each weight's hour can be read off (ruff: 24 lines of one number).
_HOUR_WEIGHT = (
    0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.5, 1.0, 1.3, 1.4, 1.35,
    1.2, 1.3, 1.35, 1.25, 1.1, 0.8, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08,
)  # fmt: skip


def seasonal_times(
    seed: int, account: int, count: int, start: float, end: float, zone: ZoneInfo
) -> array[float]:
    """``count`` sorted start times in ``[start, end)``, denser on weekdays and by day."""
    if count <= 0 or end <= start:
        return array("d")
    first_hour = int(start // 3600)
    hours = range(first_hour, int(end // 3600) + 1)
    cumulative: list[float] = []
    total = 0.0
    for hour in hours:
        local = dt.datetime.fromtimestamp(hour * 3600, zone)
        total += _WEEKDAY_WEIGHT[local.weekday()] * _HOUR_WEIGHT[local.hour]
        cumulative.append(total)
    # random.Random with an int seed is the same in every process (unlike hash()).
    draw = random.Random(mix(seed, account, 11)).random
    find, last, scale = bisect.bisect_left, len(hours) - 1, total / count
    times = sorted(
        (first_hour + min(find(cumulative, (i + draw()) * scale), last) + draw()) * 3600
        for i in range(count)
    )
    return array("d", (min(max(t, start), end - 0.001) for t in times))


def add_bursts(seed: int, account: int, times: array[float]) -> None:
    """Now and then (about one call in 1,500) the next 10-40 calls arrive in the same second."""
    n = len(times)
    rng = random.Random(mix(seed, account, 13))
    free = 0  # bursts never overlap, so the times stay sorted
    for i in sorted(rng.sample(range(n), n // 1500)):
        size = min(10 + rng.randrange(31), n - 1 - i)
        if i < free:
            continue
        base = times[i]
        room = (int(base) + 1 - base) / (size + 1)
        for k in range(1, size + 1):
            times[i + k] = base + room * k
        free = i + size + 1
