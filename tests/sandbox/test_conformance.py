"""The sandbox answers every documented example request of CallRail's API reference with
the documented keys and value types (plain HTTP, no SDK). The table: conformance_table.py."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from callrail_async.testing import Sandbox

from .conformance_table import ROWS, Row
from .conftest import Raw

HERE = Path(__file__).parent
DOCUMENTED = json.loads((HERE / "documented_examples.json").read_text())
# Objects whose keys are data (form fields, config switches, step ids...), not a schema.
FREE_FORM = frozenset({"form_data", "config", "steps", "landing_page_url_params",
                       "referrer_url_params", "url_utm_params", "custom", "filters",
                       "source", "form_fields"})  # fmt: skip


def example(name: str) -> Any:
    kind, _, key = name.partition("/")
    if kind == "fixtures":
        return json.loads((HERE.parent / "fixtures" / f"{key}.json").read_text())
    return DOCUMENTED[key]


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "string", list: "array", dict: "object"}.get(type(value), "null")


def mismatches(doc: Any, got: Any, where: str, differences: dict[str, str]) -> list[str]:
    """Where ``got`` lacks a documented key or has another type (null fits any type)."""
    if doc is None or got is None:
        return []
    if kind_of(doc) != kind_of(got):
        return [f"{where}: documented {kind_of(doc)}, got {kind_of(got)} ({got!r:.60})"]
    problems: list[str] = []
    if isinstance(doc, dict):
        for key, value in doc.items():
            if key in differences:
                continue
            if key not in got:
                problems.append(f"{where}.{key}: documented, missing")
            elif key not in FREE_FORM:
                problems += mismatches(value, got[key], f"{where}.{key}", differences)
    elif isinstance(doc, list) and doc and got:
        problems += mismatches(doc[0], got[0], f"{where}[0]", differences)
    return problems


def placeholders(sandbox: Sandbox) -> dict[str, Any]:
    account = sandbox.account()
    collections = account.collections
    store = account.calls
    calls = sandbox.call_ids()
    recorded = next(c for c in reversed(calls) if store.core(store.index_of(c) or 0)["recording"])
    company = next(iter(collections["companies"]))
    trackers = list(collections["trackers"].values())
    flow = next(iter(collections["message-flows"].values()))
    today = dt.datetime.fromtimestamp(sandbox.clock.time(), dt.UTC).date()
    values: dict[str, Any] = {
        "account": account.id, "call": calls[-1], "recorded_call": recorded,
        "company": company, "tracker": trackers[0]["id"],
        "session_tracker": next(t["id"] for t in trackers if t["type"] == "session"),
        "source_tracker": next(t["id"] for t in trackers if t["type"] == "source"),
        "tracking_number": trackers[0]["tracking_numbers"][0],
        "user": next(iter(collections["users"])), "tag": next(iter(collections["tags"])),
        "integration": next(str(i["id"]) for i in collections["integrations"].values()
                            if i["company_id"] == company),
        "trigger": next(iter(collections["integration_triggers"])),
        "notification": next(iter(collections["notifications"])),
        "caller_id": next(iter(collections["caller_ids"])),
        "thread": next(iter(collections["sms-threads"])),
        "conversation": next(iter(collections["text-messages"])),
        "email": next(iter(collections["summary_emails"])), "flow": flow["id"],
        "flow_step": flow["initial_step_id"], "lead": next(iter(collections["leads"])),
        "form": next(iter(collections["form_submissions"])),
    }  # fmt: skip
    values.update({f"days_ago:{n}": (today - dt.timedelta(days=n)).isoformat()
                   for n in range(0, 40)})  # fmt: skip
    return values


def fill(value: Any, values: dict[str, Any]) -> Any:
    if isinstance(value, str):
        whole = re.fullmatch(r"\{([a-z_]+):int\}", value)
        if whole:
            return int(values[whole.group(1)])
        return re.sub(r"\{([a-z_]+(?::\d+)?)\}", lambda m: str(values[m.group(1)]), value)
    if isinstance(value, dict):
        return {fill(k, values): fill(v, values) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    return value


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
async def test_documented_example(row: Row, raw: Raw, sandbox: Sandbox) -> None:
    values = placeholders(sandbox)
    path = fill(row.path, values)
    url = (sandbox.base_url + path[1:]) if path.startswith("/") else raw.account + path
    status, body, _ = await raw.request(
        row.method, url, params=fill(row.query, values),
        json=fill(row.body, values) if row.body is not None else None,
    )  # fmt: skip
    assert status == row.status, body
    problems = mismatches(example(row.example), body, row.name, row.differences)
    assert not problems, "\n".join(problems)


def test_the_table_covers_every_documented_example_file() -> None:
    used = {row.example for row in ROWS}
    fixtures = {f"fixtures/{p.stem}" for p in (HERE.parent / "fixtures").glob("*.json")}
    documented = {f"doc/{key}" for key in DOCUMENTED if not key.startswith("_")}
    assert fixtures | documented <= used, sorted((fixtures | documented) - used)


def test_the_comparison_catches_a_missing_key_and_a_wrong_type() -> None:
    doc = {"a": 1, "b": {"c": "x"}, "d": [{"e": True}]}
    assert mismatches(doc, {"a": 2, "b": {"c": "y"}, "d": [{"e": False}]}, "r", {}) == []
    assert mismatches(doc, {"a": "2", "b": {}, "d": [{"e": 1}]}, "r", {}) == [
        "r.a: documented number, got string ('2')",
        "r.b.c: documented, missing",
        "r.d[0].e: documented boolean, got number (1)",
    ]
