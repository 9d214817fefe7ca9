"""Every endpoint's wire format, pinned at the HTTP boundary (aioresponses)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from aioresponses import CallbackResult, aioresponses
from yarl import URL

from callrail_async import CallRail, RateLimits
from callrail_async.endpoints import endpoint_table

from .endpoint_cases import CASES, Case, fill, marked_path

ACC = "ACC8154748ae6bd4e278a7cddd38a662f4f"
IDS = {
    "account": ACC, "call": "CAL8154748ae6bd4e278a7cddd38a662f4f",
    "recorded_call": "CAL8154748ae6bd4e278a7cddd38a662aaa", "tag": "993186",
    "company": "COM8154748ae6bd4e278a7cddd38a662f4f", "form": "FOR8154748ae6bd4e278a7cddd38a662f4f",
    "integration": "7001", "trigger": "8001", "notification": "5001", "caller_id": "9001",
    "thread": "KZaGR", "conversation": "crpLH", "message": "SCI8154748ae6bd4e278a7cddd38a662f4f",
    "email": "CSS8154748ae6bd4e278a7cddd38a662f4f", "flow": "MFL8154748ae6bd4e278a7cddd38a662f4f",
    "tracker": "TRK8154748ae6bd4e278a7cddd38a662f4f", "user": "USR8154748ae6bd4e278a7cddd38a662f4f",
    "lead": "PER8154748ae6bd4e278a7cddd38a662f4f",
    "connection": "21fd90f9-5935-43cd-b6c8-bde9d915ca80",
}  # fmt: skip


def client_for(case: Case) -> CallRail:
    auth: dict[str, Any] = {"maton_api_key": "mk"} if case.maton else {"api_key": "k"}
    return CallRail(**auth, account_id=ACC, rate_limits=RateLimits.unlimited(), max_retries=0)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_endpoint_wire_format(case: Case, mock_http: aioresponses, tmp_path: Path) -> None:
    seen: list[tuple[URL, dict[str, Any]]] = []

    def answer(url: URL, **kwargs: Any) -> CallbackResult:
        seen.append((url, kwargs))
        if isinstance(case.response, str):
            return CallbackResult(status=case.status, body=case.response.encode())
        return CallbackResult(status=case.status, payload=case.response)

    mock_http.add(re.compile(r".*"), method=case.method, callback=answer, repeat=True)
    async with client_for(case) as client:
        result = await case.call(client, IDS, tmp_path)
    url, kwargs = seen[0]
    expected = fill(case.path, IDS)
    if not expected.startswith("/"):
        expected = f"/v3/a/{ACC}/{expected}"
    elif case.maton is False:
        expected = fill(case.path, IDS)
    assert url.path.removeprefix("/callrail") == expected
    # ...and it is the endpoint the method is marked with (README table, telemetry): the
    # path and method are stated once, so the mark and the request cannot disagree.
    mark = case.marked()
    assert mark.method == case.method
    assert marked_path(mark, ACC).fullmatch(url.path.removeprefix("/callrail")), mark.path
    for key, value in fill(case.query, IDS).items():
        assert value in url.query.getall(key), (key, url.query)
    if case.body is not None:
        assert json.loads(kwargs["data"]) == fill(case.body, IDS)
        assert kwargs["headers"]["Content-Type"] == "application/json"
    else:
        assert kwargs.get("data") is None
    if case.status == 204:
        assert result is None
    elif case.name == "text_messages.download_media":
        assert result == len(case.response) and (tmp_path / "m.png").read_bytes() == b"raw-bytes"
    else:
        assert result is not None


def test_every_marked_endpoint_has_a_case() -> None:
    """So the mark-versus-request check above covers every endpoint of the table."""
    assert {row.sdk for row in endpoint_table()} == {case.sdk for case in CASES}
