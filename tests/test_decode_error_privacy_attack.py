"""A field that holds a person's data where a timestamp belongs (a hostile or broken server)
does not reach the decode error either: the lenient timestamp path quoted the value."""

from __future__ import annotations

import re
import traceback

import pytest
from aioresponses import aioresponses

from callrail_async import CallRail, ResponseDecodeError


@pytest.mark.parametrize("field", ["start_time", "created_at"])
async def test_a_bad_timestamp_is_not_quoted(mock_http: aioresponses, field: str) -> None:
    body = (
        b'{"calls": [{"id": "CAL1", "%s": "Jane Doe +15550100199"}], "page": 1, '
        b'"total_pages": 1}' % field.encode()
    )
    mock_http.get(re.compile(r".*/calls\.json.*"), body=body, repeat=True)
    async with CallRail(api_key="k", account_id="ACC1", max_retries=0) as client:
        with pytest.raises(ResponseDecodeError) as caught:
            await client.calls.list(per_page=10, relative=False).collect()
    error = caught.value
    said = " ".join([str(error), repr(error), error.body, *traceback.format_exception(error)])
    assert "Jane" not in said and "5550100" not in said, said
    assert field in said  # still says where
