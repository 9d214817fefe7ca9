"""Date presets read as CallRail reads them: the sandbox's summary endpoint is the judge."""

from __future__ import annotations

import datetime as dt
from typing import get_args
from zoneinfo import ZoneInfo

import pytest

from callrail_async.enums import DateRange
from callrail_async.report.periods import preset_days, previous_period
from callrail_async.testing import Sandbox

PRESETS = [p for p in get_args(DateRange) if p != "all_time"]


async def test_presets_match_the_summary_endpoint() -> None:
    async with Sandbox(calls=200, span_days=10) as sandbox:
        async with sandbox.client() as client:
            for preset in PRESETS:
                summary = await client.calls.summary(date_range=preset)
                assert summary.start_date is not None and summary.end_date is not None
                today = dt.datetime.now(ZoneInfo(summary.time_zone or "UTC")).date()
                expected = (summary.start_date.date(), summary.end_date.date())
                assert preset_days(preset, today) == expected, preset


def test_previous_period_and_bad_presets() -> None:
    assert previous_period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == (
        dt.date(2026, 1, 29), dt.date(2026, 2, 28)
    )  # fmt: skip
    assert previous_period(dt.date(2026, 3, 1), dt.date(2026, 3, 1)) == (
        dt.date(2026, 2, 28), dt.date(2026, 2, 28)
    )  # fmt: skip
    with pytest.raises(ValueError, match="before"):
        previous_period(dt.date(2026, 3, 2), dt.date(2026, 3, 1))
    with pytest.raises(ValueError, match="all_time"):
        preset_days("all_time", dt.date(2026, 3, 1))
    with pytest.raises(ValueError, match="must be one of"):
        preset_days("fortnight", dt.date(2026, 3, 1))  # type: ignore[arg-type]
