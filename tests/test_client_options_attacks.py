"""Attacks on ``client.options`` / ``with_options()``: wrong types, subclasses, a failing
shared account discovery, secrets in a base URL, and what a derived client leaves behind."""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc
import weakref
from typing import Any

import pytest

from callrail_async import (
    AuthenticationError,
    CallRail,
    ConfigurationError,
    RateLimiter,
    RateLimits,
    RequestTimeoutError,
    RetryPolicy,
)
from callrail_async.client import Namespace
from callrail_async.ratelimit import SqliteBucketStore
from callrail_async.resources import CallsResource
from callrail_async.testing import Sandbox

from .hostile import ACC, CALL, CALL_JSON, Request, Server, hostile_server
from .hostile import response as http_response

OTHER = "ACC00000000000000000000000000000002"
ACCOUNTS = (
    b'{"page": 1, "per_page": 250, "total_pages": 1, "total_records": 1, '
    b'"accounts": [{"id": "' + ACC.encode() + b'", "name": "Only"}]}'
)


def discovery(statuses: list[int], delay: float = 0.05) -> Any:
    """``a.json`` answers ``statuses`` in turn (then one account), after ``delay``; anything
    else a call."""

    async def handle(request: Request, writer: asyncio.StreamWriter, server: Server) -> None:
        if " /v3/a.json" in request.line:
            await asyncio.sleep(delay)
            status = statuses.pop(0) if statuses else 200
            writer.write(http_response(status, ACCOUNTS if status == 200 else b'{"error": "x"}'))
        else:
            writer.write(http_response(body=CALL_JSON))
        await writer.drain()

    return handle


@pytest.mark.parametrize(
    "overrides",
    [
        {"max_retries": None},
        {"log_bodies": "yes"},
        {"log_bodies": None},
        {"instrumentation": "otel"},
    ],
    ids=repr,
)
def test_with_options_refuses_a_wrong_type_instead_of_keeping_it(
    overrides: dict[str, Any],
) -> None:
    client = CallRail(api_key="k", account_id=ACC)
    with pytest.raises(ConfigurationError):
        client.with_options(**overrides)


@pytest.mark.parametrize("arguments", [{"log_bodies": "no"}, {"instrumentation": object()}])
def test_the_constructor_refuses_the_same_wrong_types(arguments: dict[str, Any]) -> None:
    with pytest.raises(ConfigurationError):
        CallRail(api_key="k", **arguments)


async def test_a_subclass_derives_its_own_class_and_keeps_its_namespaces() -> None:
    class MyCallRail(CallRail):
        more_calls = Namespace(CallsResource)

    async with hostile_server(discovery([])) as server:
        async with MyCallRail(api_key="k", account_id=ACC, base_url=server.base_url) as client:
            for derived in (client.with_options(timeout=0.5), client.for_account(ACC)):
                assert type(derived) is MyCallRail
                assert (await derived.more_calls.get(CALL)).id == CALL


@pytest.mark.parametrize(
    "base_url",
    [
        "https://alice:pw-s3cret@api.example.com/v3/",
        "http://alice:pw-s3cret@example.com/v3/",
        "http://alice:pw-s3cret@127.0.0.1:9/v3/",
        "ftp://alice:pw-s3cret@example.com/",
    ],
)
def test_a_base_url_with_credentials_is_refused_without_showing_them(base_url: str) -> None:
    # aiohttp cannot send URL credentials beside our Authorization header, and the URL
    # would be shown in reprs and error messages.
    with pytest.raises(ConfigurationError) as caught:
        CallRail(api_key="k", base_url=base_url)
    assert "pw-s3cret" not in str(caught.value) and "alice" not in str(caught.value)


async def test_calls_waiting_on_a_failed_discovery_share_its_answer_and_a_later_call_retries() -> (
    None
):
    # A wrong key: five calls started together (through three clients sharing discovery)
    # ask `a.json` once, not five times one after the other; the next call asks again.
    async with hostile_server(discovery([401, 401])) as server:
        async with CallRail(api_key="k", base_url=server.base_url, max_retries=0) as client:
            clients = [client, client.with_options(timeout=5), client.with_options(user_agent="u")]
            results = await asyncio.gather(
                *(c.calls.get(CALL) for c in clients * 2), return_exceptions=True
            )
            assert all(isinstance(r, AuthenticationError) for r in results), results
            assert sum(" /v3/a.json" in r.line for r in server.requests) == 1
            with pytest.raises(AuthenticationError):
                await clients[1].calls.get(CALL)  # not poisoned: it asks again
            assert (await clients[2].calls.get(CALL)).id == CALL  # and recovers
            assert await client.resolve_account_id() == ACC
    assert sum(" /v3/a.json" in r.line for r in server.requests) == 3


async def test_a_waiter_does_not_inherit_another_clients_timeout_during_discovery() -> None:
    # The discovering client's own short timeout is its own failure: a patient client
    # waiting for the same discovery tries again with its own timeout.
    async with hostile_server(discovery([], delay=0.3)) as server:
        async with CallRail(api_key="k", base_url=server.base_url, max_retries=0) as client:
            hasty = client.with_options(timeout=0.05)
            results = await asyncio.gather(
                hasty.calls.get(CALL), client.calls.get(CALL), return_exceptions=True
            )
    assert isinstance(results[0], RequestTimeoutError)
    assert getattr(results[1], "id", None) == CALL


async def test_derived_clients_for_single_calls_leave_nothing_behind() -> None:
    async with hostile_server(discovery([])) as server:
        async with CallRail(api_key="k", account_id=ACC, base_url=server.base_url) as client:
            for _ in range(50):  # warm up: the session, its connection, caches
                await client.with_options(timeout=2).calls.get(CALL)
            gc.collect()
            tracemalloc.start()
            try:
                before = tracemalloc.take_snapshot()
                for _ in range(1000):
                    derived = client.with_options(timeout=2)
                    await derived.calls.get(CALL)
                gone = weakref.ref(derived)
                del derived
                gc.collect()
                after = tracemalloc.take_snapshot()
            finally:
                tracemalloc.stop()
            assert gone() is None
            assert not client._family.pool._calls
    server_side = tracemalloc.Filter(False, "*/tests/hostile.py")  # it keeps every request
    growth = sum(
        d.size_diff for d in after.filter_traces([server_side]).compare_to(before, "filename")
    )
    assert growth < 100_000, growth  # 1000 derived clients kept would be megabytes


async def test_clients_for_the_same_connection_discover_its_account_once() -> None:
    # `client.with_connection(c).calls.get(...)` per call, or several clients made for the
    # same connection at once, share one discovery per connection: not one `a.json` each.
    async with Sandbox(calls=5, accounts=2) as sandbox:
        first, second = (c["connection_id"] for c in sandbox.connections)
        async with sandbox.maton_client(connection_id=first) as client:
            assert await client.resolve_account_id() == sandbox.data.accounts[0].id
            sandbox.stats.reset()
            await asyncio.gather(
                *(
                    client.with_connection(second).calls.list(max_items=1).collect()
                    for _ in range(3)
                )
            )
            for _ in range(3):
                derived = client.with_options(connection_id=second, timeout=5)
                await derived.calls.list(max_items=1).collect()
            assert await derived.resolve_account_id() == sandbox.data.accounts[1].id
            assert sandbox.stats.count("accounts.list") == 1
            await client.with_connection(first).calls.list(max_items=1).collect()
            assert sandbox.stats.count("accounts.list") == 1  # the parent's own, known


async def test_total_timeout_bounds_the_wait_for_another_clients_account_discovery() -> None:
    # A fail-fast call (`with_options(total_timeout=...)`) must not wait out the parent's
    # slow discovery (30 s timeout, retries) just because it shares it.
    async with hostile_server(discovery([], delay=2.0)) as server:
        async with CallRail(api_key="k", base_url=server.base_url) as client:
            slow = asyncio.create_task(client.resolve_account_id())
            await asyncio.sleep(0.1)  # the parent's GET a.json is on its way
            started = time.monotonic()
            with pytest.raises(RequestTimeoutError) as caught:
                await client.with_options(total_timeout=0.3).calls.get(CALL)
            assert time.monotonic() - started < 1.0
            assert caught.value.phase == "account discovery" and caught.value.total
            assert "/v3/a.json" in caught.value.url
            assert await slow == ACC  # the parent's discovery went on, for everyone
            assert (await client.with_options(total_timeout=0.3).calls.get(CALL)).id == CALL


async def test_derived_clients_share_their_accounts_budget_and_other_accounts_keep_theirs() -> None:
    async with hostile_server(discovery([])) as server:
        limiter = RateLimiter(RateLimits())
        async with CallRail(api_key="k", base_url=server.base_url, limiter=limiter) as client:
            quick = client.with_options(timeout=2, max_retries=0)
            other = client.for_account(OTHER)
            await client.calls.get(CALL)  # after discovery: counted for ACC
            await quick.calls.get(CALL)
            await other.calls.get(CALL)

            async def admitted(c: CallRail) -> int:
                return max(s.admitted for s in await c.rate_limit_status())

            assert await admitted(client) == await admitted(quick) == 2
            assert await admitted(other) == 1
            assert await admitted(other.for_account(ACC)) == 2  # the same account, one budget


@pytest.mark.parametrize(
    "overrides",
    [{"timeout": 10**400}, {"total_timeout": 10**400}, {"page_concurrency": -(10**5000)}],
    ids=["timeout", "total_timeout", "page_concurrency"],
)
def test_an_integer_too_large_for_a_float_is_a_configuration_error(
    overrides: dict[str, Any],
) -> None:
    # math.isfinite(10**400) raises OverflowError, repr(10**5000) ValueError: neither is ours.
    with pytest.raises(ConfigurationError):
        CallRail(api_key="k", **overrides)
    with pytest.raises(ConfigurationError):
        CallRail(api_key="k").with_options(**overrides)
    with pytest.raises(ConfigurationError):
        RetryPolicy(backoff_base=10**400)


def test_namespaces_are_made_on_first_use_kept_and_listed_in_declaration_order() -> None:
    class MyCallRail(CallRail):
        more_calls = Namespace(CallsResource)

    client = MyCallRail(api_key="k", account_id=ACC)
    assert "calls" not in vars(client)  # nothing made before use
    assert client.calls is client.calls and isinstance(client.calls, CallsResource)
    assert client.with_options(timeout=1).calls is not client.calls  # its own transport
    names = list(MyCallRail.namespaces())
    assert names[:2] == ["accounts", "calls"] and names[-1] == "more_calls"
    assert list(CallRail.namespaces()) == names[:-1]
    assert isinstance(MyCallRail.calls, Namespace)


def test_a_budget_store_with_rate_limiting_turned_off_is_a_conflict() -> None:
    # The store would be ignored without a word: nothing is counted in it.
    with pytest.raises(ConfigurationError, match="rate_limit_store"):
        CallRail(
            api_key="k",
            rate_limits=RateLimits.unlimited(),
            rate_limit_store=SqliteBucketStore(":memory:"),
        )
