"""A call whose start_time is not a timestamp (a broken or hostile server) ends the export
with ExportError naming the record, not a bare ValueError, and without quoting the text."""

from __future__ import annotations

from pathlib import Path

import pytest

from callrail_async import ResponseDecodeError
from callrail_async.export import ExportError, ExportOptions, export
from callrail_async.testing import Sandbox


@pytest.mark.parametrize("since_last", [False, True])
async def test_a_garbled_start_time_is_our_error(tmp_path: Path, since_last: bool) -> None:
    state = tmp_path / "state.json" if since_last else None
    garbled = {"start_time": "Jane Roe +15550100199"}
    async with Sandbox(calls=20, extra_call_fields=garbled) as sandbox:
        async with sandbox.client() as client:
            with pytest.raises(ExportError, match="start_time that is not a timestamp") as caught:
                await export(client, ExportOptions(out=tmp_path / "c.jsonl", since_last=state))
    assert "Jane" not in str(caught.value) and "5550100" not in str(caught.value)


async def test_a_raw_call_listing_meeting_one_raises_our_error_as_the_typed_one_does() -> None:
    garbled = {"start_time": "Jane Roe +15550100199"}
    async with Sandbox(calls=300, extra_call_fields=garbled) as sandbox:
        async with sandbox.client() as client:
            for listing in (
                client.calls.list(per_page=50, date_range="last_30_days").raw(),
                client.calls.list(per_page=50, date_range="last_30_days"),
            ):
                with pytest.raises(ResponseDecodeError, match="start_time") as caught:
                    await listing.collect()
                assert "Jane" not in str(caught.value) and "5550100" not in str(caught.value)
