"""Bad input to any public entry point raises one of our exceptions (a ``CallRailError``;
the argument ones are also ``ValueError``), never a bare ``ValueError`` or ``TypeError``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from aioresponses import aioresponses

from callrail_async import (
    CallRail,
    CallRailError,
    ConfigurationError,
    InvalidArgumentError,
    RateLimits,
    Window,
)
from callrail_async.dates import check_retention, timeseries_windows
from callrail_async.webhooks import verify_and_parse, webhook_handler

SYNC: list[tuple[str, Callable[[], Any]]] = [
    ("Window(limit=0)", lambda: Window(limit=0, seconds=60)),
    ("Window(seconds=inf)", lambda: Window(limit=1, seconds=float("inf"))),
    ("Window(burst>limit)", lambda: Window(limit=2, seconds=60, burst=3)),
    ("RateLimits(margin=-1)", lambda: RateLimits(margin=-1)),
    ("timeseries_windows(end<start)",
     lambda: timeseries_windows(dt.date(2026, 2, 1), dt.date(2026, 1, 1))),
    ("timeseries_windows(interval)",
     lambda: timeseries_windows(dt.date(2026, 1, 1), dt.date(2026, 1, 2), "fortnight")),
    ("check_retention(old)", lambda: check_retention(dt.date(2000, 1, 1))),
    ("verify_and_parse(no key)", lambda: verify_and_parse(b"{}", {}, "")),
    ("webhook_handler(no key)", lambda: webhook_handler(signing_key="", on_event=_noop)),
    ("webhook_handler(key\\n)", lambda: webhook_handler(signing_key="k\n", on_event=_noop)),
    ("verify_and_parse(bytes key)", lambda: verify_and_parse(b"{}", {"Signature": "x"}, b"k")),  # type: ignore[arg-type]
    ("verify_and_parse(headers list)",
     lambda: verify_and_parse(b"{}", [("Signature", "x")], "k")),  # type: ignore[arg-type]
    ("verify_and_parse(tolerance str)",
     lambda: verify_and_parse(b"{}", {}, "k", tolerance="60")),  # type: ignore[arg-type]
    ("webhook_handler(bytes key)",
     lambda: webhook_handler(signing_key=b"k", on_event=_noop)),  # type: ignore[arg-type]
    ("Window(burst=10**5000)", lambda: Window(limit=5, seconds=60, burst=10**5000)),
    ("Window(seconds=10**400)", lambda: Window(limit=5, seconds=10**400)),
    ("Window(seconds=10**5000)", lambda: Window(limit=5, seconds=10**5000)),
    ("RateLimits(margin=10**400)", lambda: RateLimits(margin=10**400)),
    ("RateLimits(margin=None)", lambda: RateLimits(margin=None)),  # type: ignore[arg-type]
    ("RateLimits(max_pause='300')", lambda: RateLimits(max_pause="300")),  # type: ignore[arg-type]
    ("RateLimits(general=Window)",
     lambda: RateLimits(general=Window(limit=1, seconds=1))),  # type: ignore[arg-type]
    ("CallRail(rate_limits='off')",
     lambda: CallRail(api_key="k", rate_limits="off")),  # type: ignore[arg-type]
    ("CallRail(rate_limit_store=path)",
     lambda: CallRail(api_key="k", rate_limit_store="/tmp/x.db")),  # type: ignore[arg-type]
    ("CallRail(log_bodies=10**5000)", lambda: CallRail(api_key="k", log_bodies=10**5000)),
]  # fmt: skip


async def _noop(event: object) -> None:
    return None


@pytest.mark.parametrize(("what", "call"), SYNC, ids=[w for w, _ in SYNC])
def test_bad_input_raises_our_error(what: str, call: Callable[[], Any]) -> None:
    with pytest.raises(CallRailError) as caught:
        call()
    assert isinstance(caught.value, ConfigurationError | InvalidArgumentError), what
    assert isinstance(caught.value, ValueError)  # still caught by `except ValueError`


ASYNC: list[tuple[str, Callable[[CallRail], Any]]] = [
    ("page(0)", lambda c: c.companies.list().page(0)),
    ("page() on links", lambda c: c.calls.list(relative=True).page(1)),
    ("collect(-1)", lambda c: c.companies.list().collect(-1)),
    ("per_page of 5000 digits", lambda c: c.calls.list(per_page=10**5000).collect()),
    ("order of 5000 digits",
     lambda c: c.calls.list(order=10**5000).collect()),  # type: ignore[arg-type]
    ("order as a list", lambda c: c.calls.list(order=["asc"]).collect()),  # type: ignore[arg-type]
    ("fields as a number", lambda c: c.calls.list(fields=7).collect()),  # type: ignore[arg-type]
    ("fields as a dict", lambda c: c.calls.get("CAL1", fields={"a": 1})),  # type: ignore[arg-type]
    ("tags as a number", lambda c: c.calls.summary(tags=5)),  # type: ignore[arg-type]
    ("id of 5000 digits", lambda c: c.tags.get(10**5000)),
    ("company_id of 5000 digits", lambda c: c.trackers.list(company_id=10**5000).collect()),
    ("users.create without companies",
     lambda c: c.users.create(first_name="a", last_name="b", email="e@x.io", role="manager")),
    ("thread per_page str", lambda c: c.sms_threads.get("SCI1", per_page="50")),
    ("thread per_page huge", lambda c: c.sms_threads.get("SCI1", per_page=10**5000)),
    ("conversation page huge", lambda c: c.text_messages.get("1", page=10**5000)),
    ("conversation page str", lambda c: c.text_messages.get("1", page="2")),
    ("person_lead object", lambda c: c.form_submissions.list(person_lead=object()).collect()),
]  # fmt: skip


@pytest.mark.parametrize(("what", "use"), ASYNC, ids=[w for w, _ in ASYNC])
async def test_bad_use_of_a_client_raises_our_error(
    what: str, use: Callable[[CallRail], Any]
) -> None:
    with aioresponses() as mocked:
        async with CallRail(api_key="k", account_id="ACC1") as client:
            with pytest.raises(InvalidArgumentError):
                await use(client)
        assert not mocked.requests, what


def test_the_sync_source_refuses_bad_options_with_our_error() -> None:
    pytest.importorskip("dlt")
    from callrail_async.sync.command import destination
    from callrail_async.sync.source import callrail_source

    client_options = {"api_key": "k"}
    for bad in (
        {"resources": ["nope"]},
        {"lookback": dt.timedelta(days=-1)},
        {"start_date": dt.datetime(2026, 1, 1)},
        {"account_concurrency": 0},
        {"account_concurrency": "8"},
        {"start_date": dt.date(2026, 1, 1)},  # a day, not an aware datetime
        {"start_date": "2026-01-01"},
        {"lookback": 7},
        {"resources": None},
        {"call_fields": "all"},  # read letter by letter
        {"call_fields": ["no such field"]},
        {"accounts": ["ACC/../x"]},
        {"client_options": {"api_kye": "k"}},
        {"client_options": [("api_key", "k")]},
    ):
        with pytest.raises(ConfigurationError):
            callrail_source(**{"client_options": client_options, **bad})
    with pytest.raises(ConfigurationError) as caught:
        destination("postgress://user:s3cret@db.example/x")
    assert "s3cret" not in str(caught.value) and "postgress://user:***@" in str(caught.value)


@pytest.mark.parametrize("field", ["accounts", "companies", "users"])
def test_a_sandbox_without_accounts_companies_or_users_is_refused(field: str) -> None:
    from callrail_async.testing import Sandbox

    with pytest.raises(ConfigurationError, match=field):
        Sandbox(**{field: 0})


def test_an_unknown_export_resource_is_described_not_echoed() -> None:
    from callrail_async.export import ExportError, ExportOptions

    with pytest.raises(ExportError) as caught:
        ExportOptions(resource="jane.roe@example.com", out=None).validate()
    assert "jane" not in str(caught.value) and "unknown resource" in str(caught.value)


@pytest.mark.parametrize("bad", ["2026-01-01", 20260101, None])
def test_the_date_helpers_refuse_what_is_not_a_date(bad: Any) -> None:
    with pytest.raises(InvalidArgumentError, match=r"datetime\.date"):
        check_retention(bad)
    with pytest.raises(InvalidArgumentError, match=r"datetime\.date"):
        timeseries_windows(bad, dt.date(2026, 1, 2))
    with pytest.raises(InvalidArgumentError, match=r"datetime\.date"):
        timeseries_windows(dt.date(2026, 1, 2), bad)
