"""An account without companies: a resource CallRail lists per company exports (and lists)
nothing, verified, with no request but the companies listing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aioresponses import aioresponses

from callrail_async import CallRail
from callrail_async.export import ExportOptions, export

EMPTY = {"page": 1, "per_page": 250, "total_pages": 0, "total_records": 0}


@pytest.mark.parametrize("resource", ["integrations", "caller_ids", "integration_triggers"])
async def test_a_per_company_resource_of_an_account_without_companies(
    mock_http: aioresponses, tmp_path: Path, resource: str
) -> None:
    mock_http.get(
        re.compile(r".*/companies\.json.*"), payload={"companies": [], **EMPTY}, repeat=True
    )
    out = tmp_path / f"{resource}.jsonl"
    async with CallRail(api_key="k", account_id="ACC1", max_retries=0) as client:
        report = await export(client, ExportOptions(resource=resource, out=out))
    assert report.records == 0 and report.verified
    assert out.read_bytes() == b""
    paths = {str(url.path) for _, url in mock_http.requests}
    assert paths == {"/v3/a/ACC1/companies.json"}
