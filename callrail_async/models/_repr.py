"""``repr()`` of models and request bodies: the fields that are set, without personal data.

A record's repr ends up in logs, tracebacks, notebooks and error trackers that capture local
variables. It shows what is set and every value that cannot identify a person (numbers,
booleans, dates, ids, CallRail's vocabulary such as ``direction='inbound'``, unless that text
looks like an email address or a phone number); any other text
(names, phone numbers, emails, transcripts, messages, addresses, URLs, passwords) is shown as
``'…'``, and containers by their size. Read the value itself (``call.customer_name``) or
``msgspec.to_builtins(call)`` to see everything.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Iterator
from typing import Any

import msgspec

HIDDEN = "'…'"

VOCABULARY = frozenset(
    {
        "answer_status",
        "call_type",
        "color",
        "company_time_zone",
        "device",
        "device_type",
        "direction",
        "formatted_call_type",
        "formatted_duration",
        "lead_status",
        "match_type",
        "medium",
        "method",
        "role",
        "session_browser",
        "source",
        "source_type",
        "speaker",
        "status",
        "tag_level",
        "time_zone",
        "type",
        "value_type",
    }
)
"""Text fields that hold CallRail's vocabulary, never a person's data: shown."""


NOT_IDS = frozenset({"caller_id", "kissmetrics_id"})
"""Fields named like ids that hold a person's data: the phone number an outbound call shows,
the Kissmetrics identity (an email address or a name)."""

# An email address or a phone number (7 digits or more, with or without separators), which
# a shown field can still carry: ``source``/``medium`` come from the visitor's utm parameters.
_PERSONAL = re.compile(r"@|\+?\(?\d[\d ().-]{5,}\d")
# An id: letters, digits, '-' and '_' (masked ids, UUIDs, legacy numbers), not a phone
# number written with separators.
_ID = re.compile(r"[A-Za-z0-9_-]+")
_FORMATTED_NUMBER = re.compile(r"[\d.-]*\d[.-]\d[\d.-]*")


def _shown_text(name: str, value: str) -> bool:
    if name == "id" or (name.endswith("_id") and name not in NOT_IDS):
        return bool(_ID.fullmatch(value)) and not _FORMATTED_NUMBER.fullmatch(value)
    return name in VOCABULARY and not _PERSONAL.search(value)


def _shown(name: str, value: object) -> str:
    if isinstance(value, msgspec.Struct):
        return repr(value)  # masks its own fields
    if value is None or isinstance(value, (bool, int, float, dt.date, dt.time, enum.Enum)):
        return repr(value)
    if isinstance(value, str):
        return repr(value) if _shown_text(name, value) else HIDDEN
    if isinstance(value, (list, tuple, set, frozenset)):
        return f"[{len(value)} item{'' if len(value) == 1 else 's'}]"
    if isinstance(value, dict):
        return f"{{{len(value)} keys}}"
    return HIDDEN


@functools.cache
def _defaults(cls: type[msgspec.Struct]) -> dict[str, object]:
    found: dict[str, object] = {}
    for info in msgspec.structs.fields(cls):
        if info.default is not msgspec.NODEFAULT:
            found[info.name] = info.default
        elif info.default_factory is not msgspec.NODEFAULT:
            found[info.name] = info.default_factory()
    return found


def _set_fields(struct: msgspec.Struct) -> Iterator[tuple[str, object]]:
    defaults = _defaults(type(struct))
    for name in struct.__struct_fields__:
        value = getattr(struct, name)
        if value is msgspec.UNSET:
            continue
        if name in defaults and type(value) is type(defaults[name]) and value == defaults[name]:
            continue
        yield name, value


def private_repr(struct: msgspec.Struct) -> str:
    """``Type(field=value, ...)`` over the fields that are set, personal text hidden."""
    shown = ", ".join(f"{name}={_shown(name, value)}" for name, value in _set_fields(struct))
    return f"{type(struct).__name__}({shown})"


def private_rich_repr(struct: msgspec.Struct) -> list[tuple[str, Any]]:
    """The same for rich's pretty printer (msgspec's own would show every value)."""
    return [(name, _Shown(_shown(name, value))) for name, value in _set_fields(struct)]


class _Shown(str):
    """Text that rich prints as is (without quoting it again)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)
