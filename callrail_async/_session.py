"""The HTTP session of a client and its ``with_connection()`` children: created on first
use in one event loop, refused after close, and its connection slots.

A request takes a slot before it asks aiohttp for a connection, so waiting for a pooled
connection happens here (bounded by ``total_timeout``) and the per-attempt ``timeout`` only
starts once the request has a connection. Slots belong to the session: clients sharing a
caller's session share its slots.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator

import aiohttp

from .errors import ClientClosedError, WrongEventLoopError

_SLOTS: weakref.WeakKeyDictionary[aiohttp.ClientSession, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


class SessionPool:
    """One ``aiohttp.ClientSession`` (the caller's, or one created on first use) shared by a
    client and the clients derived from it."""

    def __init__(self, session: aiohttp.ClientSession | None, connection_limit: int) -> None:
        self._session = session
        self._owns_session = session is None
        self._connection_limit = connection_limit
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    def check(self) -> None:
        """Raise :class:`ClientClosedError` after :meth:`close`, and
        :class:`WrongEventLoopError` from an event loop other than the first one used."""
        if self.closed:
            raise ClientClosedError("this client is closed; create a new CallRail client")
        loop = asyncio.get_running_loop()
        if self._loop is None:
            self._loop = loop
        elif loop is not self._loop:
            raise WrongEventLoopError(
                "this client's HTTP session belongs to another event loop (a client first "
                "used under one asyncio.run() cannot be used under another); create the "
                "client inside the event loop that uses it"
            )

    def session(self) -> aiohttp.ClientSession:
        """The session, created on first use when the caller supplied none (see :meth:`check`)."""
        self.check()
        if self._session is None:
            connector = aiohttp.TCPConnector(limit=self._connection_limit)
            self._session = aiohttp.ClientSession(connector=connector, trust_env=False)
        return self._session

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[aiohttp.ClientSession]:
        """Wait for a free connection slot, then hold it while the block runs."""
        session = self.session()
        slots = _SLOTS.get(session)
        if slots is None:
            slots = _SLOTS[session] = asyncio.Semaphore(
                _slot_count(session, self._connection_limit)
            )
        async with slots:
            yield self.session()  # closed while waiting? then refuse now

    async def close(self) -> None:
        """Refuse further use; close the session if this pool created it."""
        self.closed = True
        session, self._session = self._session, None
        if self._owns_session and session is not None and not session.closed:
            await session.close()


def _slot_count(session: aiohttp.ClientSession, default: int) -> int:
    """How many requests may hold a connection at once: the connector's limits (a caller's
    session may have its own), else ``default``."""
    connector = session.connector
    limits = [default]
    if isinstance(connector, aiohttp.BaseConnector):
        limits = [n for n in (connector.limit, connector.limit_per_host) if n] or [default]
    return min(limits)
