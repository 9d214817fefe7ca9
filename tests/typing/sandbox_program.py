# pyright: reportUnnecessaryTypeIgnoreComment=true
"""A user's test, written against the sandbox: type-checked, never run.

``test_typing.py`` runs ``mypy --strict`` (which warns of unused ignores) and pyright (told
to, above) over this file. Each ``# type: ignore`` marks a line that must be an error: if
``Sandbox.client()`` or its keyword arguments became ``Any`` again, the ignore would be
unused and both checkers would fail.
"""

from __future__ import annotations

from typing import assert_type

from callrail_async import CallRail, ManualClock
from callrail_async.models import Call
from callrail_async.testing import Sandbox


async def a_test_against_the_sandbox() -> None:
    async with Sandbox(calls=10) as sandbox:
        async with sandbox.client(clock=ManualClock(), max_retries=2) as client:
            assert_type(client, CallRail)
            call: Call = await client.calls.get(sandbox.call_ids()[0])
            print(call.id, call.duration)
            print(call.no_such_field)  # type: ignore[attr-defined]
        async with sandbox.maton_client(connection_id="conn") as gateway:
            assert_type(gateway, CallRail)
        sandbox.client(max_retries="many")  # type: ignore[arg-type]
        sandbox.maton_client(timout=1.0)  # type: ignore[call-arg]
