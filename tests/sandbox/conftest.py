"""Fixtures for pinning the sandbox's HTTP behaviour with plain aiohttp."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from callrail_async.testing import ManualClock, Sandbox


class Raw:
    """A thin plain-aiohttp client for the sandbox (no SDK code involved)."""

    def __init__(self, sandbox: Sandbox, session: aiohttp.ClientSession) -> None:
        self.sandbox = sandbox
        self.session = session
        self.auth = {"Authorization": f'Token token="{sandbox.api_key}"'}
        self.account = f"{sandbox.base_url}a/{sandbox.account_id}/"

    async def request(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> tuple[int, Any, aiohttp.typedefs.LooseHeaders]:
        async with self.session.request(
            method, url, headers=self.auth if headers is None else headers, **kwargs
        ) as response:
            raw = await response.read()
            try:
                body: Any = await response.json(content_type=None) if raw else None
            except ValueError:
                body = raw.decode()
            return response.status, body, response.headers

    async def get(self, path: str, **params: Any) -> tuple[int, Any]:
        status, body, _ = await self.request("GET", self.account + path, params=params)
        return status, body


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(calls=1000, clock=ManualClock(), span_days=60) as sb:
        yield sb


@pytest.fixture
async def raw(sandbox: Sandbox) -> AsyncIterator[Raw]:
    async with aiohttp.ClientSession() as session:
        yield Raw(sandbox, session)
