"""The HTTP session of a client and its ``with_connection()`` children: created on first
use in one event loop, refused after close, and its connection slots.

Every call in progress is registered here with the transport that makes it: closing a
client ends its calls at once (they raise :class:`ClientClosedError`), whatever they wait
for (a retry sleep, the rate limiter, a response, a download's next bytes).

A request takes a slot before it asks aiohttp for a connection, so waiting for a pooled
connection happens here (bounded by ``total_timeout``) and the per-attempt ``timeout`` only
starts once the request has a connection. Slots belong to the session: clients sharing a
caller's session share its slots.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator, Iterator
from typing import Any

import aiohttp

from .errors import ClientClosedError, WrongEventLoopError

_SLOTS: weakref.WeakKeyDictionary[aiohttp.ClientSession, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


class SessionPool:
    """One ``aiohttp.ClientSession`` (the caller's, or one created on first use) shared by a
    client and the clients derived from it."""

    def __init__(
        self,
        session: aiohttp.ClientSession | None,
        connection_limit: int,
        *,
        trust_env: bool = False,
    ) -> None:
        self._trust_env = trust_env
        self._session = session
        self._owns_session = session is None
        self._connection_limit = connection_limit
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False
        self._calls: dict[asyncio.Task[Any], object] = {}  # call in progress -> its transport
        self._ended: set[asyncio.Task[Any]] = set()  # cancelled by a close, not yet told

    @contextlib.contextmanager
    def call(self, owner: object) -> Iterator[None]:
        """Register the current task's call for ``owner`` while the block runs; if a close
        (:meth:`end_calls`) cancels it, the block raises :class:`ClientClosedError` instead
        of ``CancelledError`` (unless the task was also cancelled by someone else)."""
        task = asyncio.current_task()
        assert task is not None
        self._calls[task] = owner
        closed = False
        try:
            yield
        except asyncio.CancelledError:
            if task not in self._ended:
                raise
            self._ended.discard(task)
            if task.uncancel() > 0:  # cancelled by its owner too: that one wins
                raise
            closed = True
        finally:
            self._calls.pop(task, None)
            self._ended.discard(task)
        if closed:  # raised outside `except`: no CancelledError chained
            raise ClientClosedError("the client was closed while this call was in progress")

    def end_calls(self, owner: object | None = None) -> None:
        """Cancel the calls in progress of ``owner`` (every owner's when ``None``), except
        the current task's; each raises :class:`ClientClosedError` (see :meth:`call`)."""
        current = asyncio.current_task()
        for task, task_owner in list(self._calls.items()):
            if task is current or task in self._ended or task.done():
                continue
            if owner is None or task_owner is owner:
                self._ended.add(task)
                task.cancel("callrail_async: client closed")

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
            self._session = aiohttp.ClientSession(connector=connector, trust_env=self._trust_env)
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
        """Refuse further use, end every call in progress, and close the session if this
        pool created it."""
        self.closed = True
        if self._loop is not None and asyncio.get_running_loop() is not self._loop:
            raise WrongEventLoopError(
                "this client is now closed to further use, but its HTTP session belongs to "
                "the event loop it ran in and can only be closed there: close the client "
                "inside that loop (e.g. `async with CallRail() as client:` in the same "
                "asyncio.run())"
            )
        self.end_calls()
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
