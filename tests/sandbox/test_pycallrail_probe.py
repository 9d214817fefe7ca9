"""A third-party client as a probe: pycallrail, unchanged but for its base URL, reads the
sandbox and gets exactly the sandbox's ids (accounts, calls by relative and by offset
pagination, trackers, users). CI installs it (.ci/run); elsewhere the test is skipped."""

from __future__ import annotations

import asyncio
import importlib.util
import os
from typing import Any

import pytest

from callrail_async.testing import Sandbox

if importlib.util.find_spec("pycallrail") is None:
    if os.environ.get("CI") == "true":
        raise RuntimeError("pycallrail must be installed in CI (see .ci/run)")
    pytest.skip(
        "pycallrail is not installed: pip install --no-deps pycallrail requests "
        "python-dateutil typeguard typing-extensions",
        allow_module_level=True,
    )


def probe(base_url: str, api_key: str) -> dict[str, Any]:
    """What pycallrail reads, using only its own public calls and request helper."""
    import pycallrail

    client = pycallrail.CallRail(api_key=api_key)
    client.BASE_URL = base_url  # the one change: where it sends requests
    accounts = client.list_accounts()
    account = accounts[0]
    relative = account.list_calls()  # pycallrail's default: relative pagination
    offset = account.list_calls(pagination_type="OFFSET")
    # pycallrail has no tracker or user methods: its own request helper reads them.
    trackers = client._get(endpoint=f"a/{account.id}", path="trackers.json",
                           response_data_key="trackers")  # fmt: skip
    users = client._get(endpoint=f"a/{account.id}", path="users.json", response_data_key="users")
    return {
        "accounts": [a.id for a in accounts],
        "calls_relative": [c.id for c in relative or []],
        "calls_offset": [c.id for c in offset or []],
        "trackers": [t["id"] for t in trackers or []],
        "users": [u["id"] for u in users or []],
    }


async def test_pycallrail_reads_exactly_the_sandbox_ids() -> None:
    # Every call inside CallRail's default "recent" window; more than one page of each list.
    async with Sandbox(calls=1234, span_days=6, accounts=2, companies=30,
                       trackers_per_company=4, users=130) as sandbox:  # fmt: skip
        got = await asyncio.to_thread(probe, sandbox.base_url, sandbox.api_key)
        account = sandbox.account()
        assert got["accounts"] == [a.id for a in sandbox.data.accounts]
        expected_calls = set(sandbox.call_ids())
        for key in ("calls_relative", "calls_offset"):
            assert len(got[key]) == len(expected_calls) == 1234, key
            assert set(got[key]) == expected_calls, key
        assert set(got["trackers"]) == set(account.collections["trackers"])
        assert len(got["trackers"]) == 120
        assert set(got["users"]) == set(account.collections["users"])
        assert len(got["users"]) == 130
        assert sandbox.stats.count("calls.list", 200) == 2 * 13  # 100 a page, both ways
