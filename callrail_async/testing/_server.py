"""The sandbox server: a fake CallRail v3 (and Maton gateway) on 127.0.0.1.

This module holds the ``Sandbox`` object (its knobs, data and lifecycle). The gateway
(auth, limits, faults, stats) is in ``_gateway``, the route table in ``_routes``, the
handlers in the ``_*_api`` modules and ``_connections``.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterable
from typing import Any, Concatenate, ParamSpec

from aiohttp import web

from ..client import CallRail
from ..clock import Clock, SystemClock
from ..errors import ConfigurationError
from ..ratelimit import RateLimits
from ._connections import Connection, new_connection
from ._data import generate
from ._gateway import DIRECT_PREFIX, MATON_PREFIX, dispatch_handler, gateway_middlewares
from ._knobs import ErrorStyle, Faults, LiveTraffic, RateLimitWindows
from ._model import AccountData, SandboxData
from ._stats import RequestRecord, Stats

__all__ = ["CALLRAIL_ORIGIN", "RequestRecord", "Sandbox", "Stats"]

CALLRAIL_ORIGIN = "https://api.callrail.com"

_Options = ParamSpec("_Options")


def _takes_options_of(
    target: Callable[_Options, CallRail],
) -> Callable[[Callable[..., CallRail]], Callable[Concatenate[Sandbox, _Options], CallRail]]:
    """Give a ``(self, **kwargs)`` method the keyword parameters of ``target`` for type
    checkers, so ``sandbox.client(timout=1)`` is an error and the client is typed; at run
    time the method is unchanged."""

    def typed(
        method: Callable[..., CallRail],
    ) -> Callable[Concatenate[Sandbox, _Options], CallRail]:
        return method

    return typed


class Sandbox:
    """A fake CallRail API v3 server on 127.0.0.1, for tests, demos and benchmarks.

    ``async with Sandbox(calls=5000) as sandbox:`` starts it on a free port; point a client
    at ``sandbox.base_url`` with ``sandbox.api_key`` (or use :meth:`client`). Through
    ``sandbox.maton_base_url`` it behaves like the Maton gateway (``Bearer`` auth,
    ``Maton-Connection``, ``/connections``). The data is deterministic from ``seed``.

    Knobs (attributes, changeable while it runs): ``faults``, ``rate_limits``, ``live``,
    ``error_style``, ``latency`` (seconds added to every API response), ``next_page_host``
    (where ``next_page`` and ``recording`` links point in direct mode: ``"self"``, the
    default, this sandbox, as CallRail's own links point at itself; ``"callrail"``:
    https://api.callrail.com, for clients that rebase links; any other origin, to test that
    clients refuse it; through the Maton gateway links always point at api.callrail.com,
    as the real gateway's do),
    ``extra_call_fields`` (fields CallRail might add that clients do not know yet),
    ``forbidden_endpoints`` (endpoint names, as in ``stats``, answered with 403 as CallRail
    does for features an account lacks).
    """

    def __init__(
        self,
        *,
        calls: int = 5000,
        accounts: int = 1,
        seed: int = 1,
        companies: int = 3,
        trackers_per_company: int = 3,
        users: int = 5,
        span_days: float = 90.0,
        api_key: str = "sandbox-api-key",
        maton_api_key: str = "sandbox-maton-key",
        clock: Clock | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limits: RateLimitWindows | None = None,
        faults: Faults | None = None,
        live: LiveTraffic | None = None,
        error_style: ErrorStyle = "error",
        latency: float = 0.0,
        next_page_host: str = "self",
        extra_call_fields: dict[str, Any] | None = None,
        forbidden_endpoints: set[str] | None = None,
    ) -> None:
        for name, count in (("accounts", accounts), ("companies", companies), ("users", users)):
            if isinstance(count, bool) or not isinstance(count, int) or count < 1:
                raise ConfigurationError(f"Sandbox({name}=...) must be at least 1, got {count!r}")
        self.clock: Clock = clock or SystemClock()
        self.data: SandboxData = generate(
            seed=seed,
            accounts=accounts,
            calls=calls,
            companies=companies,
            trackers_per_company=trackers_per_company,
            users=users,
            now=self.clock.time(),
            span_days=span_days,
        )
        self.api_key = api_key
        self.maton_api_key = maton_api_key
        self.rate_limits = rate_limits
        self.faults = faults
        self.live = live
        self.error_style: ErrorStyle = error_style
        self.latency = latency
        self.next_page_host = next_page_host
        self.extra_call_fields: dict[str, Any] = dict(extra_call_fields or {})
        self.forbidden_endpoints: set[str] = set(forbidden_endpoints or ())
        self.stats = Stats()
        self.internal_errors: list[Exception] = []
        self.connections: list[Connection] = [
            new_connection(seed, account.index, "ACTIVE", self.clock.time(), account.index)
            for account in self.data.accounts
        ]
        self._connection_serials = itertools.count(len(self.connections))
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self.app = web.Application(
            client_max_size=8 * 1024 * 1024, middlewares=gateway_middlewares(self)
        )
        self.app.router.add_route("*", "/{tail:.*}", dispatch_handler(self))

    def __repr__(self) -> str:
        return f"Sandbox(origin={self.origin!r}, accounts={len(self.data.accounts)})"

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving (on a free port unless one was given)."""
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        for address in self._runner.addresses:
            self._port = int(address[1])
            break

    async def stop(self) -> None:
        """Stop serving and close open connections."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def serve_forever(self) -> None:
        """Start and serve until cancelled."""
        await self.start()
        try:
            await asyncio.Event().wait()
        finally:
            await self.stop()

    # --- addresses and data --------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port it listens on (after start)."""
        return self._port

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://{self._host}:{self._port}"

    @property
    def base_url(self) -> str:
        """The CallRail-style base URL (``.../v3/``), for ``CallRail(base_url=...)``."""
        return f"{self.origin}{DIRECT_PREFIX}"

    @property
    def maton_base_url(self) -> str:
        """The Maton-style base URL (``.../callrail/v3/``)."""
        return f"{self.origin}{MATON_PREFIX}"

    @property
    def account_id(self) -> str:
        """The first account's ``ACC…`` id."""
        return self.data.accounts[0].id

    def account(self, index: int = 0) -> AccountData:
        """An account's data."""
        return self.data.accounts[index]

    def call_ids(self, account: int = 0) -> list[str]:
        """Ids of every visible (not spam) call of an account, oldest first."""
        store = self.data.accounts[account].calls
        hidden = set(store.spam)
        return [store.id_of(i) for i in range(len(store)) if i not in hidden]

    def insert_calls(self, count: int, account: int = 0) -> list[str]:
        """Add ``count`` new calls at the sandbox's "now"; returns their ids."""
        store = self.data.accounts[account].calls
        return [store.id_of(store.append(self.clock.time())) for _ in range(count)]

    def mark_spam(self, call_ids: Iterable[str], account: int = 0) -> int:
        """Hide calls from listings as CallRail does for spam; returns how many were hidden."""
        store = self.data.accounts[account].calls
        hidden = 0
        for call_id in call_ids:
            index = store.index_of(call_id)
            if index is not None and store.mark_spam(index):
                hidden += 1
        return hidden

    @_takes_options_of(CallRail)
    def client(self, **kwargs: Any) -> CallRail:
        """A :class:`callrail_async.CallRail` pointed at this sandbox (direct mode); takes
        ``CallRail``'s keyword arguments, each defaulting to this sandbox's.

        Rate limiting is off unless ``rate_limits=`` is passed.
        """
        kwargs.setdefault("rate_limits", RateLimits.unlimited())
        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        self._own_account(kwargs)
        return CallRail(**kwargs)

    def _own_account(self, kwargs: dict[str, Any]) -> None:
        # A CALLRAIL_ACCOUNT_ID in the environment names another server's account: with one
        # account, say which (what discovery would find); with several, discovery decides.
        if len(self.data.accounts) == 1:
            kwargs.setdefault("account_id", self.account_id)

    @_takes_options_of(CallRail)
    def maton_client(self, **kwargs: Any) -> CallRail:
        """A :class:`callrail_async.CallRail` pointed at this sandbox's gateway (Maton mode);
        takes ``CallRail``'s keyword arguments, each defaulting to this sandbox's.

        Rate limiting is off unless ``rate_limits=`` is passed.
        """
        kwargs.setdefault("rate_limits", RateLimits.unlimited())
        kwargs.setdefault("maton_api_key", self.maton_api_key)
        kwargs.setdefault("base_url", self.maton_base_url)
        self._own_account(kwargs)
        return CallRail(**kwargs)

    # --- knobs read by the gateway ------------------------------------------------------

    def next_connection_serial(self) -> int:
        """A fresh serial for a new Maton connection (its id derives from seed and serial)."""
        return next(self._connection_serials)

    def next_page_origin(self, maton: bool) -> str:
        """Where ``next_page`` and ``recording`` links point: this sandbox (``"self"``),
        CallRail's host (``"callrail"``, and always through the gateway), or any other
        origin given (to test that clients refuse it)."""
        if maton or self.next_page_host == "callrail":
            return CALLRAIL_ORIGIN
        return self.origin if self.next_page_host == "self" else self.next_page_host
