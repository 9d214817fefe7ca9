"""``calls.update`` returns the changed fields as CallRail has them (aioresponses)."""

from __future__ import annotations

import json
import re

from aioresponses import aioresponses

from callrail_async import CallRail

BASE = "https://api.callrail.com/v3/a/ACC1/"
CALL = {"id": "CAL1", "customer_name": "A", "duration": 4}
ANY_CALL_URL = re.compile(re.escape(f"{BASE}calls/CAL1.json") + r".*")


def _sent(mock: aioresponses) -> list[tuple[str, str, object]]:
    return [
        (method, str(url), json.loads(call.kwargs["data"]) if call.kwargs.get("data") else None)
        for (method, url), calls in mock.requests.items()
        for call in calls
    ]


async def test_changed_fields_are_asked_for_in_the_put(mock_http: aioresponses) -> None:
    answer = {**CALL, "tags": ["VIP", "Old"], "note": "Called back"}
    mock_http.put(ANY_CALL_URL, payload=answer)
    async with CallRail(api_key="k", account_id="ACC1") as client:
        call = await client.calls.update("CAL1", note="Called back", tags=["VIP"], append_tags=True)
    assert call.tags == ["VIP", "Old"] and call.note == "Called back"
    ((method, url, body),) = _sent(mock_http)
    assert method == "PUT" and url.endswith("calls/CAL1.json?fields=tags,note")
    assert body == {"note": "Called back", "tags": ["VIP"], "append_tags": True}


async def test_a_server_that_ignores_fields_on_put_is_read_back_once(
    mock_http: aioresponses,
) -> None:
    mock_http.put(ANY_CALL_URL, payload=CALL)  # default fields only, as documented
    mock_http.get(ANY_CALL_URL, payload={**CALL, "lead_status": "good_lead", "value": "5.00"})
    async with CallRail(api_key="k", account_id="ACC1") as client:
        call = await client.calls.update("CAL1", lead_status="good_lead", value="5.00")
    assert call.lead_status == "good_lead" and str(call.value) in ("5.00", "5.0")
    sent = _sent(mock_http)
    assert [(m, u.split("/v3/a/ACC1/")[1]) for m, u, _ in sent] == [
        ("PUT", "calls/CAL1.json?fields=lead_status,value"),
        ("GET", "calls/CAL1.json?fields=lead_status,value"),
    ]


async def test_a_cleared_note_counts_as_returned_when_sent_back_as_null(
    mock_http: aioresponses,
) -> None:
    mock_http.put(ANY_CALL_URL, payload={**CALL, "note": None})
    async with CallRail(api_key="k", account_id="ACC1") as client:
        call = await client.calls.update("CAL1", note=None)
    assert call.note is None
    assert len(_sent(mock_http)) == 1  # the key came back (as null): no second request


async def test_default_field_changes_send_one_plain_put(mock_http: aioresponses) -> None:
    mock_http.put(ANY_CALL_URL, payload={**CALL, "customer_name": "B"})
    async with CallRail(api_key="k", account_id="ACC1") as client:
        call = await client.calls.update("CAL1", customer_name="B")
    assert call.customer_name == "B"
    ((method, url, _body),) = _sent(mock_http)
    assert method == "PUT" and url.endswith("calls/CAL1.json")
