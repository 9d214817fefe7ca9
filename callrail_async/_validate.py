"""Checks on caller input, run before any request is sent.

The policy: refuse only what would change the URL (an id with a separator, whitespace or a
control character), could not be what CallRail expects (a ``fields`` name that is not an
identifier, an unparseable date, an end before its start, ``per_page`` outside 1..250), or
is a closed set CallRail lists exhaustively (``date_range``, ``order``, ...). Everything else
(new field names, sort keys, ``group_by`` values, blank strings that clear a field) goes
through: CallRail is the judge. Each check raises ``InvalidArgumentError`` (a
``CallRailError`` and a ``ValueError``) naming the argument.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Collection, Iterable, Sequence
from typing import Any, TypeVar

from msgspec import UnsetType

from .enums import DATE_RANGES
from .errors import InvalidArgumentError

Absent = TypeVar("Absent", UnsetType, None)

# A refused value is echoed only when it cannot be a person's data: a short plain word or
# number (a misspelt "Inbound", a per_page of 500). Anything else (a phone number or an email
# passed as an id, a search term) is described by its type, length and first bad character.
_ECHOED = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,39}|-?\d{1,6}(\.\d{1,3})?")

# What may stand in a URL path segment or a query value unescaped: letters, digits, '-', '_'.
# Anything else ('/', '.', '?', '#', '%', whitespace, control characters) could change the URL.
_ID_TEXT = re.compile(r"[A-Za-z0-9_-]+")
# A field name CallRail could select: a plain identifier (``fields=`` is open: CallRail adds
# fields after a release, and live clients request names the reference never lists).
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_PER_PAGE = 250
# The prefixes of CallRail's masked ids. An id carrying another kind's prefix (a COM… id
# passed as a call id) cannot be right, so it is refused; any other id text is CallRail's call.
MASKED_PREFIXES = frozenset(
    {"ACC", "CAL", "COM", "CSS", "FOR", "MFL", "MFS", "PER", "SCI", "TRK", "USR"}
)

IdLike = str | int
"""An id as CallRail sends it: masked (``CAL…``, ``COM…``), short (``KZaGR``), a UUID, or the
legacy numeric form (an ``int`` or a string of digits). Every id a model decodes fits."""


def shown(value: object, allowed: re.Pattern[str] | None = None) -> str:
    """How an error message shows a refused ``value``: as itself when it is a short word,
    a small number or a bool; else by its type and length, and the first character that
    ``allowed`` (a pattern of one character) refuses, never the text (it may be a phone
    number, an email or a search term)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int) and value.bit_length() > 64:
        return "a number of more than 19 digits"  # str() refuses past 4300 digits
    if isinstance(value, int | float | str) and _ECHOED.fullmatch(str(value)):
        return repr(value)
    if isinstance(value, int):
        return f"a number of {len(str(abs(value)))} digits"
    if not isinstance(value, str):
        return f"a value of type {type(value).__name__}"
    described = f"a string of {len(value)} characters"
    for position, char in enumerate(value):
        if allowed is not None and not allowed.fullmatch(char):
            bad = repr(char) if char.isprintable() and not char.isalnum() else "a character"
            return f"{described} with {bad} at position {position}"
    return described


def listed(name: str, values: Iterable[Any]) -> list[Any]:
    """``values`` as a list, or InvalidArgumentError when it is not a collection (a number,
    a date, a mapping: iterating a dict would send its keys)."""
    if isinstance(values, dict | bytes) or not isinstance(values, Iterable):
        raise InvalidArgumentError(f"{name} must be a list, got {type(values).__name__}")
    return list(values)


def resource_id(name: str, value: object, prefix: str = "", *, numeric_ok: bool = True) -> str:
    """Any id CallRail issues, for a URL path, a filter or a body, as text.

    Masked ids (``prefix…``), legacy numeric ids (``int`` or digits), short ids and UUIDs
    all pass. Refused: text that could change the URL, and a masked id of another kind
    (``prefix`` names the expected kind). ``numeric_ok`` is kept for older callers
    (numeric ids are always accepted).
    """
    del numeric_ok
    # The value itself, never its str()/format(): a str-mixin Enum member formats as
    # "Kind.NAME", which would put another id into the URL.
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 64:
        return int.__repr__(value)
    if isinstance(value, str) and _ID_TEXT.fullmatch(value):
        if prefix and value[:3] != prefix and value[:3] in MASKED_PREFIXES:
            raise InvalidArgumentError(f"{name} must be a {prefix}… id, got a {value[:3]}… id")
        return str.__str__(value)
    usual = f"a {prefix}… id or a numeric id" if prefix else "an id"
    raise InvalidArgumentError(
        f"{name} must be {usual} (letters, digits, '-' and '_' only: anything else would "
        f"change the URL), got {shown(value, _ID_TEXT)}"
    )


def body_id(name: str, value: IdLike, prefix: str = "") -> IdLike:
    """An id for a JSON body, checked like :func:`resource_id` but sent in the form given
    (CallRail's own examples send numeric ids as numbers: ``"company_id": 213472384``)."""
    checked = resource_id(name, value, prefix)
    return value if isinstance(value, int) else checked


def numeric_id(name: str, value: IdLike) -> int:
    """An id CallRail only issues as a number (integrations), sent as a JSON number."""
    checked = resource_id(name, value)
    if not checked.isdigit():
        raise InvalidArgumentError(f"{name} must be a numeric id, got {shown(value)}")
    return int(checked)


def maybe_body_id(name: str, value: IdLike | Absent, prefix: str = "") -> IdLike | Absent:
    """Like :func:`body_id`, passing ``UNSET`` (not sent) and ``None`` (cleared) through."""
    if value is None or isinstance(value, UnsetType):
        return value
    return body_id(name, value, prefix)


def body_ids(name: str, values: Iterable[IdLike], prefix: str = "") -> list[IdLike]:
    """Several ids for a JSON body, each checked like :func:`body_id`."""
    if isinstance(values, str | int):
        values = [values]
    return [body_id(name, value, prefix) for value in listed(name, values)]


def choice(name: str, value: str | None, allowed: Collection[str]) -> str | None:
    """An enum value, checked against CallRail's allowed values."""
    if value is None:
        return None
    if not isinstance(value, str) or value not in allowed:  # a list would not even hash
        raise InvalidArgumentError(
            f"{name} must be one of {', '.join(sorted(allowed))}; got {shown(value)}"
        )
    return value


def choices(name: str, values: Iterable[str] | None, allowed: Collection[str]) -> list[str] | None:
    """A list of enum values (for example ``fields``), each checked."""
    if values is None:
        return None
    if isinstance(values, str):
        values = [part.strip() for part in values.split(",") if part.strip()]
    result = listed(name, values)
    unknown = [value for value in result if not isinstance(value, str) or value not in allowed]
    if unknown:
        raise InvalidArgumentError(
            f"{name} has unknown value(s) {', '.join(map(shown, unknown))}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )
    return result


def per_page(value: int | None) -> int | None:
    """``per_page`` within CallRail's 1..250."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PER_PAGE:
        raise InvalidArgumentError(
            f"per_page must be an integer from 1 to {MAX_PER_PAGE}, got {shown(value)}"
        )
    return value


def positive(name: str, value: int | None) -> int | None:
    """A positive integer option (concurrency, max_items)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value < 2**63:
        raise InvalidArgumentError(f"{name} must be a positive integer, got {shown(value)}")
    return value


def text(name: str, value: str | None, *, required: bool = False) -> str | None:
    """A free-text value; empty strings are refused where the value is required."""
    if value is None:
        if required:
            raise InvalidArgumentError(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise InvalidArgumentError(f"{name} must be a string, got {type(value).__name__}")
    if required and not value.strip():
        raise InvalidArgumentError(f"{name} must not be empty")
    return value


DateLike = dt.date | dt.datetime | str


def date_param(name: str, value: DateLike | None, *, time_zone: str | None = None) -> str | None:
    """A ``start_date``/``end_date``: a date, a datetime, or an ISO-8601 string.

    A naive datetime is refused unless ``time_zone`` is given: CallRail reads it in that
    zone (without one, in the key owner's zone, which is rarely what the caller meant).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if time_zone is None and (value.tzinfo is None or value.utcoffset() is None):
            raise InvalidArgumentError(
                f"{name} is a naive datetime ({value.isoformat()}); pass time_zone=, an aware "
                "datetime (with tzinfo), a date, or an ISO-8601 string"
            )
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        parsed = _parse_date_text(value)
        if parsed is None:
            raise InvalidArgumentError(
                f"{name} must be an ISO-8601 date or datetime such as 2026-01-31 or "
                f"2026-01-31T14:00, got {shown(value)}"
            )
        return value
    raise InvalidArgumentError(
        f"{name} must be a date, datetime or ISO-8601 string, got {shown(value)}"
    )


def _parse_date_text(value: str) -> dt.datetime | None:
    try:
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


def _comparable(value: DateLike, *, end: bool) -> dt.datetime:
    # CallRail reads a date-only end_date as the end of that day (inclusive).
    day_end = dt.time(23, 59, 59, 999_999) if end else dt.time()
    if isinstance(value, str):
        if len(value) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(value), day_end)
        parsed = _parse_date_text(value)
        assert parsed is not None
        return parsed
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, day_end)
    return value


def date_span(
    start: DateLike | None,
    end: DateLike | None,
    date_range: str | None,
    time_zone: str | None = None,
) -> tuple[str | None, str | None]:
    """Validate ``start_date``/``end_date`` together (and against ``date_range``)."""
    start_text = date_param("start_date", start, time_zone=time_zone)
    end_text = date_param("end_date", end, time_zone=time_zone)
    if date_range is not None and (start is not None or end is not None):
        raise InvalidArgumentError("pass either date_range or start_date/end_date, not both")
    if start is not None and end is not None:
        first, last = _comparable(start, end=False), _comparable(end, end=True)
        if (first.tzinfo is None) != (last.tzinfo is None):
            # One side is wall time in time_zone (or the key owner's zone): compare in that
            # zone when it is known, else not at all (CallRail is the judge).
            zone = _zone(time_zone)
            if zone is None:
                return start_text, end_text
            first, last = (t if t.tzinfo else t.replace(tzinfo=zone) for t in (first, last))
        if last < first:
            raise InvalidArgumentError(f"end_date ({end_text}) is before start_date ({start_text})")
    return start_text, end_text


def _zone(time_zone: str | None) -> dt.tzinfo | None:
    """The IANA zone ``time_zone`` names, or ``None`` (absent, ``user``, or unknown here)."""
    if not time_zone:
        return None
    try:
        return zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def field_list(values: Iterable[str] | None) -> str | None:
    """``fields=``: any plain identifiers, comma-joined (a comma-separated string is split).

    The set is open: CallRail adds fields after a release, so only names that are not
    identifiers (and so could not be a field) are refused.
    """
    if values is None:
        return None
    if isinstance(values, str):
        values = [part.strip() for part in values.split(",") if part.strip()]
    names = listed("fields", values)
    bad = [name for name in names if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name)]
    if bad:
        raise InvalidArgumentError(
            "fields must be field names (letters, digits and '_'), got "
            + ", ".join(shown(b) for b in bad)
        )
    return ",".join(names) if names else None


def field_name(name: str, value: str | None) -> str | None:
    """One open name (``sort``, ``group_by``): any plain identifier, or ``None``."""
    if value is not None and (not isinstance(value, str) or not _FIELD_NAME.fullmatch(value)):
        raise InvalidArgumentError(
            f"{name} must be a name (letters, digits and '_'), got {shown(value)}"
        )
    return value


def sort_order(sort: str | None, order: str | None) -> None:
    """``sort`` a field name (CallRail's list is open like ``fields``); ``order`` asc/desc,
    only together with ``sort``."""
    field_name("sort", sort)
    choice("order", order, {"asc", "desc"})
    if order is not None and sort is None:
        raise InvalidArgumentError("order is only valid together with sort")


def optional_resource_id(name: str, value: object, prefix: str = "") -> str | None:
    """Like :func:`resource_id`, but ``None`` means "not given"."""
    return None if value is None else resource_id(name, value, prefix)


def id_list(name: str, values: Iterable[IdLike] | None, prefix: str = "") -> list[str] | None:
    """Several ids for a filter (``tracker_ids[]``), each checked like :func:`resource_id`."""
    if values is None:
        return None
    if isinstance(values, str | int):
        values = [values]
    return [resource_id(name, value, prefix) for value in listed(name, values)]


def date_params(
    date_range: str | None,
    start_date: DateLike | None,
    end_date: DateLike | None,
    time_zone: str | None,
) -> dict[str, Any]:
    """The shared date filters (§4 of the API facts), validated."""
    start, end = date_span(start_date, end_date, date_range, time_zone)
    return {
        "date_range": choice("date_range", date_range, DATE_RANGES),
        "start_date": start,
        "end_date": end,
        "time_zone": text("time_zone", time_zone),
    }


def tag_names(tags: Sequence[str] | None) -> list[str] | None:
    """Tag names, each non-empty (a single string is one tag)."""
    if tags is None:
        return None
    if isinstance(tags, str):
        tags = [tags]
    tags = listed("tags", tags)
    for tag in tags:
        text("tags", tag, required=True)
    return list(tags)


def flag(name: str, value: bool | None) -> bool | None:
    """A ``True``/``False`` filter, or ``None`` (not sent)."""
    if value is not None and not isinstance(value, bool):
        raise InvalidArgumentError(
            f"{name} must be True, False or None, got a value of type {type(value).__name__}"
        )
    return value
