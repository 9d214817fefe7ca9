"""``CallRail``: configuration, credentials and the resource namespaces (no HTTP code)."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import math
import os
import unicodedata
from types import TracebackType
from typing import Any, Self, TypeVar

import aiohttp

from . import _protocol
from ._session import SessionPool
from ._telemetry import Instrumentation
from ._templates import EndpointTemplates
from ._transport import DEFAULT_MAX_BODY_BYTES, Transport
from ._version import __version__
from .clock import Clock, SystemClock
from .errors import ClientClosedError, ConfigurationError
from .models import Account
from .pagination import envelope_decoder
from .ratelimit import (
    BucketStore,
    Limiter,
    NoLimiter,
    RateClass,
    RateLimiter,
    RateLimits,
    WindowStatus,
)
from .resources import (
    AccountsResource,
    CallerIdsResource,
    CallsResource,
    CompaniesResource,
    FormSubmissionsResource,
    IntegrationsResource,
    IntegrationTriggersResource,
    LeadsResource,
    MessageFlowsResource,
    NotificationsResource,
    Resource,
    SmsThreadsResource,
    SummaryEmailsResource,
    TagsResource,
    TextMessagesResource,
    TrackersResource,
    UsersResource,
)
from .resources.connections import ConnectionsResource
from .retry import RetryPolicy

__all__ = ["CallRail"]

ResourceT = TypeVar("ResourceT", bound=Resource)
DEFAULT_USER_AGENT = f"callrail-async/{__version__}"


class CallRail:
    """Async client for the CallRail API v3, directly or through the Maton gateway.

    Credentials, keyword-only (explicit arguments win over the environment):

    - ``api_key`` (env ``CALLRAIL_API_KEY``): talk to ``https://api.callrail.com/v3/`` with
      ``Authorization: Token token="…"``;
    - ``maton_api_key`` (env ``MATON_API_KEY``) and optionally ``connection_id``
      (env ``MATON_CONNECTION``): talk to ``https://api.maton.ai/callrail/v3/`` with
      ``Authorization: Bearer …`` and ``Maton-Connection: …``.

    ``account_id`` (env ``CALLRAIL_ACCOUNT_ID``) is discovered from ``GET a.json`` on first
    need when not given. ``base_url`` (env ``CALLRAIL_BASE_URL``, in either mode) points the
    client at a sandbox or a proxy (plain http only to loopback, unless
    ``allow_insecure_http``). ``timeout`` bounds each attempt from the moment it has
    a connection; ``total_timeout`` the whole call: rate-limit waits, waiting for a
    connection, every attempt and retry wait (:class:`RequestTimeoutError` names the phase).
    ``max_body_bytes`` (default 64 MiB) bounds each response body as decoded, whatever its
    encoding. Use it as ``async with CallRail() as client: ...``; once closed (and after its
    parent is closed, for a ``with_connection()`` child) it raises :class:`ClientClosedError`.

    Rate limiting is on by default with CallRail's published budgets (``rate_limits=``,
    ``RateLimits.unlimited()`` to turn it off; off by default for a loopback ``base_url``,
    i.e. a sandbox, unless ``rate_limits=`` is given); ``rate_limit_store=`` shares the budget
    between processes (``SqliteBucketStore``) or machines (``RedisBucketStore``), and
    ``limiter=`` shares one :class:`RateLimiter` between clients.

    ``proxy=`` sends every request through an HTTP proxy (``http://host:port``, credentials
    in the URL if it needs them); ``trust_env=True`` reads ``HTTPS_PROXY``/``HTTP_PROXY``/
    ``NO_PROXY`` and ``~/.netrc`` as aiohttp does (off by default: the SDK ignores those
    variables unless told to). Neither applies to a ``session=`` you pass: configure that
    session yourself.

    ``instrumentation=`` observes every call (``callrail_async.otel`` records OpenTelemetry
    spans and metrics); logs go to the ``callrail_async`` logger, retries at WARNING with a
    ``callrail`` attribute (method, endpoint template, status, attempt, wait, account).
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        maton_api_key: str | None = None,
        connection_id: str | None = None,
        account_id: str | int | None = None,
        base_url: str | None = None,
        timeout: float | None = 30.0,
        total_timeout: float | None = None,
        max_retries: int = 5,
        retry: RetryPolicy | None = None,
        user_agent: str | None = None,
        session: aiohttp.ClientSession | None = None,
        rate_limits: RateLimits | None = None,
        rate_limit_store: BucketStore | None = None,
        limiter: Limiter | None = None,
        clock: Clock | None = None,
        page_concurrency: int = 16,
        connection_limit: int = 32,
        allow_insecure_http: bool = False,
        log_bodies: bool = False,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        instrumentation: Instrumentation | None = None,
        proxy: str | None = None,
        trust_env: bool = False,
    ) -> None:
        mode, key, connection = _credentials(api_key, maton_api_key, connection_id)
        base_source = ""
        if base_url is None and os.environ.get("CALLRAIL_BASE_URL"):
            base_url, base_source = os.environ["CALLRAIL_BASE_URL"], " (from CALLRAIL_BASE_URL)"
        account_source = "account_id"
        if account_id is None and os.environ.get("CALLRAIL_ACCOUNT_ID"):
            account_id, account_source = os.environ["CALLRAIL_ACCOUNT_ID"], "CALLRAIL_ACCOUNT_ID"
        self._mode: _protocol.AuthMode = mode
        self._connection_id = connection
        default_base = _protocol.DIRECT_BASE_URL if mode == "direct" else _protocol.MATON_BASE_URL
        try:
            url = _protocol.normalize_base_url(
                base_url or default_base, allow_insecure_http=allow_insecure_http
            )
        except ValueError as exc:
            raise ConfigurationError(f"{exc}{base_source}") from None
        _checked_seconds("timeout", timeout)
        _checked_seconds("total_timeout", total_timeout)
        _checked_count("page_concurrency", page_concurrency)
        _checked_count("connection_limit", connection_limit)
        _checked_count("max_body_bytes", max_body_bytes)
        if user_agent is not None:
            _checked_header_value("user_agent", user_agent)
        if proxy is not None:
            _checked_proxy(proxy)
        self._account_id = (
            None if account_id is None else _checked_account_id(account_source, account_id)
        )
        self._account_lock = asyncio.Lock()
        self._key_scope = "key-" + hashlib.sha256(key.encode()).hexdigest()[:16]
        self._clock: Clock = clock or SystemClock()
        if rate_limits is None and _protocol.is_loopback(url.host):
            # A server on this machine is a sandbox or a test double, not CallRail: its
            # budgets are not CallRail's. Pass rate_limits= to limit it anyway.
            rate_limits = RateLimits.unlimited()
        self.limiter: Limiter = limiter or _limiter(
            rate_limits, rate_limit_store, self._clock, mode, self._key_scope
        )
        headers = {
            **_protocol.auth_headers(mode, key, connection),
            "Accept": "application/json",
            "Request-From": _protocol.REQUEST_FROM,
            "User-Agent": user_agent or DEFAULT_USER_AGENT,
        }
        self._transport = Transport(
            base_url=url,
            headers=headers,
            retry=retry or RetryPolicy(max_retries=max_retries),
            limiter=self.limiter,
            clock=self._clock,
            timeout=timeout,
            total_timeout=total_timeout,
            pool=SessionPool(session, connection_limit, trust_env=trust_env),
            proxy=proxy,
            max_body_bytes=max_body_bytes,
            log_bodies=log_bodies,
            limit_key=self._budget_owner,
            instrumentation=instrumentation,
            templates=_endpoint_templates(),
        )
        self._init = {
            "api_key": api_key, "maton_api_key": maton_api_key, "base_url": base_url,
            "timeout": timeout, "total_timeout": total_timeout, "max_retries": max_retries,
            "retry": retry, "user_agent": user_agent, "clock": clock,
            "page_concurrency": page_concurrency, "connection_limit": connection_limit,
            "allow_insecure_http": allow_insecure_http, "log_bodies": log_bodies,
            "max_body_bytes": max_body_bytes,
            "instrumentation": instrumentation, "proxy": proxy, "trust_env": trust_env,
        }  # fmt: skip
        self._page_concurrency = page_concurrency
        self.accounts = self._namespace(AccountsResource)
        """Accounts visible to the key."""
        self.calls = self._namespace(CallsResource)
        """Calls: list, get, update, outbound calls, recordings, page views, metrics."""
        self.companies = self._namespace(CompaniesResource)
        """Companies."""
        self.trackers = self._namespace(TrackersResource)
        """Trackers (tracking numbers)."""
        self.tags = self._namespace(TagsResource)
        """Tags."""
        self.users = self._namespace(UsersResource)
        """Users."""
        self.notifications = self._namespace(NotificationsResource)
        """Call and SMS notifications."""
        self.integrations = self._namespace(IntegrationsResource)
        """Integrations (webhooks, cookie capture) of a company."""
        self.integration_triggers = self._namespace(IntegrationTriggersResource)
        """Integration triggers (which calls an integration receives)."""
        self.caller_ids = self._namespace(CallerIdsResource)
        """Outbound caller ids."""
        self.form_submissions = self._namespace(FormSubmissionsResource)
        """Form submissions and the forms summary."""
        self.text_messages = self._namespace(TextMessagesResource)
        """Text-message conversations; sending SMS."""
        self.sms_threads = self._namespace(SmsThreadsResource)
        """SMS threads."""
        self.message_flows = self._namespace(MessageFlowsResource)
        """Automated SMS message flows."""
        self.summary_emails = self._namespace(SummaryEmailsResource)
        """Summary email subscriptions."""
        self.leads = self._namespace(LeadsResource)
        """Leads and their timelines."""

    def _namespace(self, cls: type[ResourceT]) -> ResourceT:
        return cls(self._transport, self.resolve_account_id, self._page_concurrency)

    @property
    def connections(self) -> ConnectionsResource:
        """Maton connections (gateway mode only)."""
        if self._mode != "maton":
            raise ConfigurationError("connections exist only through the Maton gateway")
        return ConnectionsResource(self._transport)

    def with_connection(self, connection_id: str) -> CallRail:
        """A client for another Maton connection (another CallRail account), sharing this
        one's HTTP session and rate limiter. Close it or not: the session stays this one's,
        and closing this client closes the child too (:class:`ClientClosedError`)."""
        if self._mode != "maton":
            raise ConfigurationError("with_connection applies only to the Maton gateway")
        return self._child(connection_id=connection_id)

    def for_account(self, account_id: str | int) -> CallRail:
        """A client for another account the same key can see (``ACC…`` or its numeric id),
        sharing this one's HTTP session and rate limiter; each account keeps its own budget.
        Close it or not: the session stays this one's, and closing this client closes the
        child too (:class:`ClientClosedError`)."""
        return self._child(connection_id=self._connection_id, account_id=account_id)

    def _child(self, **overrides: Any) -> CallRail:
        # One way to make a client that shares this one's session pool and limiter.
        if self._transport.closed:
            raise ClientClosedError("this client is closed; create a new CallRail client")
        child = CallRail(**{**self._init, **overrides}, limiter=self.limiter)
        child._transport.share_pool(self._transport.pool)
        return child

    @property
    def mode(self) -> _protocol.AuthMode:
        """``"direct"`` (CallRail API key) or ``"maton"`` (Maton gateway)."""
        return self._mode

    @property
    def base_url(self) -> str:
        """The API base URL requests go to."""
        return str(self._transport.base_url)

    @property
    def clock(self) -> Clock:
        """The clock the client waits and reads time with."""
        return self._clock

    @property
    def connection_id(self) -> str | None:
        """The Maton connection in use, if one was chosen."""
        return self._connection_id

    def __repr__(self) -> str:
        account = self._account_id or "auto"
        extra = f", connection_id={self._connection_id!r}" if self._connection_id else ""
        return (
            f"CallRail(mode={self._mode!r}, base_url={self.base_url!r}, "
            f"account_id={account!r}{extra})"
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session if the client created it (a caller's session stays open).
        Afterwards every method raises :class:`ClientClosedError`, including iterations
        in progress at their next request."""
        await self._transport.close()

    def _budget_owner(self) -> str:
        # CallRail counts requests per account; before discovery, per key.
        return self._account_id or self._key_scope

    async def rate_limit_status(self) -> list[WindowStatus]:
        """Admitted, remaining and next free slot per class and window (empty if unlimited)."""
        if not isinstance(self.limiter, RateLimiter):
            return []
        return await self.limiter.status(self._budget_owner())

    async def rate_limit_estimate(self, requests: int, rate_class: RateClass = "general") -> float:
        """Seconds until ``requests`` more requests will have been admitted from the current
        budget, sent back to back (0 if they fit now, or if unlimited; latency excluded)."""
        if not isinstance(self.limiter, RateLimiter):
            return 0.0
        return await self.limiter.estimate(self._budget_owner(), rate_class, requests)

    async def resolve_account_id(self) -> str:
        """The account id: the one given, or the only account the key can see.

        Raises :class:`ConfigurationError` if the key sees no account or several.
        """
        if self._account_id is not None:
            return self._account_id
        async with self._account_lock:
            if self._account_id is None:
                self._account_id = await self._discover_account()
        return self._account_id

    async def _discover_account(self) -> str:
        decode = envelope_decoder(Account, "accounts")
        page = await self._transport.request("GET", "a.json", decode, params=[("per_page", "250")])
        count = page.total_records if page.total_records is not None else len(page.items)
        if count == 0 or not page.items:
            raise ConfigurationError(
                "this API key can see no CallRail account; check the key's user in CallRail"
            )
        if count > 1:
            shown = ", ".join(f"{a.id} ({a.name})" for a in page.items[:10])
            raise ConfigurationError(
                f"this API key can see {count} accounts ({shown}); pass account_id= to choose one"
            )
        return str(page.items[0].id)


@functools.cache
def _endpoint_templates() -> EndpointTemplates:
    from .endpoints import endpoint_table

    return EndpointTemplates(row.path for row in endpoint_table())


def _limiter(
    limits: RateLimits | None,
    store: BucketStore | None,
    clock: Clock,
    mode: _protocol.AuthMode,
    key_scope: str,
) -> Limiter:
    limits = limits or RateLimits()
    if not limits.enabled:
        return NoLimiter()
    limiter = RateLimiter(limits, store=store, clock=clock)
    return limiter.for_gateway(f"maton-{key_scope}") if mode == "maton" else limiter


def _checked_proxy(proxy: str) -> None:
    from yarl import URL

    try:
        url = URL(proxy)
    except (TypeError, ValueError):
        url = None
    if (
        url is None
        or url.scheme not in ("http", "https")
        or not url.host
        or url.path
        not in (
            "",
            "/",
        )
    ):
        raise ConfigurationError("proxy must be an http(s)://host:port URL")  # value not shown
    _checked_header_value("proxy", proxy)


def _checked_account_id(source: str, value: str | int) -> str:
    from ._validate import resource_id

    try:
        return resource_id(source, value, "ACC", numeric_ok=True)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None


def _credentials(
    api_key: str | None, maton_api_key: str | None, connection_id: str | None
) -> tuple[_protocol.AuthMode, str, str | None]:
    if api_key is not None and maton_api_key is not None:
        raise ConfigurationError("pass either api_key or maton_api_key, not both")
    if api_key is None and maton_api_key is None:
        env_direct = os.environ.get("CALLRAIL_API_KEY") or None
        env_maton = os.environ.get("MATON_API_KEY") or None
        if env_direct and env_maton:
            raise ConfigurationError(
                "both CALLRAIL_API_KEY and MATON_API_KEY are set; pass api_key= or "
                "maton_api_key= to choose one"
            )
        api_key, maton_api_key = env_direct, env_maton
    if api_key is not None:
        if connection_id is not None:
            raise ConfigurationError("connection_id only applies to the Maton gateway")
        return "direct", _checked_key("api_key", api_key), None
    if maton_api_key is not None:
        connection = connection_id or os.environ.get("MATON_CONNECTION") or None
        if connection is not None:
            connection = _checked_key("connection_id", connection)
        return "maton", _checked_key("maton_api_key", maton_api_key), connection
    raise ConfigurationError(
        "no credentials: set CALLRAIL_API_KEY (a CallRail API key) or MATON_API_KEY "
        "(a Maton gateway key), or pass api_key= / maton_api_key="
    )


def _checked_key(name: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string")
    _checked_header_value(name, value)
    if '"' in value or value != value.strip():
        raise ConfigurationError(
            f"{name} contains a quote or surrounding whitespace, which cannot go in its header"
        )
    return value


def _checked_header_value(name: str, value: str) -> None:
    """Refuse what would break a header or a log line: any control character (C0 such as
    NUL, CR, LF; DEL; C1 such as NEL U+0085) and the Unicode line and paragraph separators
    (U+2028, U+2029), naming the argument and the position, never the value (it may be a
    secret)."""
    if not isinstance(value, str):
        raise ConfigurationError(f"{name} must be a string, got {type(value).__name__}")
    for position, char in enumerate(value):
        if unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            raise ConfigurationError(
                f"{name} contains a control character or line break ({char!r} at position "
                f"{position}), which cannot go in an HTTP header"
            )


def _checked_seconds(name: str, value: float | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(f"{name} must be seconds (a number) or None, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ConfigurationError(f"{name} must be positive, finite seconds or None, got {value!r}")


def _checked_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"{name} must be an integer >= 1, got {value!r}")
