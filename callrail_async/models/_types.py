"""The model base class and the field types CallRail's inconsistencies call for.

CallRail mixes timestamp formats (``2026-02-10T00:45:19.781-08:00``, ``...Z``, offsets
without a colon, Ruby's ``2026-02-10 03:43:50 -0500``, naive UTC in legacy webhooks) and
sends some numbers and booleans as strings. Fields are typed natively (``datetime``,
``int``, ``bool``) so that msgspec converts them in C while decoding (non-strict mode
turns ``"27"`` into 27 and ``"false"`` into False); what it refuses (Ruby timestamps,
naive ones, ``""`` for null, ...) is converted by the lenient path in ``_decode``.
"""

import datetime as dt
from typing import Annotated

import msgspec

from ._repr import private_repr, private_rich_repr

__all__ = ["FlexBool", "FlexInt", "Id", "Model", "Timestamp", "parse_timestamp"]


def parse_timestamp(value: str) -> dt.datetime | None:
    """Any timestamp format CallRail uses, as an aware datetime (naive ones are UTC).

    An empty string (as webhooks send for absent values) is ``None``.
    """
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z")
        except ValueError:
            # Not quoted: a broken payload can put anything here (a name, a number).
            raise ValueError(f"unrecognised timestamp ({len(value)} characters)") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


Timestamp = Annotated[dt.datetime, msgspec.Meta(tz=True)]
"""An aware datetime; any format CallRail sends decodes to one (naive ones are UTC)."""
FlexInt = int
"""An int that CallRail sometimes sends as a string (``"27"``, ``""`` for none)."""
FlexBool = bool
"""A bool that CallRail sometimes sends as a string or a number (``"true"``, ``1``)."""

Id = str | int
"""An id that CallRail sends as a string in some payloads and a number in others."""


class Model(msgspec.Struct, kw_only=True, gc=False, repr_omit_defaults=True):
    """Base of every CallRail model: keyword-only, unknown fields ignored. ``gc=False``:
    decoded records never form reference cycles, so the garbage collector need not track
    them (a large share of decode time). ``repr()`` shows only the fields that are set, so a
    call prints in a few lines, with personal text hidden (see :mod:`._repr`). Decode with
    :func:`callrail_async.models.decoder`, which accepts every format CallRail uses."""

    __repr__ = private_repr
    __rich_repr__ = private_rich_repr
