"""``CallRail``: configuration, credentials and the resource namespaces (no HTTP code).

Longer than our ~400-line guide on purpose: most of it is the public reference (the class
docstring, 24 documented constructor arguments, 16 namespace declarations with their
docstrings). Resolving and checking settings lives in ``options.py``, requests in
``_transport.py``, endpoints in ``resources/``.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass, field
from types import TracebackType
from typing import Generic, Self, TypeVar, Unpack, overload

import aiohttp
from yarl import URL

from . import _protocol
from ._discovery import AccountDiscovery
from ._session import SessionPool
from ._telemetry import Instrumentation
from ._templates import EndpointTemplates
from ._transport import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DOWNLOAD_BYTES, Transport
from .clock import Clock, SystemClock
from .errors import (
    ClientClosedError,
    ConfigurationError,
)
from .options import (
    DEFAULT_USER_AGENT,
    ClientOptions,
    Overrides,
    checked_account_id,
    checked_proxy,
    credentials,
    retry_policy,
)
from .ratelimit import (
    BucketStore,
    Limiter,
    NoLimiter,
    RateClass,
    RateLimiter,
    RateLimits,
    WindowStatus,
)
from .ratelimit.limits import check_types
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
from .resources._base import marked_endpoints
from .resources.connections import ConnectionsResource
from .retry import RetryPolicy

__all__ = ["CallRail"]

ResourceT = TypeVar("ResourceT", bound=Resource)
DEFAULT_CONNECTION_LIMIT = 32


class Namespace(Generic[ResourceT]):
    """A resource namespace of the client (``client.calls``), made on first use and then
    kept on the client: declaring one is the only step to add a namespace."""

    def __init__(self, resource: type[ResourceT]) -> None:
        self.resource = resource
        self.name = ""

    def __set_name__(self, owner: type[object], name: str) -> None:
        self.name = name

    @overload
    def __get__(self, client: None, owner: type[object]) -> Self: ...
    @overload
    def __get__(self, client: CallRail, owner: type[object]) -> ResourceT: ...
    def __get__(self, client: CallRail | None, owner: type[object]) -> Self | ResourceT:
        if client is None:
            return self
        made = self.resource(
            client._transport, client.resolve_account_id, client._options.page_concurrency
        )
        client.__dict__[self.name] = made  # later reads find it without this descriptor
        return made


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
    connection, every attempt and retry wait (:class:`RequestTimeoutError` names the phase);
    on first need, discovering the account, or waiting for another client's discovery, is
    bounded by it too, on its own.
    ``max_body_bytes`` (default 64 MiB) bounds each response body as decoded, whatever its
    encoding; ``max_download_bytes`` (default 1 GiB) each downloaded file. Use it as
    ``async with CallRail() as client: ...``; once closed (and, for a client made by
    ``with_options()``, ``for_account()`` or ``with_connection()``, once the
    ``CallRail(...)`` it derives from is closed) it raises :class:`ClientClosedError`.

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

    accounts = Namespace(AccountsResource)
    """Accounts visible to the key."""
    calls = Namespace(CallsResource)
    """Calls: list, get, update, outbound calls, recordings, page views, metrics."""
    companies = Namespace(CompaniesResource)
    """Companies."""
    trackers = Namespace(TrackersResource)
    """Trackers (tracking numbers)."""
    tags = Namespace(TagsResource)
    """Tags."""
    users = Namespace(UsersResource)
    """Users."""
    notifications = Namespace(NotificationsResource)
    """Call and SMS notifications."""
    integrations = Namespace(IntegrationsResource)
    """Integrations (webhooks, cookie capture) of a company."""
    integration_triggers = Namespace(IntegrationTriggersResource)
    """Integration triggers (which calls an integration receives)."""
    caller_ids = Namespace(CallerIdsResource)
    """Outbound caller ids."""
    form_submissions = Namespace(FormSubmissionsResource)
    """Form submissions and the forms summary."""
    text_messages = Namespace(TextMessagesResource)
    """Text-message conversations; sending SMS."""
    sms_threads = Namespace(SmsThreadsResource)
    """SMS threads."""
    message_flows = Namespace(MessageFlowsResource)
    """Automated SMS message flows."""
    summary_emails = Namespace(SummaryEmailsResource)
    """Summary email subscriptions."""
    leads = Namespace(LeadsResource)
    """Leads and their timelines."""

    @classmethod
    def namespaces(cls) -> dict[str, type[Resource]]:
        """``client.<name>`` -> the resource class behind it, in declaration order: the one
        list of namespaces (the endpoint table, the export and the CLI read it)."""
        found: dict[str, type[Resource]] = {}
        for klass in reversed(cls.__mro__):  # a subclass's namespaces after its base's
            for name, value in vars(klass).items():
                if isinstance(value, Namespace):
                    found[name] = value.resource
        return found

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
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        user_agent: str | None = None,
        session: aiohttp.ClientSession | None = None,
        rate_limits: RateLimits | None = None,
        rate_limit_store: BucketStore | None = None,
        limiter: Limiter | None = None,
        clock: Clock | None = None,
        page_concurrency: int = 16,
        connection_limit: int | None = None,
        allow_insecure_http: bool = False,
        log_bodies: bool = False,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
        instrumentation: Instrumentation | None = None,
        proxy: str | None = None,
        trust_env: bool = False,
    ) -> None:
        mode, key, connection = credentials(api_key, maton_api_key, connection_id)
        base_source = ""
        if base_url is None and os.environ.get("CALLRAIL_BASE_URL"):
            base_url, base_source = os.environ["CALLRAIL_BASE_URL"], " (from CALLRAIL_BASE_URL)"
        account_source = "account_id"
        if account_id is None and os.environ.get("CALLRAIL_ACCOUNT_ID"):
            account_id, account_source = os.environ["CALLRAIL_ACCOUNT_ID"], "CALLRAIL_ACCOUNT_ID"
        default_base = _protocol.DIRECT_BASE_URL if mode == "direct" else _protocol.MATON_BASE_URL
        try:
            url = _protocol.normalize_base_url(
                base_url or default_base, allow_insecure_http=allow_insecure_http
            )
        except ValueError as exc:
            raise ConfigurationError(f"{exc}{base_source}") from None
        if limiter is not None and (rate_limits is not None or rate_limit_store is not None):
            raise ConfigurationError(
                "pass either limiter= (a RateLimiter shared with other clients) or "
                "rate_limits=/rate_limit_store=, not both: the limiter has its own"
            )
        check_types(rate_limits, rate_limit_store)
        if rate_limit_store is not None and rate_limits is not None and not rate_limits.enabled:
            raise ConfigurationError(
                "rate_limit_store= shares a budget, but rate_limits= turns rate limiting off: "
                "pass one or the other"
            )
        if session is not None and (connection_limit is not None or proxy is not None or trust_env):
            raise ConfigurationError(
                "connection_limit=, proxy= and trust_env= configure the session the client "
                "creates; with session= configure that session instead"
            )
        if proxy is not None:
            checked_proxy(proxy)
        options = ClientOptions(
            mode=mode,
            base_url=str(url),
            allow_insecure_http=allow_insecure_http,
            connection_limit=DEFAULT_CONNECTION_LIMIT
            if connection_limit is None
            else connection_limit,
            proxy=proxy,
            trust_env=trust_env,
            account_id=None
            if account_id is None
            else checked_account_id(account_source, account_id),
            connection_id=connection,
            timeout=timeout,
            total_timeout=total_timeout,
            retry=retry_policy(retry, max_retries),
            user_agent=DEFAULT_USER_AGENT if user_agent is None else user_agent,
            page_concurrency=page_concurrency,
            max_body_bytes=max_body_bytes,
            max_download_bytes=max_download_bytes,
            log_bodies=log_bodies,
            instrumentation=instrumentation,
        )
        clock = clock or SystemClock()
        key_scope = "key-" + hashlib.sha256(key.encode()).hexdigest()[:16]
        if rate_limits is None and _protocol.is_loopback(url.host):
            # A server on this machine is a sandbox or a test double, not CallRail: its
            # budgets are not CallRail's. Pass rate_limits= to limit it anyway.
            rate_limits = RateLimits.unlimited()
        self._setup(
            options,
            _Family(
                key=key,
                key_scope=key_scope,
                base_url=url,
                clock=clock,
                limiter=limiter or _limiter(rate_limits, rate_limit_store, clock, mode, key_scope),
                pool=SessionPool(session, options.connection_limit, trust_env=trust_env),
            ),
            owns_pool=True,
        )

    def _setup(self, options: ClientOptions, family: _Family, *, owns_pool: bool) -> None:
        self._options = options
        self._family = family
        self._account = family.account(options.account_id, options.connection_id)
        self.limiter: Limiter = family.limiter
        headers = {
            **_protocol.auth_headers(options.mode, family.key, options.connection_id),
            "Accept": "application/json",
            "Request-From": _protocol.REQUEST_FROM,
            "User-Agent": options.user_agent,
        }
        self._transport = Transport(
            base_url=family.base_url,
            headers=headers,
            retry=options.retry,
            limiter=family.limiter,
            clock=family.clock,
            timeout=options.timeout,
            total_timeout=options.total_timeout,
            pool=family.pool,
            owns_pool=owns_pool,
            proxy=options.proxy,
            max_body_bytes=options.max_body_bytes,
            max_download_bytes=options.max_download_bytes,
            log_bodies=options.log_bodies,
            limit_key=self._budget_owner,
            instrumentation=options.instrumentation,
            templates=_endpoint_templates(),
        )

    @property
    def connections(self) -> ConnectionsResource:
        """Maton connections (gateway mode only)."""
        if self._options.mode != "maton":
            raise ConfigurationError("connections exist only through the Maton gateway")
        return ConnectionsResource(self._transport)

    @property
    def options(self) -> ClientOptions:
        """This client's settings, resolved and frozen (credentials are not among them)."""
        return self._options

    def with_options(self, **overrides: Unpack[Overrides]) -> Self:
        """A client with ``overrides`` changed that shares this one's HTTP session, rate
        limiter and account discovery (one per account and Maton connection among all the
        clients derived from one ``CallRail(...)``): cheap enough for one call
        (``client.with_options(timeout=2).calls.get(...)``).

        Close it or not: closing it ends only its own calls. The session stays with the
        ``CallRail(...)`` that created it, and closing that one closes every client derived
        from it, however indirectly (:class:`ClientClosedError`). Anything
        :class:`Overrides` does not list (credentials, base URL, proxy, rate limits) raises
        :class:`ConfigurationError`.
        """
        if self._transport.closed:
            raise ClientClosedError("this client is closed; create a new CallRail client")
        options = self._options.with_overrides(overrides)
        child = type(self).__new__(type(self))  # a subclass keeps its class and namespaces
        child._setup(options, self._family, owns_pool=False)
        return child

    def with_connection(self, connection_id: str) -> Self:
        """A client for another Maton connection (another CallRail account), sharing this
        one's HTTP session and rate limiter: ``with_options(connection_id=...)``."""
        if self._options.mode != "maton":
            raise ConfigurationError("with_connection applies only to the Maton gateway")
        return self.with_options(connection_id=connection_id)

    def for_account(self, account_id: str | int) -> Self:
        """A client for another account the same key can see (``ACC…`` or its numeric id),
        sharing this one's HTTP session and rate limiter; each account keeps its own budget:
        ``with_options(account_id=...)``. The budget is keyed by the id as given: name one
        account by one form (``ACC…`` or numeric) in a job, or its two forms get two budgets
        (telling them apart would cost a request)."""
        return self.with_options(account_id=account_id)

    @property
    def mode(self) -> _protocol.AuthMode:
        """``"direct"`` (CallRail API key) or ``"maton"`` (Maton gateway)."""
        return self._options.mode

    @property
    def base_url(self) -> str:
        """The API base URL requests go to."""
        return str(self._transport.base_url)

    @property
    def clock(self) -> Clock:
        """The clock the client waits and reads time with."""
        return self._family.clock

    @property
    def connection_id(self) -> str | None:
        """The Maton connection in use, if one was chosen."""
        return self._options.connection_id

    def __repr__(self) -> str:
        account = self._account.id or "auto"
        connection = self._options.connection_id
        extra = f", connection_id={connection!r}" if connection else ""
        return (
            f"CallRail(mode={self._options.mode!r}, base_url={self.base_url!r}, "
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
        return self._account.id or self._family.key_scope

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
        return await self._account.resolve(self._transport, self._options.total_timeout)


@dataclass(frozen=True)
class _Family:
    """What a client shares with every client derived from it (``with_options``)."""

    key: str = field(repr=False)
    key_scope: str
    base_url: URL
    clock: Clock
    limiter: Limiter
    pool: SessionPool
    accounts: dict[tuple[str | None, str | None], AccountDiscovery] = field(
        default_factory=dict, repr=False
    )

    def account(self, account_id: str | None, connection_id: str | None) -> AccountDiscovery:
        """The one :class:`AccountDiscovery` of the family for this account (None: to discover)
        through this Maton connection, so that each is discovered once for all clients."""
        key = (account_id, connection_id)
        account = self.accounts.get(key)
        if account is None:
            account = self.accounts[key] = AccountDiscovery(account_id)
        return account


@functools.cache
def _endpoint_templates() -> EndpointTemplates:
    # Every path a namespace's methods are marked with: what logs and spans name.
    resources = [*CallRail.namespaces().values(), ConnectionsResource]
    return EndpointTemplates(
        mark.template for cls in resources for _, mark in marked_endpoints(cls)
    )


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
