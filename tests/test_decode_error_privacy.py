"""A response that does not decode keeps none of its body in the error (it is records), not
even the value that failed (a name or number where a timestamp belongs)."""

from __future__ import annotations

import re
import traceback

import pytest
from aioresponses import aioresponses

from callrail_async import CallRail, ResponseDecodeError

CALL = b'{"id": "CAL1", "customer_name": "Jane Doe", "customer_phone_number": "+15550100", '
BROKEN = {
    "a nested number": CALL + b'"duration": {"nested": "oops"}}',
    "text as start_time": b'{"id": "CAL1", "start_time": "Jane Doe +15550100199"}',
    "text as created_at": b'{"id": "CAL1", "created_at": "Jane Doe +15550100199"}',
}


@pytest.mark.parametrize("record", BROKEN.values(), ids=BROKEN.keys())
async def test_decode_error_carries_no_personal_data(
    mock_http: aioresponses, record: bytes
) -> None:
    page = b'{"calls": [%s], "page": 1, "total_pages": 1}' % record
    mock_http.get(re.compile(r".*/calls\.json.*"), body=page, repeat=True)
    async with CallRail(api_key="k", account_id="ACC1", max_retries=0) as client:
        with pytest.raises(ResponseDecodeError) as caught:
            await client.calls.list(per_page=10, relative=False).collect()
    error = caught.value
    said = " ".join([str(error), repr(error), error.body, *traceback.format_exception(error)])
    assert "Jane" not in said and "5550100" not in said, said
    assert error.body == ""
    assert "- at `$." in said  # still says where
