"""Decoding one 250-call page: our models vs a plain-struct floor, json.loads, orjson and
pydantic v2 (a ``TypeAdapter`` of an equivalent model: same fields, datetimes, ints, bools).

python -m benchmarks.decode [--rounds 7]

Rates are calls per second of CPU time (``time.process_time``), median of interleaved
rounds. The floor is one prebuilt ``msgspec.json.Decoder`` of a plain 16-field struct
(CallRail's default fields; timestamps left as text), no conversions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import msgspec

from callrail_async.models import Call
from callrail_async.pagination import envelope_decoder
from callrail_async.testing._data import generate

from ._common import save, table


def sample_page(calls: int = 250, *, all_fields: bool = False) -> bytes:
    """A realistic calls page (the sandbox's records, with both recording_duration types):
    CallRail's default fields, or every optional field too (``fields=`` all)."""
    data = generate(calls=calls, now=time.time(), span_days=5)
    store = data.accounts[0].calls
    render = store.attrs if all_fields else store.core
    records = [render(i) for i in range(calls)]
    return msgspec.json.encode(
        {"page": 1, "per_page": calls, "total_pages": 1, "total_records": calls, "calls": records}
    )


def _pydantic_decoder() -> Callable[[bytes], Any] | None:
    try:
        import pydantic
    except ImportError:
        return None
    fields: dict[str, Any] = {}
    hints = {
        "start_time": dt.datetime | None, "created_at": dt.datetime | None,
        "duration": int | None, "recording_duration": int | None, "answered": bool | None,
        "voicemail": bool | None, "first_call": bool | None, "prior_calls": int | None,
        "total_calls": int | None, "id": str | int,
    }  # fmt: skip
    for name in Call.__struct_fields__:
        fields[name] = (hints.get(name, Any), None if name != "id" else ...)
    model = pydantic.create_model("PydanticCall", **fields)  # type: ignore[call-overload]
    page = pydantic.create_model("PydanticPage", calls=(list[model], ...), page=(int, 1))  # type: ignore[call-overload,valid-type]
    adapter = pydantic.TypeAdapter(page)
    return lambda body: adapter.validate_json(body).calls


def _floor_decoder() -> Callable[[bytes], Any]:
    from .compare import _StructPage

    decoder = msgspec.json.Decoder(_StructPage)
    return lambda body: decoder.decode(body).calls


def contenders() -> dict[str, Callable[[bytes], Any] | None]:
    """Name -> decode function (None when its package is not installed)."""
    ours = envelope_decoder(Call, "calls")
    try:
        import orjson

        orjson_loads: Callable[[bytes], Any] | None = lambda body: orjson.loads(body)["calls"]  # noqa: E731
    except ImportError:
        orjson_loads = None
    return {
        "callrail_async models": lambda body: ours(body).items,
        "floor (plain 16-field struct)": _floor_decoder(),
        "json.loads dicts": lambda body: json.loads(body)["calls"],
        "orjson.loads dicts": orjson_loads,
        "pydantic v2 (TypeAdapter)": _pydantic_decoder(),
    }


def measure(rounds: int, repeat: int = 40, *, all_fields: bool = False) -> dict[str, float | None]:
    """Calls decoded per second, median of interleaved rounds."""
    body = sample_page(all_fields=all_fields)
    funcs = contenders()
    samples: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(rounds):
        for name, func in funcs.items():
            if func is None:
                continue
            assert len(func(body)) == 250
            started = time.process_time()
            for _ in range(repeat):
                func(body)
            samples[name].append(250 * repeat / (time.process_time() - started))
    return {name: statistics.median(s) if s else None for name, s in samples.items()}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    result: dict[str, Any] = {}
    for label, all_fields in (("default fields", False), ("all fields", True)):
        rates = measure(args.rounds, all_fields=all_fields)
        ours = rates["callrail_async models"] or 0.0
        rows = [
            [name, "not installed" if rate is None else rate,
             "" if rate is None else f"{ours / rate:.1f}x"]
            for name, rate in rates.items()
        ]  # fmt: skip
        print(f"decode one 250-call page, {label} (calls per CPU second, median of "
              f"{args.rounds} interleaved rounds)")  # fmt: skip
        print(table(["decoder", "calls/s", "ours is"], rows) + "\n")
        pydantic_rate = rates["pydantic v2 (TypeAdapter)"]
        vs_pydantic = None if not pydantic_rate else ours / pydantic_rate
        vs_floor = ours / (rates["floor (plain 16-field struct)"] or 1.0)
        result[label] = {"calls_per_s": rates, "vs_pydantic": vs_pydantic, "vs_floor": vs_floor}
    print(f"results: {save('decode', result)}")
    return result


if __name__ == "__main__":
    main()
