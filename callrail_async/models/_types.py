"""The model base class and the lenient field types CallRail's inconsistencies call for.

CallRail mixes timestamp formats (``2026-02-10T00:45:19.781-08:00``, ``...Z``, offsets
without a colon, Ruby's ``2026-02-10 03:43:50 -0500``, naive UTC in legacy webhooks) and
sends some numbers and booleans as strings. msgspec's native ``datetime`` accepts only
RFC 3339, so lenient fields are decoded as strings and converted once in ``__post_init__``
(msgspec turns a ``ValueError`` there into a ``ValidationError``). To type checkers the
fields are plain ``datetime``/``int``/``bool``.
"""

import datetime as dt
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import msgspec

__all__ = ["FlexBool", "FlexInt", "Id", "Model", "Timestamp", "parse_timestamp"]


class _Lenient:
    """Marks a field whose wire value is converted after decoding."""

    def __init__(self, name: str, convert: Callable[[Any], Any]) -> None:
        self.name = name
        self.convert = convert

    def __repr__(self) -> str:
        return f"<lenient {self.name}>"


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
            raise ValueError(f"unrecognised timestamp {value[:40]!r}") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=dt.UTC)


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


_TIMESTAMP = _Lenient("timestamp", parse_timestamp)
_INT = _Lenient("int", _parse_int)
_BOOL = _Lenient("bool", _parse_bool)

if TYPE_CHECKING:
    Timestamp = dt.datetime
    FlexInt = int
    FlexBool = bool
else:
    Timestamp = Annotated[str, _TIMESTAMP]
    FlexInt = Annotated[int | str, _INT]
    FlexBool = Annotated[bool | int | str, _BOOL]

Id = str | int
"""An id that CallRail sends as a string in some payloads and a number in others."""


def _lenient_marker(hint: Any) -> _Lenient | None:
    for arg in (hint, *typing.get_args(hint)):
        if typing.get_origin(arg) is Annotated:
            for meta in arg.__metadata__:
                if isinstance(meta, _Lenient):
                    return meta
    return None


class Model(msgspec.Struct, kw_only=True, gc=False):
    """Base of every CallRail model: keyword-only, unknown fields ignored, lenient fields
    converted once after decoding. ``gc=False``: decoded records never form reference
    cycles, so the garbage collector need not track them (a large share of decode time)."""

    __lenient_fields__: ClassVar[tuple[tuple[str, Callable[[Any], Any]], ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        hints = typing.get_type_hints(cls, include_extras=True)
        fields = []
        for name, hint in hints.items():
            marker = _lenient_marker(hint)
            if marker is not None:
                fields.append((name, marker.convert))
        cls.__lenient_fields__ = tuple(fields)
        if fields:
            cls.__post_init__ = _compile_post_init(fields)  # type: ignore[method-assign,assignment]

    def __post_init__(self) -> None:
        """Nothing to convert (subclasses with lenient fields get a generated one)."""


def _compile_post_init(fields: list[tuple[str, Callable[[Any], Any]]]) -> Callable[[Any], None]:
    # Decoding a page runs this once per record: generated straight-line code with one
    # type check per field (only strings, and ints for booleans, need converting) is
    # several times faster than a loop over getattr/setattr.
    lines = ["def __post_init__(self):"]
    namespace: dict[str, Any] = {"_str": str, "_int": int}
    for n, (name, convert) in enumerate(fields):
        namespace[f"_c{n}"] = convert
        test = "c is _str or c is _int" if convert is _parse_bool else "c is _str"
        lines.append(f"    v = self.{name}")
        lines.append("    c = v.__class__")
        lines.append(f"    if {test}: self.{name} = _c{n}(v)")
    exec("\n".join(lines), namespace)  # built from our own field names, never from input
    return typing.cast(Callable[[Any], None], namespace["__post_init__"])
