"""``callrail-async sync`` / ``callrail_source`` against the sandbox, into real DuckDB files."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from callrail_async.sync.source import sync_progress
from callrail_async.testing import Sandbox

from ._sync_helpers import change_calls, duckdb_state, run_sync, server_state

LOOKBACK = 7.0


@pytest.fixture
async def sandbox() -> Sandbox:  # type: ignore[misc]
    async with Sandbox(calls=700, accounts=3, span_days=20, seed=7) as server:
        yield server


async def test_two_runs_give_the_servers_current_state(sandbox: Sandbox, tmp_path: Path) -> None:
    db = tmp_path / "callrail.duckdb"
    to = f"duckdb:///{db}"
    await run_sync(sandbox, to, tmp_path / "work")
    assert duckdb_state(db) == await server_state(sandbox)

    # Untagged calls get tags, tagged ones lose them, statuses and values change, new calls
    # arrive, one call is marked spam through the API and another hidden by the server.
    changes = [await change_calls(sandbox, account, LOOKBACK) for account in range(3)]
    async with sandbox.client() as client:
        per = client.for_account(sandbox.account(0).id)
        await per.calls.update(changes[0]["recent"][2], tags=[])  # tags removed again
    source = await run_sync(sandbox, to, tmp_path / "work")

    expected = await server_state(sandbox)
    assert duckdb_state(db) == expected
    assert sync_progress(source).hidden == 6
    first = changes[0]
    assert expected[first["recent"][0]][3] == ("vip", "callback")
    assert expected[first["recent"][1]][1:3] == ("good_lead", "120.50")
    assert expected[first["recent"][2]][3] == ()
    for gone in (first["recent"][3], first["recent"][4]):
        assert gone not in expected
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        logged = {r[0] for r in con.execute("SELECT id FROM main.hidden_calls").fetchall()}
    assert logged == {c["recent"][i] for c in changes for i in (3, 4)}


async def test_a_change_older_than_the_lookback_is_not_seen(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    # The documented limit: CallRail has no "updated since", so only the lookback is re-read.
    db = tmp_path / "callrail.duckdb"
    await run_sync(sandbox, f"duckdb:///{db}", tmp_path / "work", lookback=dt.timedelta(days=2))
    async with sandbox.client() as client:
        per = client.for_account(sandbox.account(0).id)
        end = dt.datetime.now(dt.UTC) - dt.timedelta(days=5)
        old = await per.calls.list(
            end_date=end, start_date=end - dt.timedelta(days=3), fields=["lead_status"]
        ).collect()
        call = next(c for c in old if c.lead_status in (None, "not_a_lead", "not_scored"))
        call_id = str(call.id)
        await per.calls.update(call_id, lead_status="good_lead")
    await run_sync(sandbox, f"duckdb:///{db}", tmp_path / "work", lookback=dt.timedelta(days=2))
    assert duckdb_state(db)[call_id][1] == call.lead_status  # still the value of the first run
    assert (await server_state(sandbox))[call_id][1] == "good_lead"


async def test_accounts_are_fetched_concurrently_on_one_session(
    sandbox: Sandbox, tmp_path: Path
) -> None:
    await run_sync(sandbox, f"duckdb:///{tmp_path / 'c.duckdb'}", tmp_path / "w",
                   resources=["calls"])  # fmt: skip
    spans = {}
    for record in sandbox.stats.log:
        if record.endpoint == "calls.list" and record.account:
            first, last = spans.get(record.account, (record.time, record.time))
            spans[record.account] = (min(first, record.time), max(last, record.time))
    assert len(spans) == 3
    # Every account's walk overlaps every other's in time: they ran at once.
    for a, (a_first, a_last) in spans.items():
        for b, (b_first, b_last) in spans.items():
            if a != b:
                assert a_first < b_last and b_first < a_last


async def test_an_explicit_account_list_syncs_only_those(sandbox: Sandbox, tmp_path: Path) -> None:
    db = tmp_path / "callrail.duckdb"
    chosen = [sandbox.account(1).id, sandbox.account(2).id]
    await run_sync(sandbox, f"duckdb:///{db}", tmp_path / "w", accounts=chosen)
    state = duckdb_state(db)
    expected = {k: v for k, v in (await server_state(sandbox)).items() if v[0] in chosen}
    assert state == expected


async def test_snapshot_tables_replace_each_accounts_rows(sandbox: Sandbox, tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "callrail.duckdb"
    await run_sync(sandbox, f"duckdb:///{db}", tmp_path / "w", resources=["tags", "companies"])
    async with sandbox.client() as client:
        per = client.for_account(sandbox.account(0).id)
        tags = await per.tags.list().collect()
        await per.tags.delete(tags[0].id)
        expected = {str(t.id) for a in sandbox.data.accounts
                    for t in await client.for_account(a.id).tags.list().collect()}  # fmt: skip
    await run_sync(sandbox, f"duckdb:///{db}", tmp_path / "w", resources=["tags", "companies"])
    with duckdb.connect(str(db), read_only=True) as con:
        stored = {r[0] for r in con.execute("SELECT id FROM main.tags").fetchall()}
        companies = con.execute("SELECT count(*) FROM main.companies").fetchone()
    assert stored == expected
    assert companies is not None and companies[0] == sum(
        len(a.collections["companies"]) for a in sandbox.data.accounts
    )


async def test_every_resource_loads(sandbox: Sandbox, tmp_path: Path) -> None:
    import duckdb

    from callrail_async.sync.source import RESOURCES

    db = tmp_path / "all.duckdb"
    await run_sync(sandbox, f"duckdb:///{db}", tmp_path / "w", resources=list(RESOURCES),
                   lookback=dt.timedelta(hours=6))  # fmt: skip
    async with sandbox.client() as client:
        expected = 0
        for account in sandbox.data.accounts:
            per = client.for_account(account.id)
            async for company in per.companies.list():
                expected += len(await per.integrations.list(company_id=str(company.id)).collect())
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        integrations = con.execute("SELECT count(*) FROM main.integrations").fetchone()
    assert set(RESOURCES) - {"call_page_views"} <= tables  # page views only if any exist
    assert integrations is not None and integrations[0] == expected > 0


async def test_for_account_shares_the_session_and_the_limiter(sandbox: Sandbox) -> None:
    async with sandbox.client() as client:
        other = client.for_account(sandbox.account(1).id)
        assert other.limiter is client.limiter
        assert await other.resolve_account_id() == sandbox.account(1).id
        await other.companies.list().collect()
        await other.close()  # not its session: the parent's keeps working
        assert len(await client.for_account(sandbox.account(2).id).companies.list().collect())


def test_bad_source_arguments_fail_before_any_request() -> None:
    from callrail_async.sync.source import callrail_source

    with pytest.raises(ValueError, match="resources"):
        callrail_source(resources=["calls", "nope"])
    with pytest.raises(ValueError, match="lookback"):
        callrail_source(lookback=dt.timedelta(days=-1))
    with pytest.raises(ValueError, match="aware"):
        callrail_source(start_date=dt.datetime(2026, 1, 1))


async def test_the_command_writes_callrail_duckdb_by_default(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from callrail_async import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CALLRAIL_API_KEY", sandbox.api_key)
    argv = ["sync", "--base-url", sandbox.base_url, "--pipelines-dir", str(tmp_path / "w"),
            "--resources", "calls", "--quiet"]  # fmt: skip
    assert await asyncio.to_thread(cli.main, argv) == 0
    assert duckdb_state(tmp_path / "callrail.duckdb") == await server_state(sandbox)


async def test_a_failing_account_is_reported_and_the_others_are_loaded(
    sandbox: Sandbox,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from callrail_async import cli

    monkeypatch.setenv("CALLRAIL_API_KEY", sandbox.api_key)
    missing = "ACC" + "0" * 32
    db = tmp_path / "c.duckdb"
    argv = ["sync", "--to", f"duckdb:///{db}", "--base-url", sandbox.base_url,
            "--accounts", f"{sandbox.account_id},{missing}", "--resources", "calls",
            "--pipelines-dir", str(tmp_path / "w")]  # fmt: skip
    assert await asyncio.to_thread(cli.main, argv) == 1
    assert f"account {missing} failed" in capsys.readouterr().err
    expected = {
        k: v for k, v in (await server_state(sandbox)).items() if v[0] == sandbox.account_id
    }
    assert duckdb_state(db) == expected


async def test_all_accounts_through_the_maton_gateway(sandbox: Sandbox, tmp_path: Path) -> None:
    db = tmp_path / "m.duckdb"
    options = {"maton_api_key": sandbox.maton_api_key, "base_url": sandbox.maton_base_url,
               "api_key": None}  # fmt: skip
    await run_sync(sandbox, f"duckdb:///{db}", tmp_path / "w", client_options=options,
                   resources=["calls"])  # fmt: skip
    assert duckdb_state(db) == await server_state(sandbox)


async def test_an_unknown_destination_is_a_clear_error() -> None:
    from callrail_async.sync.command import destination

    with pytest.raises(ValueError, match="--to must be"):
        destination("ftp://example.com/x")


async def test_page_views_are_opt_in_and_warn_about_their_cost(
    sandbox: Sandbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import duckdb

    db = tmp_path / "v.duckdb"
    before = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    await run_sync(sandbox, f"duckdb:///{db}", tmp_path / "w",
                   resources=["call_page_views"], lookback=dt.timedelta(days=1))  # fmt: skip
    after = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    assert "call_page_views:" in caplog.text and "requests for account" in caplog.text
    with duckdb.connect(str(db), read_only=True) as con:
        stored = set(con.execute("SELECT call_id, page_url FROM main.call_page_views").fetchall())
    # The run read the views of the calls since (its start - 1 day): between the two sets.
    assert (
        await _page_views_since(sandbox, after)
        <= stored
        <= await _page_views_since(sandbox, before)
    )
    assert stored


async def _page_views_since(sandbox: Sandbox, since: dt.datetime) -> set[tuple[str, str | None]]:
    views = set()
    async with sandbox.client() as client:
        for account in sandbox.data.accounts:
            per = client.for_account(account.id)
            async for call in per.calls.list(start_date=since, per_page=250):
                for view in await per.calls.page_views(str(call.id)).collect():
                    views.add((str(call.id), view.page_url))
    return views


async def test_a_bad_key_is_the_sdks_error_not_dlts(sandbox: Sandbox, tmp_path: Path) -> None:
    from callrail_async import AuthenticationError

    with pytest.raises(AuthenticationError):
        await run_sync(sandbox, f"duckdb:///{tmp_path / 'k.duckdb'}", tmp_path / "w",
                       client_options={"api_key": "wrong-key"})  # fmt: skip


async def test_the_first_run_starts_at_start_date(sandbox: Sandbox, tmp_path: Path) -> None:
    import duckdb

    db = tmp_path / "s.duckdb"
    start = (dt.datetime.now(dt.UTC) - dt.timedelta(days=3)).replace(microsecond=0)
    await run_sync(sandbox, f"duckdb:///{db}", tmp_path / "w", resources=["calls"],
                   start_date=start)  # fmt: skip
    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute("SELECT min(start_time), count(*) FROM main.calls").fetchone()
    expected = 0
    async with sandbox.client() as client:
        for account in sandbox.data.accounts:
            calls = client.for_account(account.id).calls.list(start_date=start, per_page=250)
            expected += len(await calls.collect())
    assert row is not None and row[0] >= start
    assert row[1] == expected and expected < len(await server_state(sandbox))


def test_a_password_in_to_is_never_printed() -> None:
    from callrail_async.sync.command import shown

    assert shown("postgresql://u:s3cret@db:5432/x") == "postgresql://u:***@db:5432/x"
    assert "s3cret" not in shown("postgres://u:s3cret@db/x")
    assert shown("duckdb:///callrail.duckdb") == "duckdb:///callrail.duckdb"


async def test_lead_timelines_are_opt_in_and_match_the_api(
    sandbox: Sandbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import duckdb

    db = tmp_path / "l.duckdb"
    await run_sync(sandbox, f"duckdb:///{db}", tmp_path / "w", resources=["lead_timeline_events"])
    assert "lead_timelines:" in caplog.text and "requests for account" in caplog.text
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute(
            "SELECT account_id, lead_id, event_id, type FROM main.lead_timeline_events"
        ).fetchall()
    expected = set()
    async with sandbox.client(account_id=sandbox.account(0).id) as client:
        for index in range(3):
            per = client.for_account(sandbox.account(index).id)
            async for lead in per.leads.list(per_page=250):
                timeline = await per.leads.timeline(str(lead.id), per_page=100)
                expected |= {
                    (
                        sandbox.account(index).id,
                        str(lead.id),
                        None if e.id is None else str(e.id),
                        e.type,
                    )
                    for e in timeline.timeline or []
                }
    assert expected and set(stored) == expected
    assert len(stored) == len(expected)  # each event once
