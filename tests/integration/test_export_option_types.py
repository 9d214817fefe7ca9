"""An ExportOptions field of the wrong type (a '2026-01-31' for a date, a str for a Path, a
count of 0 or of 5000 digits) is an ExportError before any request, not a TypeError,
AttributeError or ZeroDivisionError from inside the run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from callrail_async.export import ExportError, ExportOptions, export
from callrail_async.testing import Sandbox

BAD: dict[str, Any] = {
    "out as str": {"out": "calls.jsonl"},
    "end_date as str": {"end_date": "2026-01-31"},
    "start_date as datetime": {"start_date": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
    "overlap as hours": {"overlap": 24},
    "per_page None": {"per_page": None},
    "per_page of 5000 digits": {"per_page": 10**5000},
    "concurrency as str": {"concurrency": "4"},
    "window_records 0": {"window_records": 0},
    "fields as str": {"fields": 7},
    "progress not callable": {"progress": True},
}


@pytest.mark.parametrize("change", BAD.values(), ids=BAD.keys())
async def test_a_wrong_type_is_our_error_before_any_request(
    tmp_path: Path, change: dict[str, Any]
) -> None:
    options = {"out": tmp_path / "calls.jsonl", **change}
    async with Sandbox(calls=10) as sandbox:
        async with sandbox.client() as client:
            with pytest.raises(ExportError):
                await export(client, ExportOptions(**options))
        assert not sandbox.stats.log


async def test_an_unknown_field_is_described_not_echoed(tmp_path: Path) -> None:
    """An email pasted into --fields does not come back in the error (it reaches stderr)."""
    options = ExportOptions(out=tmp_path / "calls.jsonl", fields=["jane.roe@example.com"])
    async with Sandbox(calls=10) as sandbox:
        async with sandbox.client() as client:
            with pytest.raises(ExportError, match="fields has unknown value") as caught:
                await export(client, options)
    assert "jane" not in str(caught.value)
