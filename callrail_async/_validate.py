"""Checks on caller input, run before any request is sent.

Each raises ``ValueError`` naming the argument and what is allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from .enums import DATE_RANGES

# After the prefix: letters, digits, '-' and '_' only, so an id can never change the URL.
# CallRail's own documented ids are not all 32 hex characters: check the prefix, not the length.
_ID_BODY = re.compile(r"[A-Za-z0-9_-]+")
_NUMERIC = re.compile(r"[0-9]+")
MAX_PER_PAGE = 250


def resource_id(name: str, value: object, prefix: str, *, numeric_ok: bool = False) -> str:
    """A masked CallRail id such as ``CAL…`` (or a legacy numeric one when ``numeric_ok``)."""
    if isinstance(value, int) and not isinstance(value, bool) and numeric_ok and value > 0:
        return str(value)
    allowed = f"a {prefix}… id" + (" or a numeric id" if numeric_ok else "")
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be {allowed}, got {value!r}")
    if numeric_ok and _NUMERIC.fullmatch(value):
        return value
    if not value.startswith(prefix) or not _ID_BODY.fullmatch(value[len(prefix) :]):
        raise ValueError(f"{name} must be {allowed} (letters and digits only), got {value!r}")
    return value


def integer_id(name: str, value: object) -> str:
    """A numeric id (tags, integrations, notifications...), as int or digit string."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return str(value)
    if isinstance(value, str) and _NUMERIC.fullmatch(value):
        return value
    raise ValueError(f"{name} must be a positive integer id, got {value!r}")


def short_id(name: str, value: object) -> str:
    """A short alphanumeric id (text conversations, SMS threads) or a UUID."""
    if isinstance(value, str) and _ID_BODY.fullmatch(value):
        return value
    raise ValueError(f"{name} must be an id of letters, digits, '-' or '_', got {value!r}")


def choice(name: str, value: str | None, allowed: Collection[str]) -> str | None:
    """An enum value, checked against CallRail's allowed values."""
    if value is None:
        return None
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(sorted(allowed))}; got {value!r}")
    return value


def choices(name: str, values: Iterable[str] | None, allowed: Collection[str]) -> list[str] | None:
    """A list of enum values (for example ``fields``), each checked."""
    if values is None:
        return None
    if isinstance(values, str):
        values = [part.strip() for part in values.split(",") if part.strip()]
    result = list(values)
    unknown = [value for value in result if value not in allowed]
    if unknown:
        raise ValueError(
            f"{name} has unknown value(s) {', '.join(map(repr, unknown))}; "
            f"allowed: {', '.join(sorted(allowed))}"
        )
    return result


def per_page(value: int | None) -> int | None:
    """``per_page`` within CallRail's 1..250."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PER_PAGE:
        raise ValueError(f"per_page must be an integer from 1 to {MAX_PER_PAGE}, got {value!r}")
    return value


def positive(name: str, value: int | None) -> int | None:
    """A positive integer option (concurrency, max_items)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return value


def text(name: str, value: str | None, *, required: bool = False) -> str | None:
    """A free-text value; empty strings are refused where the value is required."""
    if value is None:
        if required:
            raise ValueError(f"{name} is required")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a string, got {type(value).__name__}")
    if required and not value.strip():
        raise ValueError(f"{name} must not be empty")
    return value


DateLike = dt.date | dt.datetime | str


def date_param(name: str, value: DateLike | None) -> str | None:
    """A ``start_date``/``end_date``: a date, an aware datetime, or an ISO-8601 string.

    Naive datetimes are refused: CallRail would read them in the account's time zone,
    which is rarely what the caller meant. Pass ``time_zone=`` or an aware datetime.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"{name} is a naive datetime ({value.isoformat()}); pass an aware datetime "
                "(with tzinfo), a date, or an ISO-8601 string"
            )
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        parsed = _parse_date_text(value)
        if parsed is None:
            raise ValueError(
                f"{name} must be an ISO-8601 date or datetime such as 2026-01-31 or "
                f"2026-01-31T14:00, got {value!r}"
            )
        return value
    raise ValueError(f"{name} must be a date, datetime or ISO-8601 string, got {value!r}")


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
    start: DateLike | None, end: DateLike | None, date_range: str | None
) -> tuple[str | None, str | None]:
    """Validate ``start_date``/``end_date`` together (and against ``date_range``)."""
    start_text = date_param("start_date", start)
    end_text = date_param("end_date", end)
    if date_range is not None and (start is not None or end is not None):
        raise ValueError("pass either date_range or start_date/end_date, not both")
    if start is not None and end is not None:
        first, last = _comparable(start, end=False), _comparable(end, end=True)
        if (first.tzinfo is None) != (last.tzinfo is None):
            first, last = first.replace(tzinfo=None), last.replace(tzinfo=None)
        if last < first:
            raise ValueError(f"end_date ({end_text}) is before start_date ({start_text})")
    return start_text, end_text


def field_list(values: Iterable[str] | None, allowed: Collection[str]) -> str | None:
    """``fields=``: each name checked against the endpoint's optional fields, comma-joined."""
    checked = choices("fields", values, allowed)
    return ",".join(checked) if checked else None


def sort_order(sort: str | None, order: str | None, allowed_sorts: Collection[str]) -> None:
    """``sort`` from the endpoint's whitelist; ``order`` (asc/desc) only together with it."""
    choice("sort", sort, allowed_sorts)
    choice("order", order, {"asc", "desc"})
    if order is not None and sort is None:
        raise ValueError("order is only valid together with sort")


def optional_resource_id(name: str, value: object, prefix: str) -> str | None:
    """Like :func:`resource_id`, but ``None`` means "not given"."""
    return None if value is None else resource_id(name, value, prefix)


def date_params(
    date_range: str | None, start_date: DateLike | None, end_date: DateLike | None,
    time_zone: str | None,
) -> dict[str, Any]:  # fmt: skip
    """The shared date filters (§4 of the API facts), validated."""
    start, end = date_span(start_date, end_date, date_range)
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
    for tag in tags:
        text("tags", tag, required=True)
    return list(tags)
