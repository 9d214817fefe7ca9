"""Configuration from the environment: CALLRAIL_BASE_URL and CALLRAIL_ACCOUNT_ID (aioresponses)."""

from __future__ import annotations

import re

import pytest
from aioresponses import aioresponses

from callrail_async import CallRail, ConfigurationError

PROXY = "https://proxy.example.test/callrail/v3/"
ACC = "ACC8154748ae6bd4e278a7cddd38a662f4f"
CALLS = {"calls": [], "page": 1, "per_page": 100, "total_pages": 1, "total_records": 0}


async def test_base_url_and_account_from_environment(
    mock_http: aioresponses, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CALLRAIL_API_KEY", "k")
    monkeypatch.setenv("CALLRAIL_BASE_URL", PROXY)
    monkeypatch.setenv("CALLRAIL_ACCOUNT_ID", ACC)
    mock_http.get(re.compile(re.escape(f"{PROXY}a/{ACC}/calls.json") + ".*"), payload=CALLS)
    async with CallRail() as client:
        assert client.base_url == PROXY
        assert await client.resolve_account_id() == ACC
        await client.calls.list(per_page=250, relative=False).collect()
    # No account discovery (GET a.json): the environment named the account.
    sent = [str(url) for (_method, url) in mock_http.requests]
    assert sent and all(url.startswith(f"{PROXY}a/{ACC}/") for url in sent)


async def test_explicit_arguments_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLRAIL_BASE_URL", PROXY)
    monkeypatch.setenv("CALLRAIL_ACCOUNT_ID", ACC)
    other = "ACC00000000000000000000000000000001"
    async with CallRail(
        api_key="k", base_url="https://api.callrail.com/v3/", account_id=other
    ) as client:
        assert client.base_url == "https://api.callrail.com/v3/"
        assert await client.resolve_account_id() == other


async def test_base_url_from_environment_applies_to_maton_mode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MATON_API_KEY", "mk")
    monkeypatch.setenv("CALLRAIL_BASE_URL", "http://127.0.0.1:9/callrail/v3/")
    async with CallRail() as client:
        assert client.mode == "maton"
        assert client.base_url == "http://127.0.0.1:9/callrail/v3/"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("CALLRAIL_BASE_URL", "ftp://example.test/v3/"),
        ("CALLRAIL_BASE_URL", "http://example.test/v3/"),  # plain http off loopback
        ("CALLRAIL_ACCOUNT_ID", "ACC/../x"),
    ],
)
def test_bad_environment_values_name_the_variable(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv("CALLRAIL_API_KEY", "k")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigurationError, match=variable):
        CallRail()


def test_empty_environment_values_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CALLRAIL_API_KEY", "k")
    monkeypatch.setenv("CALLRAIL_BASE_URL", "")
    monkeypatch.setenv("CALLRAIL_ACCOUNT_ID", "")
    client = CallRail()
    assert client.base_url == "https://api.callrail.com/v3/"
    assert "auto" in repr(client)


async def test_a_sandbox_client_ignores_another_servers_account_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from callrail_async.testing import Sandbox

    monkeypatch.setenv("CALLRAIL_ACCOUNT_ID", "ACC00000000000000000000000000000999")
    async with Sandbox(calls=20, seed=7) as sandbox:
        async with sandbox.client() as client:
            assert await client.resolve_account_id() == sandbox.account_id
            assert await client.calls.list(date_range="last_30_days").collect()


async def test_closing_the_parent_closes_a_for_account_child() -> None:
    from callrail_async import ClientClosedError
    from callrail_async.testing import Sandbox

    async with Sandbox(calls=20, accounts=2) as sandbox:
        parent = sandbox.client()
        child = parent.for_account(sandbox.account(1).id)
        assert await child.calls.list(date_range="last_30_days").collect()
        await parent.close()
        with pytest.raises(ClientClosedError):
            await child.calls.list(date_range="last_30_days").collect()
        with pytest.raises(ClientClosedError):
            parent.for_account(sandbox.account(0).id)
