"""Fixtures: the SDK against the sandbox on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from callrail_async import CallRail, ManualClock
from callrail_async.testing import Sandbox


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(calls=2000, span_days=60) as sb:
        yield sb


@pytest.fixture
async def client(sandbox: Sandbox) -> AsyncIterator[CallRail]:
    async with sandbox.client(clock=ManualClock()) as api:
        yield api
