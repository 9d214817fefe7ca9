"""The models' decoding as it was before the fast path: the reference the fast and the
lenient paths are checked against, value for value.

Before, every lenient field was decoded as a string and converted in a generated
``__post_init__`` (``_parse_int`` and ``_parse_bool`` below are that code, kept verbatim
so the reference does not move with the SDK; ``parse_timestamp`` is still the SDK's own,
unchanged). ``shadow(model)`` rebuilds that arrangement for any of today's models:
a struct with the same fields where timestamps are strings and single-typed numbers and
booleans are ``FlexInt``/``FlexBool`` as they were, decoded strictly as before.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from collections.abc import Callable
from typing import Annotated, Any

import msgspec
from msgspec import inspect as mi

from callrail_async.models import parse_timestamp


def _parse_int(value: Any) -> int | None:
    if not isinstance(value, str):
        return typing.cast(int, value)
    text = value.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        return int(float(text))


_TRUE = {"true", "1", "yes", "t"}
_FALSE = {"false", "0", "no", "f", ""}


def _parse_bool(value: Any) -> bool | None:
    if not isinstance(value, str):
        return bool(value) if isinstance(value, int) else typing.cast(bool, value)
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False if text else None
    raise ValueError(f"not a boolean: {value[:20]!r}")


class _Lenient:
    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert = convert


Timestamp = Annotated[str, _Lenient(parse_timestamp)]
FlexInt = Annotated[int | str, _Lenient(_parse_int)]
FlexBool = Annotated[bool | int | str, _Lenient(_parse_bool)]


class OldModel(msgspec.Struct, kw_only=True, gc=False):
    def __post_init__(self) -> None:
        for name, hint in typing.get_type_hints(type(self), include_extras=True).items():
            for arg in (hint, *typing.get_args(hint)):
                if typing.get_origin(arg) is Annotated:
                    for meta in arg.__metadata__:
                        value = getattr(self, name)
                        if isinstance(meta, _Lenient) and isinstance(value, str | int):
                            setattr(self, name, meta.convert(value))


@functools.cache
def shadow(model: Any) -> Any:
    """The before-the-fast-path twin of ``model`` (a struct class) or of a type."""
    return _annotation(mi.type_info(model))


def _annotation(kind: mi.Type, single: bool = True) -> Any:
    if isinstance(kind, mi.StructType):
        return _struct(kind.cls)
    if isinstance(kind, mi.UnionType):
        members = [t for t in kind.types if not isinstance(t, mi.NoneType)]
        args = [_annotation(t, len(members) == 1) for t in members]
        if len(members) < len(kind.types):
            args.append(None)
        return functools.reduce(lambda a, b: a | b, args)
    if isinstance(kind, mi.ListType):
        return list[_annotation(kind.item_type)]  # type: ignore[misc]
    if isinstance(kind, mi.DictType):
        return dict[_annotation(kind.key_type), _annotation(kind.value_type)]  # type: ignore[misc]
    if isinstance(kind, mi.DateTimeType):
        return Timestamp
    if isinstance(kind, mi.IntType):
        return FlexInt if single else int
    if isinstance(kind, mi.BoolType):
        return FlexBool if single else bool
    return {mi.StrType: str, mi.FloatType: float, mi.NoneType: None}.get(type(kind), Any)


@functools.cache
def _struct(cls: type) -> Any:
    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType)
    fields = []
    for field in info.fields:
        annotation = _annotation(field.type)
        if field.required:
            fields.append((field.name, annotation))
        else:
            default = field.default if field.default is not mi.NODEFAULT else None
            fields.append((field.name, annotation, default))
    return msgspec.defstruct(
        f"Old{cls.__name__}",
        fields,
        bases=(OldModel,),
        rename={f.name: f.encode_name for f in info.fields if f.name != f.encode_name} or None,
        kw_only=True,
    )


def decode(body: bytes, model: Any) -> Any:
    """``body`` decoded as the models did before the fast path."""
    return msgspec.json.decode(body, type=shadow(model))


def differences(new: Any, old: Any, path: str = "$") -> list[str]:
    """Where a value decoded today differs from the reference (empty when none)."""
    if isinstance(old, OldModel):
        found = []
        for name in old.__struct_fields__:
            found += differences(getattr(new, name), getattr(old, name), f"{path}.{name}")
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [d for n, (a, b) in enumerate(zip(new, old, strict=True))
                for d in differences(a, b, f"{path}[{n}]")]  # fmt: skip
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        return [d for k in old for d in differences(new[k], old[k], f"{path}.{k}")]
    same = type(new) is type(old) and new == old
    if isinstance(old, dt.datetime) and same:
        same = new.utcoffset() == old.utcoffset()
    return [] if same else [f"{path}: {new!r} != {old!r}"]
