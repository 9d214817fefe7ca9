"""The SDK end to end against the sandbox over real HTTP on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from callrail_async import (
    AuthenticationError,
    BadRequestError,
    CallRail,
    ConfigurationError,
    ManualClock,
    NotFoundError,
    ServerError,
    UnsafeURLError,
)
from callrail_async.testing import Faults, Sandbox


def everything(sandbox: Sandbox) -> dict[str, dt.date]:
    today = dt.datetime.fromtimestamp(sandbox.clock.time(), dt.UTC).date()
    return {"start_date": today - dt.timedelta(days=65), "end_date": today}


async def test_offset_listing_returns_the_servers_exact_id_set(
    client: CallRail, sandbox: Sandbox
) -> None:
    calls = await client.calls.list(
        relative=False, per_page=100, concurrency=6, **everything(sandbox)
    ).collect()
    ids = [c.id for c in calls]
    assert len(ids) == len(set(ids)) == 2000
    assert set(ids) == set(sandbox.call_ids())
    starts = [c.start_time for c in calls]
    assert all(s is not None and s.tzinfo is not None for s in starts)
    assert starts == sorted(starts, reverse=True)  # type: ignore[type-var]


async def test_relative_listing_follows_callrail_links(client: CallRail, sandbox: Sandbox) -> None:
    sandbox.next_page_host = "callrail"  # links to api.callrail.com, as through a gateway
    paginator = client.calls.list(per_page=250, relative=True, **everything(sandbox))
    pages = [page async for page in paginator.pages()]
    assert pages[0].next_page is not None
    assert pages[0].next_page.startswith("https://api.callrail.com/v3/")  # rebased by the SDK
    ids = [c.id for page in pages for c in page.items]
    assert sorted(ids) == sorted(sandbox.call_ids())
    assert sandbox.stats.count("calls.list", 200) == 8


async def test_fields_and_default_recent_window(client: CallRail, sandbox: Sandbox) -> None:
    recent = await client.calls.list(fields=["source", "tags", "company_id"]).collect()
    assert 0 < len(recent) < 400  # CallRail's default: the last 7 days only
    assert all(c.source for c in recent) and all(c.company_id for c in recent)


async def test_get_update_reflected_in_later_get(client: CallRail, sandbox: Sandbox) -> None:
    call = (await client.calls.list(per_page=1, max_items=1).collect())[0]
    updated = await client.calls.update(
        str(call.id), note="Follow up", tags=["Opportunity"], append_tags=True
    )
    assert updated.id == call.id
    fetched = await client.calls.get(str(call.id), fields=["note", "tags"])
    assert fetched.note == "Follow up" and fetched.tags == ["Opportunity"]


async def test_not_found_and_bad_request_are_typed(client: CallRail) -> None:
    with pytest.raises(NotFoundError) as info:
        await client.calls.get("CAL00000000000000000000000000000000")
    assert info.value.message == "Call not found" and info.value.status == 404
    with pytest.raises(BadRequestError, match="25 month"):
        await client.calls.list(date_range="all_time").collect()


async def test_wrong_key_is_an_authentication_error(sandbox: Sandbox) -> None:
    async with sandbox.client(api_key="wrong") as api:
        with pytest.raises(AuthenticationError, match="Access denied"):
            await api.accounts.list().collect()  # the first request the key makes


@pytest.mark.parametrize("style", ["errors", "text", "html"])
async def test_undocumented_error_bodies_through_the_sdk(sandbox: Sandbox, style: str) -> None:
    sandbox.error_style = style  # type: ignore[assignment]
    async with sandbox.client() as api:
        with pytest.raises(NotFoundError) as info:
            await api.calls.get("CAL00000000000000000000000000000000")
    assert "Call not found" in info.value.message


async def test_tags_crud(client: CallRail, sandbox: Sandbox) -> None:
    company = (await client.companies.list().collect())[0]
    tag = await client.tags.create(name="Hot Lead", company_id=str(company.id), color="red1")
    updated = await client.tags.update(tag.id, name="Warm Lead", disabled=True)
    assert updated.name == "Warm Lead" and updated.status == "disabled"
    names = {t.name for t in await client.tags.list(company_id=str(company.id)).collect()}
    assert "Warm Lead" in names
    await client.tags.delete(tag.id)
    with pytest.raises(NotFoundError):
        await client.tags.delete(tag.id)


async def test_other_lists(client: CallRail, sandbox: Sandbox) -> None:
    companies = await client.companies.list().collect()
    trackers = await client.trackers.list(fields=["campaign_name"]).collect()
    users = await client.users.list(sort="email").collect()
    notifications = await client.notifications.list().collect()
    integrations = await client.integrations.list(
        company_id=str(companies[0].id), fields=["signing_key"]
    ).collect()
    assert len(companies) == 3 and len(trackers) == 9 and len(users) == 5
    assert len(notifications) == 3 and integrations[0].signing_key
    assert (await client.trackers.get(str(trackers[0].id))).id == trackers[0].id
    assert (await client.users.get(str(users[0].id))).email == users[0].email
    assert (await client.companies.get(str(companies[0].id))).name == companies[0].name
    accounts = await client.accounts.list().collect()
    assert [a.id for a in accounts] == [sandbox.account_id]


async def test_summary_and_timeseries(client: CallRail, sandbox: Sandbox) -> None:
    span = everything(sandbox)
    summary = await client.calls.summary(group_by="source", fields=["total_calls", "leads"], **span)
    assert summary.total_results is not None and summary.total_results.total_calls == 2000
    assert summary.grouped_results and summary.start_date is not None
    series = await client.calls.timeseries(interval="week", **span)
    assert sum(p.total_calls or 0 for p in series.data or []) == 2000


async def test_maton_mode_through_the_gateway(sandbox: Sandbox) -> None:
    async with sandbox.maton_client(clock=ManualClock()) as api:
        calls = await api.calls.list(per_page=250, **everything(sandbox)).collect()
    assert len(calls) == 2000
    paths = [r.path for r in sandbox.stats.log]
    assert all(p.startswith("/callrail/v3/") for p in paths)


async def test_maton_connection_selects_the_account() -> None:
    async with Sandbox(calls=10, accounts=2) as sandbox:
        second = sandbox.connections[1]["connection_id"]
        async with sandbox.maton_client(connection_id=second) as api:
            assert await api.resolve_account_id() == sandbox.account(1).id


async def test_discovery_with_several_accounts_needs_account_id() -> None:
    async with Sandbox(calls=10, accounts=3) as sandbox:
        async with sandbox.client() as api:
            with pytest.raises(ConfigurationError, match="3 accounts"):
                await api.calls.list().collect()
        async with sandbox.client(account_id=sandbox.account(2).id) as api:
            calls = await api.calls.list(date_range="last_30_days").collect()
        assert calls and sandbox.stats.log[-1].account == sandbox.account(2).id


async def test_retries_absorb_faults_without_loss_or_duplicates(sandbox: Sandbox) -> None:
    sandbox.faults = Faults(rate=0.3, seed=5, kinds=("500", "502", "503", "429", "truncate"))
    clock = ManualClock()
    async with sandbox.client(clock=clock, max_retries=10) as api:
        calls = await api.calls.list(
            relative=False, per_page=100, concurrency=4, **everything(sandbox)
        ).collect()
    ids = [c.id for c in calls]
    assert len(ids) == len(set(ids)) and set(ids) == set(sandbox.call_ids())
    assert sandbox.stats.count(status=200) > 20 and len(clock.sleeps) > 0


async def test_exhausted_retries_raise_typed_error(sandbox: Sandbox) -> None:
    sandbox.faults = Faults(rate=1.0, kinds=("503",))
    async with sandbox.client(clock=ManualClock(), max_retries=2) as api:
        with pytest.raises(ServerError) as info:
            await api.companies.list().collect()
    assert info.value.retries == 2 and info.value.status == 503


@pytest.fixture
async def recorder() -> AsyncIterator[tuple[str, list[str]]]:
    """A second loopback server that records any Authorization header it receives."""
    seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.headers.get("Authorization", "<none>"))
        return web.json_response({"calls": [], "has_next_page": False})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}", seen
    await runner.cleanup()


async def test_next_page_to_another_server_is_refused(
    sandbox: Sandbox, recorder: tuple[str, list[str]]
) -> None:
    origin, seen = recorder
    sandbox.next_page_host = origin
    async with sandbox.client() as api:
        with pytest.raises(UnsafeURLError):
            await api.calls.list(per_page=10, relative=True, **everything(sandbox)).collect()
    assert seen == []  # the other server never heard from us, let alone our key


async def test_with_connection_serves_another_account_on_the_same_session() -> None:
    async with Sandbox(calls=20, accounts=2) as sandbox:
        second = sandbox.connections[1]["connection_id"]
        async with sandbox.maton_client() as first:
            other = first.with_connection(second)
            assert await first.resolve_account_id() == sandbox.account(0).id
            assert await other.resolve_account_id() == sandbox.account(1).id
            assert other._transport.session is first._transport.session
            await other.close()  # the shared session stays open for the first client
            assert not first._transport.session.closed
            connections = await first.connections.list(status="ACTIVE")
        assert {c.connection_id for c in connections} == {
            c["connection_id"] for c in sandbox.connections
        }
