"""Attacks on ``client.options`` / ``with_options()``: wrong types, subclasses, a failing
shared account discovery, secrets in a base URL, and what a derived client leaves behind."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from callrail_async import (
    CallRail,
    ConfigurationError,
)

from .hostile import ACC, CALL_JSON, Request, Server
from .hostile import response as http_response

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
