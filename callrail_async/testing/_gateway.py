"""The sandbox's gateway: what happens to a request before a handler sees it, as middlewares.

In order, outermost first: ``answer_errors_and_count`` (turns ``SandboxError`` and sandbox
bugs into error responses and records every answer in ``Stats``), ``authenticate`` (finds
the route, checks the key, picks the Maton connection's account, answers 403 for forbidden
endpoints), ``enforce_rate_limits``, ``inject_faults`` (status faults, latency, broken
bodies). The final handler, ``dispatch``, builds the handler's ``Ctx`` from what they found.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web

from ..clock import Clock
from ._connections import Connection, serve_connections
from ._context import Ctx, read_body, single_params
from ._errors import SandboxError, error_response
from ._knobs import ErrorStyle, FaultKind, Faults, LiveTraffic, RateLimitWindows, RollingCounter
from ._model import AccountData, SandboxData
from ._routes import Route, match_route
from ._stats import RequestRecord, Stats

logger = logging.getLogger("callrail_async.testing")

DIRECT_PREFIX = "/v3/"
MATON_PREFIX = "/callrail/v3/"
NextHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class GatewayState(Protocol):
    """What the gateway reads from the sandbox (its knobs and data) on every request."""

    clock: Clock
    data: SandboxData
    api_key: str
    maton_api_key: str
    connections: list[Connection]
    rate_limits: RateLimitWindows | None
    faults: Faults | None
    live: LiveTraffic | None
    error_style: ErrorStyle
    latency: float
    extra_call_fields: dict[str, Any]
    forbidden_endpoints: set[str]
    stats: Stats
    internal_errors: list[Exception]

    def next_page_origin(self, maton: bool) -> str: ...

    def next_connection_serial(self) -> int: ...


@dataclass
class Exchange:
    """What the gateway learned about one request, for the next middleware and the handler."""

    endpoint: str = "unknown"
    account_id: str | None = None
    rate_class: str = "general"
    fault: FaultKind | None = None
    connections: bool = False
    maton: bool = False
    route: Route | None = None
    match: Mapping[str, str] | None = None
    visible: list[AccountData] | None = None
    account: AccountData | None = None


EXCHANGE = web.RequestKey("callrail_sandbox_exchange", Exchange)


def gateway_middlewares(state: GatewayState) -> list[Any]:
    """The middlewares, outermost first, reading knobs from ``state`` on each request."""

    @web.middleware
    async def answer_errors_and_count(
        request: web.Request, handler: NextHandler
    ) -> web.StreamResponse:
        exchange = request[EXCHANGE] = Exchange()
        try:
            response = await handler(request)
        except SandboxError as exc:
            response = error_response(exc.status, exc.message, state.error_style, exc.headers)
        except Exception as exc:  # a sandbox bug: answer like a server fault, keep the evidence
            logger.exception("sandbox handler failed on %s %s", request.method, request.path)
            state.internal_errors.append(exc)
            response = error_response(500, "Internal Server Error", state.error_style)
        state.stats.record(
            RequestRecord(
                time=state.clock.time(),
                method=request.method,
                path=request.path,
                endpoint=exchange.endpoint,
                account=exchange.account_id,
                rate_class=exchange.rate_class,
                status=response.status,
                fault=exchange.fault,
            )
        )
        return response

    @web.middleware
    async def authenticate(request: web.Request, handler: NextHandler) -> web.StreamResponse:
        exchange, path = request[EXCHANGE], request.path
        if path == "/connections" or path.startswith("/connections/"):
            exchange.endpoint, exchange.connections = "connections", True
            _check_maton_key(request, state)
            return await handler(request)
        maton = exchange.maton = path.startswith(MATON_PREFIX)
        if not maton and not path.startswith(DIRECT_PREFIX):
            raise SandboxError(404, "Not found")
        route, match = match_route(
            request.method, path[len(MATON_PREFIX if maton else DIRECT_PREFIX) :]
        )
        exchange.route, exchange.match = route, match
        exchange.endpoint, exchange.rate_class = route.endpoint(match), route.rate_class
        visible = exchange.visible = _visible_accounts(request, state, maton)
        account = exchange.account = _account(visible, match.get("aid"))
        if exchange.endpoint in state.forbidden_endpoints:
            raise SandboxError(403, "You do not have permission to perform the requested action")
        exchange.account_id = account.id if account else (visible[0].id if visible else None)
        return await handler(request)

    counters: dict[tuple[str, str, int, float], RollingCounter] = {}

    def counter(key: str, rate_class: str, limit: int, seconds: float) -> RollingCounter:
        index = (key, rate_class, limit, seconds)
        found = counters.get(index)
        if found is None:
            found = counters[index] = RollingCounter(limit, seconds)
        return found

    @web.middleware
    async def enforce_rate_limits(request: web.Request, handler: NextHandler) -> web.StreamResponse:
        exchange, limits = request[EXCHANGE], state.rate_limits
        if limits is None or exchange.connections:
            return await handler(request)
        now = state.clock.time()
        chosen = []
        if exchange.maton and limits.maton_per_second:
            chosen.append(counter("maton", "gateway", limits.maton_per_second, 1.0))
        for limit, seconds in limits.windows(exchange.rate_class):
            chosen.append(counter(exchange.account_id or "-", exchange.rate_class, limit, seconds))
        blocked = [c for c in chosen if c.would_exceed(now)]
        if blocked:
            wait = max(c.wait_time(now) for c in blocked)
            headers = {"Retry-After": str(max(1, round(wait)))} if limits.retry_after else None
            raise SandboxError(429, "Rate limit exceeded. Please try again later.", headers)
        for each in chosen:
            each.add(now)
        return await handler(request)

    @web.middleware
    async def inject_faults(request: web.Request, handler: NextHandler) -> web.StreamResponse:
        exchange, faults = request[EXCHANGE], state.faults
        if exchange.connections:
            return await handler(request)
        fault = exchange.fault = faults.draw() if faults else None
        if fault in ("500", "502", "503", "429", "429_retry_after"):
            raise _fault_error(fault, faults)
        if state.latency:
            await asyncio.sleep(state.latency)
        if fault == "latency" and faults is not None:
            await asyncio.sleep(faults.latency_seconds)
        response = await handler(request)
        if fault in ("truncate", "reset", "slow_body") and faults is not None:
            response = await _body_fault(request, response, fault, faults)
        return response

    return [answer_errors_and_count, authenticate, enforce_rate_limits, inject_faults]


def dispatch_handler(state: GatewayState) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """The application's one aiohttp handler: the Maton connections API or an API route."""

    async def dispatch(request: web.Request) -> web.StreamResponse:
        exchange = request[EXCHANGE]
        if exchange.connections:
            return await serve_connections(
                request,
                state.connections,
                state.data.seed,
                state.clock.time(),
                state.next_connection_serial,
            )
        assert exchange.route is not None and exchange.match is not None
        assert exchange.visible is not None
        ctx = Ctx(
            request=request,
            clock=state.clock,
            account=exchange.account,
            account_key=exchange.match.get("aid", ""),
            params=single_params(request),
            maton=exchange.maton,
            body=await read_body(request, multipart=exchange.route.multipart),
            match=dict(exchange.match),
            visible=exchange.visible,
            link_origin=state.next_page_origin(exchange.maton),
            live=state.live,
            extra_call_fields=state.extra_call_fields,
        )
        return await exchange.route.handler(ctx)

    return dispatch


def _check_maton_key(request: web.Request, state: GatewayState) -> None:
    if request.headers.get("Authorization", "") != f"Bearer {state.maton_api_key}":
        raise SandboxError(401, "Invalid API key")


def _visible_accounts(request: web.Request, state: GatewayState, maton: bool) -> list[AccountData]:
    """The accounts the request's credentials see (Maton: the chosen connection's one)."""
    if maton:
        _check_maton_key(request, state)
        chosen = request.headers.get("Maton-Connection")
        active = [c for c in state.connections if c["status"] == "ACTIVE"]
        if chosen:
            active = [c for c in active if c["connection_id"] == chosen]
        if not active or active[0].get("account") is None:
            raise SandboxError(400, "No active connection found for app callrail")
        return [state.data.accounts[active[0]["account"]]]
    header = request.headers.get("Authorization", "")
    if header not in (f'Token token="{state.api_key}"', f"Token token={state.api_key}"):
        raise SandboxError(401, "HTTP Token: Access denied.")
    return list(state.data.accounts)


def _account(visible: list[AccountData], aid: str | None) -> AccountData | None:
    if aid is None:
        return None
    for account in visible:
        if aid in (account.id, str(account.record["numeric_id"])):
            return account
    raise SandboxError(404, "Account not found")


def _fault_error(fault: FaultKind, faults: Faults | None) -> SandboxError:
    if fault in ("429", "429_retry_after"):
        headers = None
        if fault == "429_retry_after" and faults is not None:
            headers = {"Retry-After": str(faults.retry_after)}
        return SandboxError(429, "Rate limit exceeded. Please try again later.", headers)
    messages = {"500": "Internal Server Error", "502": "Bad Gateway", "503": "Service Unavailable"}
    return SandboxError(int(fault), messages[fault])


async def _body_fault(
    request: web.Request, response: web.StreamResponse, fault: FaultKind, faults: Faults
) -> web.StreamResponse:
    body = response.body if isinstance(response, web.Response) else None
    if not isinstance(body, bytes) or len(body) < 2:
        return response
    if fault == "truncate":
        return web.Response(
            status=200, body=body[: len(body) // 2], content_type="application/json"
        )
    stream = web.StreamResponse(status=200)
    stream.content_type = "application/json"
    stream.content_length = len(body)
    await stream.prepare(request)
    if fault == "reset":
        await stream.write(body[: len(body) // 2])
        if request.transport is not None:
            request.transport.close()
        return stream
    pieces = 4
    size = -(-len(body) // pieces)
    for start in range(0, len(body), size):
        await stream.write(body[start : start + size])
        await asyncio.sleep(faults.latency_seconds / pieces)
    await stream.write_eof()
    return stream
