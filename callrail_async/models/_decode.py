"""Decoding models: all conversions in C, a lenient path only for what C refuses.

The fast path is one prebuilt non-strict ``msgspec.json.Decoder`` per type: numbers and
booleans sent as strings convert in C, timestamps decode as native (aware) datetimes.
When it refuses a body (a Ruby timestamp ``2026-02-10 03:43:50 -0500``, a naive one,
``""`` for null, ``"yes"`` for a boolean, a number where text is expected), the lenient
path decodes the body to plain values, repairs each value against the model's type tree
and converts the result: the same model instances, only slower. For a list page only the
records the fast path refuses take the lenient path; :data:`STATS` counts how often.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec
from msgspec import inspect as mi

from ._types import parse_timestamp

__all__ = ["STATS", "DecodeStats", "decoder", "lenient_decode", "repair"]

T = TypeVar("T")


@dataclass
class DecodeStats:
    """How often the lenient path ran (process-wide counters, reset with :meth:`reset`)."""

    fast: int = 0
    """Bodies (objects or whole list pages) the fast path decoded."""
    lenient_pages: int = 0
    """List pages the fast path refused as a whole (some record needed the lenient path)."""
    lenient: int = 0
    """Objects or records decoded by the lenient path."""

    def reset(self) -> None:
        """Zero every counter."""
        self.fast = self.lenient_pages = self.lenient = 0


STATS = DecodeStats()


@functools.cache
def _decoder(model: Any) -> Callable[[bytes], Any]:
    fast = msgspec.json.Decoder(model, strict=False).decode
    stats = STATS

    def decode(body: bytes) -> Any:
        try:
            result = fast(body)
        except msgspec.ValidationError:
            stats.lenient += 1
            return lenient_decode(body, model)
        stats.fast += 1
        return result

    return decode


def decoder(model: type[T]) -> Callable[[bytes], T]:
    """A decoder from JSON bytes to ``model`` (built once per type) that accepts every
    format CallRail sends; raises ``msgspec.ValidationError`` only for values no
    conversion can fit (text where a number is expected, a list for an object, ...)."""
    key: Any = model
    return typing.cast(Callable[[bytes], T], _decoder(key))


def lenient_decode(body: bytes | str, model: Any) -> Any:
    """Decode ``body`` as ``model``, converting every value CallRail sends in another
    format than the model's type (the slow path, also the reference for the fast one)."""
    plain = msgspec.json.decode(body)
    return msgspec.convert(repair(plain, model), model, strict=False)


def repair(plain: Any, model: Any) -> Any:
    """Plain JSON values (as ``msgspec.json.decode`` gives them) with each value converted
    to what ``model`` expects where it can be (in place where possible); what cannot be
    converted is left for ``msgspec.convert`` to report with its path."""
    return _repair(plain, _type_info(model))


@functools.cache
def _type_info(model: Any) -> mi.Type:
    return mi.type_info(model)


def _repair(value: Any, kind: mi.Type) -> Any:
    """``value`` (plain JSON) with each leaf converted to what ``kind`` expects where it
    can be; whatever cannot be converted is left for msgspec to report with its path."""
    if value is None:
        return None
    repair = _REPAIRS.get(type(kind))
    return value if repair is None else repair(value, kind)


def _struct(value: Any, kind: Any) -> Any:
    if isinstance(value, dict):
        for field in kind.fields:
            name = field.encode_name
            if name in value:
                value[name] = _repair(value[name], field.type)
    return value


def _list(value: Any, kind: Any) -> Any:
    if isinstance(value, list):
        return [_repair(item, kind.item_type) for item in value]
    return value


def _dict(value: Any, kind: Any) -> Any:
    if isinstance(value, dict):
        return {key: _repair(item, kind.value_type) for key, item in value.items()}
    return value


def _union(value: Any, kind: Any) -> Any:
    members = [t for t in kind.types if not isinstance(t, mi.NoneType)]
    if any(type(t) in _SCALARS and _fits(value, t) for t in members):
        return value  # already one of the union's types (an id sent as a number)
    if isinstance(value, str) and not value.strip() and len(members) < len(kind.types):
        return None  # "" (or blanks) for an absent number, boolean or timestamp
    for member in members:
        repaired = _repair(value, member)
        if _fits(repaired, member):
            return repaired
    return value


def _fits(value: Any, kind: mi.Type) -> bool:
    expected = _SCALARS.get(type(kind))
    if expected is None:
        return True
    if isinstance(value, bool) and expected is not bool:
        return False
    return isinstance(value, expected)


_SCALARS: dict[type, Any] = {
    mi.StrType: str,
    mi.IntType: int,
    mi.FloatType: (int, float),
    mi.BoolType: bool,
    mi.DateTimeType: dt.datetime,
}


def _timestamp(value: Any, kind: Any) -> Any:
    if isinstance(value, str):
        try:
            return parse_timestamp(value.strip())
        except ValueError:
            return value  # msgspec reports it with its path, not its text (it may be anything)
    return value


def _int(value: Any, kind: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            number = _float(text, kind)
            # as the models always read a number sent as text: "1.5" is 1 (truncated)
            return int(number) if isinstance(number, float) and math.isfinite(number) else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _float(value: Any, kind: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            return value
    return value


_TRUE = {"true", "1", "yes", "t", "y"}
_FALSE = {"false", "0", "no", "f", "n"}


def _bool(value: Any, kind: Any) -> Any:
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return bool(value)
    return value


def _str(value: Any, kind: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


_REPAIRS: dict[type, Callable[[Any, Any], Any]] = {
    mi.StructType: _struct,
    mi.ListType: _list,
    mi.DictType: _dict,
    mi.UnionType: _union,
    mi.DateTimeType: _timestamp,
    mi.IntType: _int,
    mi.FloatType: _float,
    mi.BoolType: _bool,
    mi.StrType: _str,
}
