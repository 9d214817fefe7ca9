"""The sandbox's HTTP behaviour, pinned with plain aiohttp (no SDK code)."""

from __future__ import annotations

import datetime as dt
import re

import aiohttp
import pytest
from yarl import URL

from callrail_async.testing import Faults, LiveTraffic, ManualClock, RateLimitWindows, Sandbox

from .conftest import Raw

ID = re.compile(r"^[A-Z]{3}[0-9a-f]{32}$")
LAST_60 = {"start_date": "2026-01-01"}


def window(sandbox: Sandbox) -> dict[str, str]:
    """A start/end covering every seeded call."""
    now = dt.datetime.fromtimestamp(sandbox.clock.time(), dt.UTC)
    return {"start_date": (now - dt.timedelta(days=70)).date().isoformat(),
            "end_date": now.date().isoformat()}  # fmt: skip


async def test_offset_envelope_and_call_shape(raw: Raw, sandbox: Sandbox) -> None:
    status, body = await raw.get("calls.json", per_page=10, **window(sandbox))
    assert status == 200
    assert set(body) == {"page", "per_page", "total_pages", "total_records", "calls"}
    assert body["page"] == 1 and body["per_page"] == 10 and body["total_records"] == 1000
    assert body["total_pages"] == 100
    call = body["calls"][0]
    assert ID.match(call["id"]) and call["id"].startswith("CAL")
    assert re.match(r"^\+1\d{10}$", call["customer_phone_number"])
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$", call["start_time"])
    assert "source" not in call  # optional fields only on request
    starts = [dt.datetime.fromisoformat(c["start_time"]) for c in body["calls"]]
    assert starts == sorted(starts, reverse=True)  # newest first, like CallRail


@pytest.mark.parametrize(
    ("per_page", "page", "expected_items", "expected_pages"),
    [
        (250, 4, 250, 4),  # last page, exactly full
        (240, 5, 40, 5),  # last partial page
        (240, 6, 0, 5),  # past the end: empty
    ],
)
async def test_pagination_maths_at_the_edges(
    raw: Raw, sandbox: Sandbox, per_page: int, page: int, expected_items: int, expected_pages: int
) -> None:
    status, body = await raw.get("calls.json", per_page=per_page, page=page, **window(sandbox))
    assert status == 200
    assert len(body["calls"]) == expected_items and body["total_pages"] == expected_pages
    assert body["total_records"] == 1000


@pytest.mark.parametrize("per_page", [0, 251, "many"])
async def test_per_page_out_of_range_is_400(raw: Raw, per_page: object) -> None:
    status, body = await raw.get("calls.json", per_page=per_page)
    assert status == 400 and "per_page" in body["error"]


async def test_exactly_one_page() -> None:
    async with Sandbox(calls=100, clock=ManualClock(), span_days=5) as sandbox:
        async with aiohttp.ClientSession() as session:
            status, body = await Raw(sandbox, session).get("calls.json", per_page=100)
    assert status == 200 and len(body["calls"]) == 100
    assert body["total_pages"] == 1 and body["total_records"] == 100


async def test_empty_account_lists() -> None:
    async with Sandbox(calls=0, clock=ManualClock()) as sandbox, aiohttp.ClientSession() as s:
        raw = Raw(sandbox, s)
        status, body = await raw.get("calls.json")
        assert status == 200 and body["calls"] == [] and body["total_records"] == 0
        assert body["total_pages"] == 0


async def test_default_listing_is_recent_seven_days(raw: Raw, sandbox: Sandbox) -> None:
    _, everything = await raw.get("calls.json", per_page=1, **window(sandbox))
    _, recent = await raw.get("calls.json", per_page=1)
    _, explicit = await raw.get("calls.json", per_page=1, date_range="recent")
    assert recent["total_records"] == explicit["total_records"]
    assert 0 < recent["total_records"] < everything["total_records"] / 5
    oldest = dt.datetime.fromtimestamp(sandbox.clock.time(), dt.UTC) - dt.timedelta(days=8)
    _, page = await raw.get("calls.json", per_page=250)
    assert all(dt.datetime.fromisoformat(c["start_time"]) > oldest for c in page["calls"])


@pytest.mark.parametrize(
    "params",
    [{"date_range": "all_time"}, {"start_date": "2020-01-01"}, {"date_range": "someday"},
     {"start_date": "2026-12-01", "end_date": "2026-11-01"}, {"start_date": "nope"}],
)  # fmt: skip
async def test_bad_or_out_of_retention_dates_are_400(raw: Raw, params: dict[str, str]) -> None:
    status, body = await raw.get("calls.json", **params)
    assert status == 400 and body["error"]


async def test_retention_error_mentions_25_months(raw: Raw) -> None:
    _, body = await raw.get("calls.json", date_range="all_time")
    assert "25 month" in body["error"]


async def test_fields_add_optional_fields_and_unknown_is_400(raw: Raw, sandbox: Sandbox) -> None:
    status, body = await raw.get("calls.json", fields="source,tags,company_id", **window(sandbox))
    assert status == 200
    call = body["calls"][0]
    assert {"source", "tags", "company_id"} <= set(call)
    status, body = await raw.get("calls.json", fields="bogus")
    assert status == 400 and "bogus" in body["error"]


async def test_relative_pagination_like_callrail(raw: Raw, sandbox: Sandbox) -> None:
    params = {"relative_pagination": "true", "per_page": "240", **window(sandbox)}
    status, body = await raw.get("calls.json", **params)
    assert status == 200
    assert body["has_next_page"] is True
    link = URL(body["next_page"])
    assert str(link.origin()) == sandbox.origin  # its own origin, as CallRail's links are
    assert link.path.endswith("/calls")  # no .json
    assert link.query["offset"] == "1" and link.query["format"] == "json"
    assert link.query["start_date"] == params["start_date"]
    seen = [c["id"] for c in body["calls"]]
    while body["has_next_page"]:  # followed verbatim, as the reference says to
        status, body, _ = await raw.request("GET", body["next_page"])
        assert status == 200
        seen += [c["id"] for c in body["calls"]]
    assert body["next_page"] is None
    assert len(seen) == 1000 == len(set(seen))


async def test_relative_pages_shift_under_inserts(raw: Raw, sandbox: Sandbox) -> None:
    params = {"relative_pagination": "true", "per_page": "100", **window(sandbox)}
    _, first = await raw.get("calls.json", **params)
    new_ids = sandbox.insert_calls(10)
    status, second = await raw.get("calls.json", offset="1", **params)
    assert status == 200
    overlap = {c["id"] for c in first["calls"]} & {c["id"] for c in second["calls"]}
    assert len(overlap) == 10  # offset is a page index: inserts push old calls to later pages
    _, fresh = await raw.get("calls.json", **params)
    assert [c["id"] for c in fresh["calls"][:10]] == list(reversed(new_ids))


async def test_spam_is_hidden_from_listing_and_get(raw: Raw, sandbox: Sandbox) -> None:
    _, body = await raw.get("calls.json", per_page=5, **window(sandbox))
    victim = body["calls"][0]["id"]
    assert sandbox.mark_spam([victim]) == 1
    _, after = await raw.get("calls.json", per_page=5, **window(sandbox))
    assert victim not in [c["id"] for c in after["calls"]]
    assert after["total_records"] == body["total_records"] - 1
    status, _ = await raw.get(f"calls/{victim}.json")
    assert status == 404


async def test_auth_failures(raw: Raw, sandbox: Sandbox) -> None:
    url = raw.account + "calls.json"
    for headers in ({}, {"Authorization": 'Token token="wrong"'}, {"Authorization": "Bearer x"}):
        status, body, _ = await raw.request("GET", url, headers=headers)
        assert status == 401 and body["error"]
    status, _, _ = await raw.request(
        "GET", url, headers={"Authorization": f"Token token={sandbox.api_key}"}
    )
    assert status == 200  # the unquoted form works too


async def test_404s(raw: Raw, sandbox: Sandbox) -> None:
    assert (await raw.get("calls/CAL00000000000000000000000000000000.json"))[0] == 404
    assert (await raw.get("companies/COMnope.json"))[0] == 404
    assert (await raw.get("no_such_things.json"))[0] == 404
    status, body, _ = await raw.request("GET", f"{sandbox.base_url}a/ACCnope/calls.json")
    assert status == 404 and body == {"error": "Account not found"}


async def test_integrations_require_company_id(raw: Raw, sandbox: Sandbox) -> None:
    status, body = await raw.get("integrations.json")
    assert status == 400 and "company_id" in body["error"]
    company = next(iter(sandbox.account().collections["companies"]))
    status, body = await raw.get("integrations.json", company_id=company)
    assert status == 200 and len(body["integrations"]) == 1
    assert "signing_key" not in body["integrations"][0]
    _, body = await raw.get("integrations.json", company_id=company, fields="signing_key")
    assert len(body["integrations"][0]["signing_key"]) == 32


async def test_call_update_persists(raw: Raw, sandbox: Sandbox) -> None:
    _, body = await raw.get("calls.json", per_page=1, **window(sandbox))
    call_id = body["calls"][0]["id"]
    url = f"{raw.account}calls/{call_id}.json"
    status, updated, _ = await raw.request(
        "PUT", url, headers=raw.auth, json={"note": "Follow up", "tags": ["Hot"]}
    )
    assert status == 200 and updated["id"] == call_id
    await raw.request("PUT", url, headers=raw.auth, json={"tags": ["VIP"], "append_tags": True})
    status, fetched = await raw.get(f"calls/{call_id}.json", fields="note,tags")
    assert fetched["note"] == "Follow up" and fetched["tags"] == ["Hot", "VIP"]
    status, body, _ = await raw.request("PUT", url, headers=raw.auth, data="note=x")
    assert status == 406
    status, body, _ = await raw.request("PUT", url, headers=raw.auth, json={"lead_status": "meh"})
    assert status == 400


async def test_tag_writes_persist(raw: Raw, sandbox: Sandbox) -> None:
    company = next(iter(sandbox.account().collections["companies"]))
    status, tag, _ = await raw.request(
        "POST", raw.account + "tags.json", headers=raw.auth,
        json={"name": "Hot Lead", "company_id": company, "color": "red1"},
    )  # fmt: skip
    assert status == 201 and isinstance(tag["id"], str)
    status, _, _ = await raw.request(
        "POST", raw.account + "tags.json", headers=raw.auth,
        json={"name": "Bad", "company_id": company, "color": "mauve"},
    )  # fmt: skip
    assert status == 400
    url = f"{raw.account}tags/{tag['id']}.json"
    status, updated, _ = await raw.request("PUT", url, headers=raw.auth, json={"disabled": True})
    assert status == 200 and updated["status"] == "disabled"
    _, listing = await raw.get("tags.json", company_id=company, per_page=250)
    assert any(t["id"] == int(tag["id"]) and t["status"] == "disabled" for t in listing["tags"])
    status, _, _ = await raw.request("DELETE", url, headers=raw.auth)
    assert status == 204
    assert (await raw.request("DELETE", url, headers=raw.auth))[0] == 404


async def test_summary_and_timeseries_agree_with_listing(raw: Raw, sandbox: Sandbox) -> None:
    span = window(sandbox)
    _, listing = await raw.get("calls.json", per_page=1, **span)
    status, summary = await raw.get(
        "calls/summary.json", group_by="source", fields="total_calls,answered_calls", **span
    )
    assert status == 200
    assert summary["total_results"]["total_calls"] == listing["total_records"]
    assert sum(g["total_calls"] for g in summary["grouped_results"]) == listing["total_records"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$", summary["start_date"])
    status, series = await raw.get("calls/timeseries.json", interval="week", **span)
    assert status == 200
    assert sum(p["total_calls"] for p in series["data"]) == listing["total_records"]
    status, _ = await raw.get("calls/timeseries.json", interval="hour", **span)
    assert status == 400  # over 200 points


async def test_rate_limits_under_simulated_clock() -> None:
    clock = ManualClock()
    limits = RateLimitWindows(general=[(5, 3600), (8, 86400)])
    async with Sandbox(calls=10, clock=clock, rate_limits=limits) as sandbox:
        async with aiohttp.ClientSession() as session:
            raw = Raw(sandbox, session)
            statuses = [(await raw.get("companies.json"))[0] for _ in range(6)]
            assert statuses == [200] * 5 + [429]
            status, body, headers = await raw.request("GET", raw.account + "companies.json")
            assert status == 429 and "Retry-After" not in headers and body["error"]
            clock.advance(3601)
            statuses = [(await raw.get("companies.json"))[0] for _ in range(4)]
            assert statuses == [200, 200, 200, 429]  # the daily window still binds
            sandbox.rate_limits = RateLimitWindows(general=[(1, 60)], retry_after=True)
            await raw.get("companies.json")
            status, _, headers = await raw.request("GET", raw.account + "companies.json")
            assert status == 429 and 1 <= int(headers["Retry-After"]) <= 60
    assert sandbox.stats.count(status=429) >= 3


@pytest.mark.parametrize("kind", ["500", "502", "503"])
async def test_status_faults(kind: str) -> None:
    async with Sandbox(calls=10, faults=Faults(rate=1.0, kinds=(kind,))) as sandbox:  # type: ignore[arg-type]
        async with aiohttp.ClientSession() as session:
            status, body = await Raw(sandbox, session).get("companies.json")
    assert status == int(kind) and body["error"]
    assert sandbox.stats.log[-1].fault == kind


async def test_429_burst_with_and_without_retry_after() -> None:
    faults = Faults(rate=1.0, kinds=("429",), burst=3)
    async with Sandbox(calls=10, faults=faults) as sandbox, aiohttp.ClientSession() as s:
        raw = Raw(sandbox, s)
        first = await raw.request("GET", raw.account + "companies.json")
        sandbox.faults = None
        assert first[0] == 429 and "Retry-After" not in first[2]
        sandbox.faults = Faults(rate=1.0, kinds=("429_retry_after",), retry_after=2)
        status, _, headers = await raw.request("GET", raw.account + "companies.json")
        assert status == 429 and headers["Retry-After"] == "2"


async def test_burst_continues_after_first_429() -> None:
    faults = Faults(rate=0.0, burst=3)
    faults._burst_left = 2
    async with Sandbox(calls=10, faults=faults) as sandbox, aiohttp.ClientSession() as s:
        raw = Raw(sandbox, s)
        statuses = [(await raw.get("companies.json"))[0] for _ in range(3)]
    assert statuses == [429, 429, 200]


async def test_truncated_json_fault() -> None:
    async with Sandbox(calls=10, faults=Faults(rate=1.0, kinds=("truncate",))) as sandbox:
        async with aiohttp.ClientSession() as session:
            status, body = await Raw(sandbox, session).get("companies.json")
    assert status == 200 and isinstance(body, str) and body.startswith('{"page"')


async def test_connection_reset_mid_body() -> None:
    async with Sandbox(calls=10, faults=Faults(rate=1.0, kinds=("reset",))) as sandbox:
        async with aiohttp.ClientSession() as session:
            raw = Raw(sandbox, session)
            with pytest.raises(aiohttp.ClientPayloadError):
                await raw.get("companies.json")


async def test_latency_and_slow_body_faults() -> None:
    import time

    faults = Faults(rate=1.0, kinds=("latency",), latency_seconds=0.2)
    async with Sandbox(calls=10, faults=faults) as sandbox, aiohttp.ClientSession() as s:
        raw = Raw(sandbox, s)
        started = time.monotonic()
        status, _ = await raw.get("companies.json")
        assert status == 200 and time.monotonic() - started >= 0.19
        sandbox.faults = Faults(rate=1.0, kinds=("slow_body",), latency_seconds=0.2)
        started = time.monotonic()
        status, body = await raw.get("companies.json")
        assert status == 200 and body["companies"] and time.monotonic() - started >= 0.15


async def test_faults_are_deterministic_from_seed() -> None:
    draws = [[Faults(rate=0.3, seed=7).draw() for _ in range(1)] for _ in range(2)]
    first = Faults(rate=0.3, seed=7)
    second = Faults(rate=0.3, seed=7)
    assert [first.draw() for _ in range(200)] == [second.draw() for _ in range(200)]
    assert draws[0] == draws[1]


@pytest.mark.parametrize(
    ("style", "check"),
    [
        ("errors", lambda b: b == {"errors": {"base": ["Call not found"]}}),
        ("text", lambda b: b == "Call not found"),
        ("html", lambda b: isinstance(b, str) and "<html>" in b and "Call not found" in b),
    ],
)
async def test_undocumented_error_shapes(style: str, check: object) -> None:
    async with Sandbox(calls=10, error_style=style) as sandbox, aiohttp.ClientSession() as s:  # type: ignore[arg-type]
        status, body = await Raw(sandbox, s).get("calls/CAL0.json")
    assert status == 404 and check(body)  # type: ignore[operator]


async def test_maton_gateway_auth_and_connections() -> None:
    async with Sandbox(calls=20, accounts=2) as sandbox, aiohttp.ClientSession() as s:
        bearer = {"Authorization": f"Bearer {sandbox.maton_api_key}"}
        url = sandbox.maton_base_url + "a.json"
        raw = Raw(sandbox, s)
        status, body, _ = await raw.request("GET", url, headers=bearer)
        assert status == 200 and [a["id"] for a in body["accounts"]] == [sandbox.account_id]
        status, listing, _ = await raw.request(
            "GET", f"{sandbox.origin}/connections", headers=bearer
        )
        second = listing["connections"][1]["connection_id"]
        status, body, _ = await raw.request(
            "GET", url, headers={**bearer, "Maton-Connection": second}
        )
        assert body["accounts"][0]["id"] == sandbox.account(1).id
        assert "created_at" in body["accounts"][0]  # as the gateway's example shows
        bad = {**bearer, "Maton-Connection": "nope"}
        assert (await raw.request("GET", url, headers=bad))[0] == 400
        assert (await raw.request("GET", url, headers={"Authorization": "Bearer x"}))[0] == 401
        token = {"Authorization": f'Token token="{sandbox.api_key}"'}
        assert (await raw.request("GET", url, headers=token))[0] == 401
        conns = f"{sandbox.origin}/connections"
        status, created, _ = await raw.request(
            "POST", conns, headers=bearer, json={"app": "callrail"}
        )
        assert created["connection"]["status"] == "PENDING"
        assert created["connection"]["url"].startswith("https://connect.maton.ai/")
        new_id = created["connection"]["connection_id"]
        _, pending, _ = await raw.request(
            "GET", conns, headers=bearer, params={"app": "callrail", "status": "PENDING"}
        )
        assert [c["connection_id"] for c in pending["connections"]] == [new_id]
        status, got, _ = await raw.request("GET", f"{conns}/{new_id}", headers=bearer)
        assert got["connection"]["connection_id"] == new_id
        status, deleted, _ = await raw.request("DELETE", f"{conns}/{new_id}", headers=bearer)
        assert status == 200 and deleted["connection"]["connection_id"] == new_id
        assert (await raw.request("GET", f"{conns}/{new_id}", headers=bearer))[0] == 404


async def test_maton_next_page_points_upstream() -> None:
    async with Sandbox(calls=300, next_page_host="self") as sandbox, aiohttp.ClientSession() as s:
        bearer = {"Authorization": f"Bearer {sandbox.maton_api_key}"}
        url = f"{sandbox.maton_base_url}a/{sandbox.account_id}/calls.json"
        _, body, _ = await Raw(sandbox, s).request(
            "GET", url, headers=bearer, params={"relative_pagination": "true", "per_page": "10"}
        )
        assert body["next_page"].startswith("https://api.callrail.com/v3/")
        direct = f"{sandbox.base_url}a/{sandbox.account_id}/calls.json"
        _, body, _ = await Raw(sandbox, s).request(
            "GET", direct, params={"relative_pagination": "true", "per_page": "10"}
        )
        assert body["next_page"].startswith(sandbox.origin + "/v3/")


async def test_data_is_deterministic_from_seed() -> None:
    first = Sandbox(calls=50, seed=3, clock=ManualClock())
    again = Sandbox(calls=50, seed=3, clock=ManualClock())
    other = Sandbox(calls=50, seed=4, clock=ManualClock())
    assert first.call_ids() == again.call_ids() != other.call_ids()
    assert first.account().collections == again.account().collections


async def test_live_traffic_inserts_during_listing(raw: Raw, sandbox: Sandbox) -> None:
    sandbox.live = LiveTraffic(inserts_per_request=3, max_inserts=6)
    before = len(sandbox.call_ids())
    for _ in range(3):
        await raw.get("calls.json", per_page=1)
    assert len(sandbox.call_ids()) == before + 6


async def test_stats_count_per_endpoint_and_status(raw: Raw, sandbox: Sandbox) -> None:
    await raw.get("calls.json")
    await raw.get("calls/CALnope.json")
    assert sandbox.stats.count("calls.list", 200) == 1
    assert sandbox.stats.count("calls.get", 404) == 1
    assert sandbox.stats.total == 2


async def test_next_page_does_not_grow_when_a_client_repeats_parameters(
    raw: Raw, sandbox: Sandbox
) -> None:
    # pycallrail appends relative_pagination=true to every next_page it follows.
    params = {"relative_pagination": "true", "per_page": "10", **window(sandbox)}
    _, body = await raw.get("calls.json", **params)
    lengths = []
    for _ in range(5):
        url = URL(sandbox.base_url + body["next_page"].split("/v3/", 1)[1], encoded=True)
        status, body, _ = await raw.request(
            "GET", str(url.extend_query(relative_pagination="true"))
        )
        assert status == 200
        lengths.append(len(body["next_page"]))
    assert len(set(lengths)) <= 2  # only the offset's digits change
