"""A response that does not decode keeps none of its body in the error (it is records)."""

from __future__ import annotations

import re
import traceback

import pytest
from aioresponses import aioresponses

from callrail_async import CallRail, ResponseDecodeError

PAGE = (
    b'{"calls": [{"id": "CAL1", "customer_name": "Jane Doe", '
    b'"customer_phone_number": "+15550100", "duration": {"nested": "oops"}}], '
    b'"page": 1, "total_pages": 1}'
)


async def test_decode_error_carries_no_personal_data(mock_http: aioresponses) -> None:
    mock_http.get(re.compile(r".*/calls\.json.*"), body=PAGE, repeat=True)
    async with CallRail(api_key="k", account_id="ACC1", max_retries=0) as client:
        with pytest.raises(ResponseDecodeError) as caught:
            await client.calls.list(per_page=10, relative=False).collect()
    error = caught.value
    said = " ".join([str(error), repr(error), error.body, *traceback.format_exception(error)])
    assert "Jane" not in said and "5550100" not in said
    assert error.body == ""
