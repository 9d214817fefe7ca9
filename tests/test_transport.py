"""The transport: error mapping, retries and backoff, decoding failures (aioresponses)."""

from __future__ import annotations

import re
from typing import Any

import aiohttp
import pytest
from aioresponses import aioresponses

from callrail_async import (
    APIError,
    AuthenticationError,
    BadRequestError,
    CallRail,
    ManualClock,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RateLimits,
    ResponseDecodeError,
    RetryPolicy,
    ServerError,
    TransportError,
    UnprocessableEntityError,
)

ACC = "ACC8154748ae6bd4e278a7cddd38a662f4f"
CALL = "CAL8154748ae6bd4e278a7cddd38a662f4f"
BASE = f"https://api.callrail.com/v3/a/{ACC}/"
CALL_URL = re.compile(rf"{re.escape(BASE)}calls/{CALL}\.json.*")
CALL_BODY = {"id": CALL, "duration": 4, "start_time": "2017-01-24T11:27:48.119-05:00"}


def client(clock: ManualClock, **kwargs: object) -> CallRail:
    """A client with rate limiting off: these tests pin the transport's own retry waits."""
    kwargs.setdefault("rate_limits", RateLimits.unlimited())
    return CallRail(api_key="k", account_id=ACC, clock=clock, **kwargs)  # type: ignore[arg-type]


def count(mock: aioresponses) -> int:
    return sum(len(calls) for calls in mock.requests.values())


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (422, UnprocessableEntityError),
    ],
)
async def test_error_statuses_map_to_typed_errors(
    mock_http: aioresponses, clock: ManualClock, status: int, cls: type[APIError]
) -> None:
    mock_http.get(CALL_URL, status=status, payload={"error": f"nope {status}"})
    async with client(clock) as api:
        with pytest.raises(cls) as info:
            await api.calls.get(CALL)
    err = info.value
    assert err.status == status and err.message == f"nope {status}"
    assert err.method == "GET" and CALL in err.url
    assert f"nope {status}" in str(err)
    assert count(mock_http) == 1  # 4xx is never retried


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b'{"errors": {"name": ["is taken"]}}', "application/json", "name is taken"),
        (b"HTTP Token: Access denied.", "text/plain", "HTTP Token: Access denied."),
        (b"<html><title>Bad Gateway</title></html>", "text/html", "<title>Bad Gateway</title>"),
    ],
)
async def test_undocumented_error_shapes_give_a_message(
    mock_http: aioresponses, clock: ManualClock, body: bytes, content_type: str, expected: str
) -> None:
    mock_http.get(CALL_URL, status=401, body=body, content_type=content_type)
    async with client(clock) as api:
        with pytest.raises(AuthenticationError) as info:
            await api.calls.get(CALL)
    assert expected in info.value.message


async def test_get_is_retried_on_5xx_with_backoff(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    mock_http.get(CALL_URL, status=502, body=b"bad gateway")
    mock_http.get(CALL_URL, status=503, payload={"error": "maintenance"})
    mock_http.get(CALL_URL, payload=CALL_BODY)
    policy = RetryPolicy(max_retries=3, backoff_base=1.0, jitter=lambda lo, hi: hi)
    async with client(clock, retry=policy) as api:
        call = await api.calls.get(CALL)
    assert call.duration == 4
    assert clock.sleeps == [1.0, 2.0]  # exponential, full jitter at its ceiling here
    assert count(mock_http) == 3


async def test_retry_after_seconds_is_honoured(mock_http: aioresponses, clock: ManualClock) -> None:
    mock_http.get(
        CALL_URL, status=429, payload={"error": "slow down"}, headers={"Retry-After": "7"}
    )
    mock_http.get(CALL_URL, payload=CALL_BODY)
    async with client(clock) as api:
        await api.calls.get(CALL)
    assert clock.sleeps == [7.0]


async def test_retry_after_is_bounded(mock_http: aioresponses, clock: ManualClock) -> None:
    mock_http.get(CALL_URL, status=503, headers={"Retry-After": "99999"}, body=b"")
    mock_http.get(CALL_URL, payload=CALL_BODY)
    async with client(clock, retry=RetryPolicy(max_retry_after=60)) as api:
        await api.calls.get(CALL)
    assert clock.sleeps == [60.0]


async def test_429_without_retry_after_backs_off(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    mock_http.get(CALL_URL, status=429, payload={"error": "limit"})
    mock_http.get(CALL_URL, payload=CALL_BODY)
    policy = RetryPolicy(backoff_base=2.0, jitter=lambda lo, hi: hi)
    async with client(clock, retry=policy) as api:
        await api.calls.get(CALL)
    assert clock.sleeps == [2.0]


async def test_retries_exhausted_raise_with_count(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    mock_http.get(CALL_URL, status=500, payload={"error": "boom"}, repeat=True)
    async with client(clock, max_retries=2) as api:
        with pytest.raises(ServerError) as info:
            await api.calls.get(CALL)
    assert info.value.retries == 2 and "after 2 retries" in str(info.value)
    assert count(mock_http) == 3


async def test_rate_limit_error_carries_retry_after(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    mock_http.get(CALL_URL, status=429, payload={"error": "x"}, headers={"Retry-After": "3"})
    async with client(clock, max_retries=0) as api:
        with pytest.raises(RateLimitError) as info:
            await api.calls.get(CALL)
    assert info.value.retry_after == 3.0


async def test_post_is_not_retried_on_5xx(mock_http: aioresponses, clock: ManualClock) -> None:
    mock_http.post(re.compile(rf"{re.escape(BASE)}tags\.json"), status=502, body=b"")
    async with client(clock) as api:
        with pytest.raises(ServerError):
            await api.tags.create(name="VIP", company_id="COM1")
    assert count(mock_http) == 1 and clock.sleeps == []


async def test_post_is_not_retried_on_network_error(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    mock_http.post(
        re.compile(rf"{re.escape(BASE)}tags\.json"),
        exception=aiohttp.ServerDisconnectedError(),
    )
    async with client(clock) as api:
        with pytest.raises(TransportError):
            await api.tags.create(name="VIP", company_id="COM1")
    assert count(mock_http) == 1


async def test_post_is_retried_on_429(mock_http: aioresponses, clock: ManualClock) -> None:
    url = re.compile(rf"{re.escape(BASE)}tags\.json")
    mock_http.post(url, status=429, payload={"error": "limit"})
    mock_http.post(url, status=201, payload={"id": "1234569", "name": "VIP"})
    async with client(clock) as api:
        tag = await api.tags.create(name="VIP", company_id="COM1")
    assert tag.id == "1234569" and count(mock_http) == 2


async def test_network_errors_are_retried_then_typed(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    mock_http.get(CALL_URL, exception=aiohttp.ClientConnectionError("reset"), repeat=True)
    async with client(clock, max_retries=3) as api:
        with pytest.raises(TransportError) as info:
            await api.calls.get(CALL)
    assert info.value.retries == 3 and "ClientConnectionError" in str(info.value)
    assert len(clock.sleeps) == 3


async def test_timeouts_are_retried(mock_http: aioresponses, clock: ManualClock) -> None:
    mock_http.get(CALL_URL, exception=TimeoutError())
    mock_http.get(CALL_URL, payload=CALL_BODY)
    async with client(clock) as api:
        assert (await api.calls.get(CALL)).id == CALL


async def test_truncated_json_is_retried_then_a_decode_error(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    mock_http.get(CALL_URL, body=b'{"id": "CAL1", "dura', repeat=True)
    async with client(clock, max_retries=1) as api:
        with pytest.raises(ResponseDecodeError) as info:
            await api.calls.get(CALL)
    assert "undecodable" in str(info.value)
    assert info.value.body == ""  # a 2xx body is records: none of it travels in the error
    assert info.value.retries == 1 and info.value.status == 200
    assert not isinstance(info.value, TransportError)  # not a network failure


async def test_schema_drift_is_a_decode_error_and_not_retried(
    mock_http: aioresponses, clock: ManualClock
) -> None:
    mock_http.get(CALL_URL, payload=[1, 2, 3], repeat=True)
    async with client(clock, max_retries=3) as api:
        with pytest.raises(ResponseDecodeError) as info:
            await api.calls.get(CALL)
    assert info.value.retries == 0 and count(mock_http) == 1  # the shape will not change


async def test_total_timeout_stops_retrying(mock_http: aioresponses, clock: ManualClock) -> None:
    mock_http.get(CALL_URL, status=503, body=b"", headers={"Retry-After": "20"}, repeat=True)
    async with client(clock, max_retries=10, total_timeout=45) as api:
        with pytest.raises(ServerError) as info:
            await api.calls.get(CALL)
    assert info.value.retries == 2 and clock.sleeps == [20.0, 20.0]


async def test_redirects_are_not_followed(mock_http: aioresponses, clock: ManualClock) -> None:
    mock_http.get(CALL_URL, status=302, headers={"Location": "https://elsewhere.example/"})
    async with client(clock) as api:
        with pytest.raises(APIError, match="redirect"):
            await api.calls.get(CALL)
    assert count(mock_http) == 1


async def test_update_sends_only_given_fields(mock_http: aioresponses, clock: ManualClock) -> None:
    answer = {**CALL_BODY, "note": "Follow up", "tags": ["Opportunity"]}
    mock_http.put(CALL_URL, payload=answer)  # the changed fields come back: one request
    async with client(clock) as api:
        await api.calls.update(CALL, note="Follow up", tags=["Opportunity"], append_tags=True)
    ((_, call),) = [(k, c) for k, calls in mock_http.requests.items() for c in calls]
    assert call.kwargs["data"] == b'{"note":"Follow up","tags":["Opportunity"],"append_tags":true}'
    assert call.kwargs["headers"]["Content-Type"] == "application/json"


async def test_update_none_clears_a_value(mock_http: aioresponses, clock: ManualClock) -> None:
    answer = {**CALL_BODY, "lead_status": None}
    mock_http.put(CALL_URL, payload=answer)
    async with client(clock) as api:
        await api.calls.update(CALL, lead_status=None)
    ((_, call),) = [(k, c) for k, calls in mock_http.requests.items() for c in calls]
    assert call.kwargs["data"] == b'{"lead_status":null}'


async def test_delete_returns_none_on_204(mock_http: aioresponses, clock: ManualClock) -> None:
    mock_http.delete(re.compile(rf"{re.escape(BASE)}tags/993186\.json"), status=204, body=b"")
    async with client(clock) as api:
        assert await api.tags.delete(993186) is None


async def test_download_recording_sends_no_credentials_to_the_storage_host(
    mock_http: aioresponses, clock: ManualClock, tmp_path: Any
) -> None:
    recording = "https://app.callrail.com/calls/CAL1/recording/redirect?access_key=abc"
    mock_http.get(re.compile(rf"{re.escape(BASE)}calls/{CALL}/recording\.json.*"),
                  payload={"url": recording})  # fmt: skip
    mock_http.get(recording, body=b"ID3-mp3-bytes", content_type="audio/mpeg")
    async with client(clock) as api:
        written = await api.calls.download_recording(CALL, tmp_path / "call.mp3")
    assert written == 13 and (tmp_path / "call.mp3").read_bytes() == b"ID3-mp3-bytes"
    sent = {str(url): calls[0].kwargs["headers"] for (_, url), calls in mock_http.requests.items()}
    storage = next(h for u, h in sent.items() if u.startswith("https://app.callrail.com"))
    assert "Authorization" not in storage
    api_call = next(h for u, h in sent.items() if "recording.json" in u)
    assert api_call["Authorization"] == 'Token token="k"'
