"""The sandbox server: a fake CallRail v3 (and Maton gateway) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

import msgspec
from aiohttp import web

from ..clock import Clock, SystemClock
from . import _calls_api as calls_api
from . import _collections_api as collections_api
from . import _writes_api as writes
from ._context import Ctx, json_response
from ._data import AccountData, SandboxData, generate
from ._errors import SandboxError, error_response
from ._knobs import ErrorStyle, FaultKind, Faults, LiveTraffic, RateLimitWindows, RollingCounter

logger = logging.getLogger("callrail_async.testing")

Handler = Callable[[Ctx], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Route:
    """One API endpoint: method, path pattern below ``/v3/``, handler and a stable name."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    name: str
    rate_class: str = "general"


def _route(
    method: str, path: str, handler: Handler, name: str, rate_class: str = "general"
) -> Route:
    regex = path.replace("{aid}", r"(?P<aid>[^/.]+)").replace("{id}", r"(?P<id>[^/.]+)")
    return Route(method, re.compile(regex + r"(?:\.json)?"), handler, name, rate_class)


ROUTES: list[Route] = [
    _route("GET", "a", collections_api.list_accounts, "accounts.list"),
    _route("GET", "a/{aid}", collections_api.get_account, "accounts.get"),
    _route("GET", "a/{aid}/calls", calls_api.list_calls, "calls.list"),
    _route("POST", "a/{aid}/calls", calls_api.create_outbound, "calls.create", "outbound_call"),
    _route("GET", "a/{aid}/calls/{id}/page_views", calls_api.page_views, "calls.page_views"),
    _route("GET", "a/{aid}/calls/summary", calls_api.summary, "calls.summary"),
    _route("GET", "a/{aid}/calls/timeseries", calls_api.timeseries, "calls.timeseries"),
    _route("GET", "a/{aid}/calls/{id}/recording", calls_api.recording, "calls.recording"),
    _route("GET", "a/{aid}/calls/{id}", calls_api.get_call, "calls.get"),
    _route("PUT", "a/{aid}/calls/{id}", calls_api.update_call, "calls.update"),
    _route("POST", "a/{aid}/(?P<collection>tags)", collections_api.create_tag, "create"),
    _route("PUT", "a/{aid}/(?P<collection>tags)/{id}", collections_api.update_tag, "update"),
    _route("DELETE", "a/{aid}/(?P<collection>tags)/{id}", collections_api.delete_tag, "delete"),
    _route("POST", "a/{aid}/companies/bulk_update", writes.bulk_update, "companies.bulk_update"),
    _route(
        "POST",
        "a/{aid}/form_submissions/ignored_fields",
        writes.ignored_fields,
        "form_submissions.ignored_fields",
    ),
    _route("GET", "a/{aid}/forms/summary", writes.forms_summary, "forms.summary"),
    _route("GET", "a/{aid}/leads/{id}/timeline", writes.lead_timeline, "leads.timeline"),
    _route(
        "GET",
        "a/{aid}/text-messages/{id}/media/(?P<index>[0-9]+)",
        writes.media,
        "text-messages.media",
    ),
    _route("POST", "a/{aid}/text-messages", writes.send_text, "text-messages.send", "sms"),
    _route(
        "GET", "a/{aid}/(?P<collection>text-messages|sms-threads)/{id}", writes.conversation, "get"
    ),
    _route("GET", "a/{aid}/(?P<collection>[a-z_-]+)", collections_api.list_collection, "list"),
    _route("GET", "a/{aid}/(?P<collection>[a-z_-]+)/{id}", collections_api.get_record, "get"),
    _route("POST", "a/{aid}/(?P<collection>[a-z_-]+)", writes.create_record, "create"),
    _route("PUT", "a/{aid}/(?P<collection>[a-z_-]+)/{id}", writes.update_record, "update"),
    _route("DELETE", "a/{aid}/(?P<collection>[a-z_-]+)/{id}", writes.delete_record, "delete"),
]

DIRECT_PREFIX = "/v3/"
MATON_PREFIX = "/callrail/v3/"
CALLRAIL_ORIGIN = "https://api.callrail.com"


@dataclass(frozen=True)
class RequestRecord:
    """One request the sandbox answered."""

    time: float
    method: str
    path: str
    endpoint: str
    account: str | None
    rate_class: str
    status: int
    fault: str | None


class Stats:
    """Counters of the requests received, per endpoint and status, and the request log."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, int]] = Counter()
        self.log: list[RequestRecord] = []

    def record(self, entry: RequestRecord) -> None:
        """Count one answered request."""
        self.counts[(entry.endpoint, entry.status)] += 1
        self.log.append(entry)

    def count(self, endpoint: str | None = None, status: int | None = None) -> int:
        """Requests answered, optionally only those of ``endpoint`` and/or ``status``."""
        return sum(
            n
            for (name, code), n in self.counts.items()
            if (endpoint is None or name == endpoint) and (status is None or code == status)
        )

    @property
    def total(self) -> int:
        """All requests answered."""
        return len(self.log)

    def reset(self) -> None:
        """Forget everything counted so far."""
        self.counts.clear()
        self.log.clear()


class Sandbox:
    """A fake CallRail API v3 server on 127.0.0.1, for tests, demos and benchmarks.

    ``async with Sandbox(calls=5000) as sandbox:`` starts it on a free port; point a client
    at ``sandbox.base_url`` with ``sandbox.api_key`` (or use :meth:`client`). Through
    ``sandbox.maton_base_url`` it behaves like the Maton gateway (``Bearer`` auth,
    ``Maton-Connection``, ``/connections``). The data is deterministic from ``seed``.

    Knobs (attributes, changeable while it runs): ``faults``, ``rate_limits``, ``live``,
    ``error_style``, ``latency`` (seconds added to every API response), ``next_page_host``
    (``"callrail"``: links point at api.callrail.com as CallRail's do; ``"self"``: here),
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
        next_page_host: str = "callrail",
        extra_call_fields: dict[str, Any] | None = None,
        forbidden_endpoints: set[str] | None = None,
    ) -> None:
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
        self.connections: list[dict[str, Any]] = [
            self._connection(account.index, "ACTIVE") for account in self.data.accounts
        ]
        self._host = host
        self._port = port
        self._counters: dict[tuple[str, str, int, float], RollingCounter] = {}
        self._runner: web.AppRunner | None = None
        self.app = web.Application(client_max_size=8 * 1024 * 1024)
        self.app.router.add_route("*", "/{tail:.*}", self._handle)

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

    def client(self, **kwargs: Any) -> Any:
        """A :class:`callrail_async.CallRail` pointed at this sandbox (direct mode).

        Rate limiting is off unless ``rate_limits=`` is passed.
        """
        from ..client import CallRail
        from ..ratelimit import RateLimits

        kwargs.setdefault("rate_limits", RateLimits.unlimited())
        kwargs.setdefault("api_key", self.api_key)
        kwargs.setdefault("base_url", self.base_url)
        return CallRail(**kwargs)

    def maton_client(self, **kwargs: Any) -> Any:
        """A :class:`callrail_async.CallRail` pointed at this sandbox's gateway (Maton mode).

        Rate limiting is off unless ``rate_limits=`` is passed.
        """
        from ..client import CallRail
        from ..ratelimit import RateLimits

        kwargs.setdefault("rate_limits", RateLimits.unlimited())
        kwargs.setdefault("maton_api_key", self.maton_api_key)
        kwargs.setdefault("base_url", self.maton_base_url)
        return CallRail(**kwargs)

    # --- hooks used by handlers ----------------------------------------------------------

    def next_page_origin(self, maton: bool) -> str:
        """Where ``next_page`` links point: CallRail's host (always through the gateway),
        this sandbox (``"self"``), or any other origin given (to test that clients refuse it)."""
        if maton or self.next_page_host == "callrail":
            return CALLRAIL_ORIGIN
        return self.origin if self.next_page_host == "self" else self.next_page_host

    def visible_accounts(self, ctx: Ctx) -> list[AccountData]:
        """The accounts the request's credentials can see."""
        return ctx.visible

    def apply_live_traffic(self, account: AccountData) -> None:
        """Insert new calls and mark calls spam, per the ``live`` knob."""
        live = self.live
        if live is None or not live.due():
            return
        store = account.calls
        for _ in range(live.inserts_due()):
            store.append(self.clock.time())
        for _ in range(live.spam_due()):
            if len(store) - len(store.spam) <= 1:
                break
            index = live.pick(len(store))
            if store.mark_spam(index):
                live.marked_spam += 1

    def ensure_company_tags(self, account: AccountData, company_id: str, names: list[str]) -> None:
        """Unknown tag names applied to a call become company tags, as on CallRail."""
        tags = account.collections["tags"]
        known = {(t["name"], t["company_id"]) for t in tags.values()}
        for name in names:
            if (name, company_id) not in known:
                tag_id = account.new_int_id()
                tags[str(tag_id)] = {
                    "id": tag_id,
                    "name": name,
                    "tag_level": "company",
                    "color": "gray1",
                    "background_color": "gray1",
                    "company_id": company_id,
                    "status": "enabled",
                    "created_at": None,
                }

    # --- request handling ----------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        endpoint, account_id, rate_class, fault = "unknown", None, "general", None
        try:
            if path == "/connections" or path.startswith("/connections/"):
                endpoint = "connections"
                self._check_maton_key(request)
                response: web.StreamResponse = await self._connections(request)
            else:
                maton = path.startswith(MATON_PREFIX)
                if not maton and not path.startswith(DIRECT_PREFIX):
                    raise SandboxError(404, "Not found")
                rest = path[len(MATON_PREFIX if maton else DIRECT_PREFIX) :]
                route, match = self._match(request.method, rest)
                endpoint = self._endpoint_name(route, match)
                rate_class = route.rate_class
                visible = self._authenticate(request, maton)
                account = self._account(visible, match.get("aid"))
                if endpoint in self.forbidden_endpoints:
                    raise SandboxError(
                        403, "You do not have permission to perform the requested action"
                    )
                account_id = account.id if account else (visible[0].id if visible else None)
                self._enforce_limits(request, maton, account_id, rate_class)
                fault = self.faults.draw() if self.faults else None
                if fault in ("500", "502", "503", "429", "429_retry_after"):
                    raise _fault_error(fault, self.faults)
                if self.latency:
                    await asyncio.sleep(self.latency)
                if fault == "latency":
                    assert self.faults is not None
                    await asyncio.sleep(self.faults.latency_seconds)
                ctx = Ctx(
                    request=request,
                    sandbox=self,
                    account=account,
                    account_key=match.get("aid", ""),
                    params=_single_params(request),
                    maton=maton,
                    body=await _json_body(request),
                    match=match,
                    visible=visible,
                )
                response = await route.handler(ctx)
                if fault in ("truncate", "reset", "slow_body"):
                    assert self.faults is not None
                    response = await _body_fault(request, response, fault, self.faults)
        except SandboxError as exc:
            response = error_response(exc.status, exc.message, self.error_style, exc.headers)
        except Exception as exc:  # a sandbox bug: answer like a server fault, keep the evidence
            logger.exception("sandbox handler failed on %s %s", request.method, path)
            self.internal_errors.append(exc)
            response = error_response(500, "Internal Server Error", self.error_style)
        self.stats.record(
            RequestRecord(
                time=self.clock.time(),
                method=request.method,
                path=path,
                endpoint=endpoint,
                account=account_id,
                rate_class=rate_class,
                status=response.status,
                fault=fault,
            )
        )
        return response

    def _match(self, method: str, rest: str) -> tuple[Route, dict[str, str]]:
        allowed = False
        for route in ROUTES:
            found = route.pattern.fullmatch(rest)
            if found is None:
                continue
            if route.method == method:
                return route, {k: v for k, v in found.groupdict().items() if v is not None}
            allowed = True
        if allowed:
            raise SandboxError(405, f"Method {method} not allowed")
        raise SandboxError(404, "Not found")

    @staticmethod
    def _endpoint_name(route: Route, match: dict[str, str]) -> str:
        collection = match.get("collection")
        return f"{collection}.{route.name}" if collection else route.name

    def _authenticate(self, request: web.Request, maton: bool) -> list[AccountData]:
        header = request.headers.get("Authorization", "")
        if maton:
            self._check_maton_key(request)
            chosen = request.headers.get("Maton-Connection")
            active = [c for c in self.connections if c["status"] == "ACTIVE"]
            if chosen:
                active = [c for c in active if c["connection_id"] == chosen]
            if not active or active[0].get("account") is None:
                raise SandboxError(400, "No active connection found for app callrail")
            return [self.data.accounts[active[0]["account"]]]
        if header not in (f'Token token="{self.api_key}"', f"Token token={self.api_key}"):
            raise SandboxError(401, "HTTP Token: Access denied.")
        return list(self.data.accounts)

    def _check_maton_key(self, request: web.Request) -> None:
        if request.headers.get("Authorization", "") != f"Bearer {self.maton_api_key}":
            raise SandboxError(401, "Invalid API key")

    @staticmethod
    def _account(visible: list[AccountData], aid: str | None) -> AccountData | None:
        if aid is None:
            return None
        for account in visible:
            if aid in (account.id, str(account.record["numeric_id"])):
                return account
        raise SandboxError(404, "Account not found")

    def _enforce_limits(
        self, request: web.Request, maton: bool, account_id: str | None, rate_class: str
    ) -> None:
        limits = self.rate_limits
        if limits is None:
            return
        now = self.clock.time()
        counters = []
        if maton and limits.maton_per_second:
            counters.append(self._counter("maton", "gateway", limits.maton_per_second, 1.0))
        for limit, seconds in limits.windows(rate_class):
            counters.append(self._counter(account_id or "-", rate_class, limit, seconds))
        blocked = [c for c in counters if c.would_exceed(now)]
        if blocked:
            wait = max(c.wait_time(now) for c in blocked)
            headers = {"Retry-After": str(max(1, round(wait)))} if limits.retry_after else None
            raise SandboxError(429, "Rate limit exceeded. Please try again later.", headers)
        for counter in counters:
            counter.add(now)

    def _counter(self, key: str, rate_class: str, limit: int, seconds: float) -> RollingCounter:
        index = (key, rate_class, limit, seconds)
        counter = self._counters.get(index)
        if counter is None:
            counter = self._counters[index] = RollingCounter(limit, seconds)
        return counter

    # --- Maton connections ---------------------------------------------------------------

    def _connection(self, account: int | None, status: str) -> dict[str, Any]:
        now = self.clock.time()
        stamp = _iso_micro(now + len(getattr(self, "connections", [])))
        connection_id = str(uuid.UUID(int=(hash((self.data.seed, account, stamp)) & (2**128 - 1))))
        return {
            "connection_id": connection_id,
            "status": status,
            "creation_time": stamp,
            "last_updated_time": stamp,
            "url": f"https://connect.maton.ai/?session_token={connection_id.replace('-', '')}",
            "app": "callrail",
            "method": "OAUTH2",
            "metadata": {},
            "account": account,
        }

    async def _connections(self, request: web.Request) -> web.StreamResponse:
        def public(c: dict[str, Any]) -> dict[str, Any]:
            return {k: v for k, v in c.items() if k != "account"}

        parts = request.path.strip("/").split("/")
        if len(parts) == 1:
            if request.method == "GET":
                app, status = request.query.get("app"), request.query.get("status")
                if status and status not in ("ACTIVE", "PENDING", "FAILED"):
                    raise SandboxError(400, f"Invalid status: {status}")
                shown = [
                    public(c)
                    for c in self.connections
                    if (not app or c["app"] == app) and (not status or c["status"] == status)
                ]
                return json_response({"connections": shown})
            if request.method == "POST":
                body = await _json_body(request) or {}
                if body.get("app") != "callrail":
                    raise SandboxError(400, "app is required (callrail)")
                connection = self._connection(None, "PENDING")
                self.connections.append(connection)
                return json_response({"connection": public(connection)})
            raise SandboxError(405, "Method not allowed")
        found = [c for c in self.connections if c["connection_id"] == parts[1]]
        if len(parts) != 2 or not found:
            raise SandboxError(404, "Connection not found")
        if request.method == "GET":
            return json_response({"connection": public(found[0])})
        if request.method == "DELETE":
            self.connections.remove(found[0])
            return web.Response(status=204)
        raise SandboxError(405, "Method not allowed")


def _iso_micro(ts: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _single_params(request: web.Request) -> dict[str, str]:
    return {k: v for k, v in request.query.items() if not k.endswith("[]")}


async def _json_body(request: web.Request) -> dict[str, Any] | None:
    if request.method in ("GET", "HEAD", "DELETE"):
        return None
    raw = await request.read()
    if not raw.strip():
        return {}
    if request.content_type != "application/json":
        raise SandboxError(406, "Parameters must be sent as JSON (Content-Type: application/json)")
    try:
        body = msgspec.json.decode(raw)
    except msgspec.DecodeError:
        raise SandboxError(400, "Invalid JSON body") from None
    if not isinstance(body, dict):
        raise SandboxError(400, "The JSON body must be an object")
    return body


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
