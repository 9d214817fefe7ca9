"""A refused argument is described, not echoed, when it may be a person's data: a phone
number or an email passed by mistake as an id, a filter or a date never reaches the
exception text (and no request is sent)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aioresponses import aioresponses

from callrail_async import CallRail, InvalidArgumentError

PHONE, EMAIL, NAME = "+1 (555) 555-0199", "jane.roe@example.com", "Jane Roe"

Use = Callable[[CallRail], Awaitable[Any]]
USES: dict[str, Use] = {
    "id in a path": lambda c: c.calls.get(PHONE),
    "email as an id": lambda c: c.users.get(EMAIL),
    "id in a filter": lambda c: c.calls.list(company_id=EMAIL).collect(),
    "id in a body": lambda c: c.tags.create(name="x", company_id=PHONE),
    "numeric id": lambda c: c.integrations.get(EMAIL),
    "choice": lambda c: c.tags.list(status=NAME).collect(),  # type: ignore[arg-type]
    "date": lambda c: c.calls.list(start_date=PHONE).collect(),
    "sort": lambda c: c.calls.list(sort=NAME).collect(),
    "fields": lambda c: c.calls.list(fields=[EMAIL]).collect(),
    "phone as an int id": lambda c: c.calls.list(per_page=15555550199).collect(),
    "summary fields": lambda c: c.calls.summary(fields=[EMAIL]),
    "phone as a duration": lambda c: c.calls.summary(min_duration=PHONE),  # type: ignore[arg-type]
    "email as a duration": lambda c: c.calls.timeseries(max_duration=EMAIL),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("use", USES.values(), ids=USES.keys())
async def test_the_refused_value_is_described_not_echoed(use: Use) -> None:
    with aioresponses() as mocked:  # nothing registered: any request would fail differently
        async with CallRail(api_key="k", account_id="ACC1") as client:
            with pytest.raises(InvalidArgumentError) as caught:
                await use(client)
        assert not mocked.requests
    text = " ".join([str(caught.value), repr(caught.value), *map(str, caught.value.args)])
    for part in ("555", "0199", "jane", "Roe", "example"):
        assert part not in text, text
    assert "got " in text  # the message still says what was wrong with it


async def test_a_misspelt_word_is_still_echoed() -> None:
    async with CallRail(api_key="k", account_id="ACC1") as client:
        with pytest.raises(InvalidArgumentError, match="got 'Inbound'"):
            client.calls.list(direction="Inbound")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match="got 500"):
            client.calls.list(per_page=500)
        with pytest.raises(InvalidArgumentError, match="'/' at position 3"):
            await client.calls.get("CAL/../x")
        with pytest.raises(InvalidArgumentError, match="naive datetime"):
            client.calls.list(start_date=dt.datetime(2026, 1, 1))


@pytest.mark.parametrize("option", ["--start-date", "--end-date"])
def test_the_command_line_describes_a_refused_date(
    option: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A phone number typed where a day belongs is not printed back (terminal logs, CI)."""
    from callrail_async.cli import main

    with pytest.raises(SystemExit):
        main(["export", "calls", option, "+15555550199", "--out", "-"])
    err = capsys.readouterr().err
    assert "5555550199" not in err and f"argument {option}: not a date" in err, err
