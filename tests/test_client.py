"""Client configuration, credentials, headers and account discovery (aioresponses)."""

from __future__ import annotations

import re

import pytest
from aioresponses import aioresponses

from callrail_async import CallRail, ConfigurationError

DIRECT = "https://api.callrail.com/v3/"
MATON = "https://api.maton.ai/callrail/v3/"
ACC = "ACC8154748ae6bd4e278a7cddd38a662f4f"
ANY_URL = re.compile(r".*")


def _sent_headers(mock: aioresponses) -> list[dict[str, str]]:
    return [dict(call.kwargs["headers"]) for calls in mock.requests.values() for call in calls]


async def test_direct_mode_sends_token_header_and_request_from(mock_http: aioresponses) -> None:
    mock_http.get(f"{DIRECT}a/{ACC}.json", payload={"id": ACC, "name": "A"})
    async with CallRail(api_key="secret-key") as client:
        assert client.mode == "direct" and client.base_url == DIRECT
        account = await client.accounts.get(ACC)
    assert account.id == ACC
    (headers,) = _sent_headers(mock_http)
    assert headers["Authorization"] == 'Token token="secret-key"'
    assert headers["Request-From"] == "callrail_async"
    assert headers["User-Agent"].startswith("callrail-async/")
    assert "Maton-Connection" not in headers


async def test_maton_mode_sends_bearer_and_connection(mock_http: aioresponses) -> None:
    mock_http.get(f"{MATON}a/{ACC}.json", payload={"id": ACC})
    async with CallRail(maton_api_key="mk", connection_id="conn-7", user_agent="ua/1") as client:
        assert client.base_url == MATON
        await client.accounts.get(ACC)
    (headers,) = _sent_headers(mock_http)
    assert headers["Authorization"] == "Bearer mk"
    assert headers["Maton-Connection"] == "conn-7"
    assert headers["User-Agent"] == "ua/1"


async def test_maton_without_connection_sends_no_connection_header(
    mock_http: aioresponses,
) -> None:
    mock_http.get(f"{MATON}a/{ACC}.json", payload={"id": ACC})
    async with CallRail(maton_api_key="mk") as client:
        await client.accounts.get(ACC)
    (headers,) = _sent_headers(mock_http)
    assert "Maton-Connection" not in headers


async def test_credentials_from_environment(
    mock_http: aioresponses, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATON_API_KEY", "env-mk")
    monkeypatch.setenv("MATON_CONNECTION", "env-conn")
    mock_http.get(f"{MATON}a/{ACC}.json", payload={"id": ACC})
    async with CallRail() as client:
        assert client.mode == "maton" and client.connection_id == "env-conn"
        await client.accounts.get(ACC)
    (headers,) = _sent_headers(mock_http)
    assert headers["Authorization"] == "Bearer env-mk"
    assert headers["Maton-Connection"] == "env-conn"


async def test_direct_key_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLRAIL_API_KEY", "env-key")
    async with CallRail() as client:
        assert client.mode == "direct"


def test_no_credentials_names_both_variables() -> None:
    with pytest.raises(ConfigurationError) as info:
        CallRail()
    assert "CALLRAIL_API_KEY" in str(info.value) and "MATON_API_KEY" in str(info.value)


def test_both_keys_is_ambiguous() -> None:
    with pytest.raises(ConfigurationError):
        CallRail(api_key="a", maton_api_key="b")


@pytest.mark.parametrize("key", ["", "  ", 'bad"quote', "line\nbreak"])
def test_bad_keys_are_refused(key: str) -> None:
    with pytest.raises(ConfigurationError):
        CallRail(api_key=key)


def test_repr_never_shows_keys() -> None:
    direct = CallRail(api_key="sekrit-direct-key")
    maton = CallRail(maton_api_key="sekrit-maton-key", connection_id="c1")
    assert "sekrit" not in repr(direct) and "sekrit" not in repr(maton)
    assert "sekrit" not in repr(direct.calls) and "sekrit" not in repr(direct._transport)


def test_plain_http_only_to_loopback() -> None:
    CallRail(api_key="k", base_url="http://127.0.0.1:9/v3/")
    with pytest.raises(ConfigurationError, match="allow_insecure_http"):
        CallRail(api_key="k", base_url="http://example.com/v3/")
    CallRail(api_key="k", base_url="http://example.com/v3/", allow_insecure_http=True)


def test_bad_account_id_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="account_id"):
        CallRail(api_key="k", account_id="COMabc")


async def test_account_discovery_one_account(mock_http: aioresponses) -> None:
    mock_http.get(
        re.compile(r"https://api\.callrail\.com/v3/a\.json.*"),
        payload={"page": 1, "total_pages": 1, "total_records": 1, "accounts": [{"id": ACC}]},
    )
    mock_http.get(
        re.compile(rf"https://api\.callrail\.com/v3/a/{ACC}/tags\.json.*"),
        payload={"page": 1, "total_pages": 1, "total_records": 0, "tags": []},
        repeat=True,
    )
    async with CallRail(api_key="k") as client:
        assert await client.tags.list().collect() == []
        assert await client.resolve_account_id() == ACC
        await client.tags.list().collect()
    urls = [str(url) for (_, url) in mock_http.requests]
    assert sum("/a.json" in u for u in urls) == 1  # discovered once, then cached


async def test_account_discovery_zero_accounts(mock_http: aioresponses) -> None:
    mock_http.get(re.compile(r".*/a\.json.*"), payload={"total_records": 0, "accounts": []})
    async with CallRail(api_key="k") as client:
        with pytest.raises(ConfigurationError, match="no CallRail account"):
            await client.resolve_account_id()


async def test_account_discovery_several_accounts(mock_http: aioresponses) -> None:
    accounts = [{"id": f"ACC{i}", "name": f"Acct {i}"} for i in range(3)]
    mock_http.get(re.compile(r".*/a\.json.*"), payload={"total_records": 3, "accounts": accounts})
    async with CallRail(api_key="k") as client:
        with pytest.raises(ConfigurationError, match=r"3 accounts.*account_id="):
            await client.calls.list().collect()


async def test_explicit_account_id_skips_discovery(mock_http: aioresponses) -> None:
    mock_http.get(
        re.compile(r".*/a/227799611/tags\.json.*"), payload={"tags": [], "total_pages": 1}
    )
    async with CallRail(api_key="k", account_id=227799611) as client:
        assert await client.tags.list().collect() == []
    assert len(mock_http.requests) == 1


async def test_callers_session_is_used_and_left_open(mock_http: aioresponses) -> None:
    import aiohttp

    mock_http.get(f"{DIRECT}a/{ACC}.json", payload={"id": ACC})
    async with aiohttp.ClientSession() as session:
        async with CallRail(api_key="k", session=session) as client:
            await client.accounts.get(ACC)
        assert not session.closed


def test_rate_limits_default_on_for_callrail_off_for_a_loopback_sandbox() -> None:
    from callrail_async import RateLimiter, RateLimits
    from callrail_async.ratelimit import NoLimiter

    assert isinstance(CallRail(api_key="k").limiter, RateLimiter)
    assert isinstance(CallRail(api_key="k", base_url="http://127.0.0.1:9/v3/").limiter, NoLimiter)
    limited = CallRail(api_key="k", base_url="http://127.0.0.1:9/v3/", rate_limits=RateLimits())
    assert isinstance(limited.limiter, RateLimiter)
