"""A client's settings as one frozen, typed value, and the ones a derived client may change.

``client.options`` is a :class:`ClientOptions`; ``client.with_options(**overrides)`` makes a
client that shares the session, the rate limiter and the account discovery of ``client``
with the :class:`Overrides` given changed. What the shared session and budget fix (the
credentials, the base URL, the proxy, the connection pool, the rate limits) cannot be
overridden: create another :class:`~callrail_async.CallRail` for those.
"""

from __future__ import annotations

import dataclasses
import os
import unicodedata
from dataclasses import dataclass
from typing import TypedDict

from ._protocol import AuthMode
from ._telemetry import Instrumentation
from ._version import __version__
from .errors import ConfigurationError
from .retry import RetryPolicy, finite

__all__ = ["DEFAULT_USER_AGENT", "ClientOptions", "Overrides"]

DEFAULT_USER_AGENT = f"callrail-async/{__version__}"


class Overrides(TypedDict, total=False):
    """What :meth:`CallRail.with_options` may change; every key is optional."""

    timeout: float | None
    total_timeout: float | None
    max_retries: int
    retry: RetryPolicy
    user_agent: str
    page_concurrency: int
    max_body_bytes: int
    max_download_bytes: int
    log_bodies: bool
    instrumentation: Instrumentation | None
    account_id: str | int
    connection_id: str


@dataclass(frozen=True, kw_only=True)
class ClientOptions:
    """Every setting of one client, resolved (explicit arguments first, then the
    environment, then the defaults) and checked. Credentials are not part of it: they stay
    inside the client, so printing the options shows no secret.

    The first group is fixed for a client and the clients derived from it (they share its
    session and budget); the second group is what :class:`Overrides` may change.
    """

    mode: AuthMode
    """``"direct"`` (CallRail API key) or ``"maton"`` (Maton gateway)."""
    base_url: str
    """Where requests go (normalised, ending in ``/``)."""
    allow_insecure_http: bool
    connection_limit: int
    """Connections open at once in the session the client creates."""
    proxy: str | None = dataclasses.field(repr=False)
    """The HTTP proxy, if any (not in the repr: its URL may carry credentials)."""
    trust_env: bool

    account_id: str | None
    """The account given (``ACC…`` or numeric), or None to discover it on first need."""
    connection_id: str | None
    """The Maton connection chosen, if any."""
    timeout: float | None
    total_timeout: float | None
    retry: RetryPolicy
    user_agent: str
    page_concurrency: int
    max_body_bytes: int
    """The largest response body read, as decoded."""
    max_download_bytes: int
    """The largest file a download writes, as decoded (recordings, MMS media)."""
    log_bodies: bool
    instrumentation: Instrumentation | None = dataclasses.field(repr=False)

    def __post_init__(self) -> None:
        checked_seconds("timeout", self.timeout)
        checked_seconds("total_timeout", self.total_timeout)
        checked_count("page_concurrency", self.page_concurrency)
        checked_count("connection_limit", self.connection_limit)
        checked_count("max_body_bytes", self.max_body_bytes)
        checked_count("max_download_bytes", self.max_download_bytes)
        checked_header_value("user_agent", self.user_agent)
        for name in ("allow_insecure_http", "trust_env", "log_bodies"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigurationError(
                    f"{name} must be True or False, got {safe_repr(getattr(self, name))}"
                )
        if self.instrumentation is not None and not isinstance(
            self.instrumentation, Instrumentation
        ):
            raise ConfigurationError(
                "instrumentation must be an Instrumentation (e.g. OpenTelemetryInstrumentation) "
                f"or None, got {type(self.instrumentation).__name__}"
            )
        if not isinstance(self.retry, RetryPolicy):
            raise ConfigurationError(
                f"retry must be a RetryPolicy, got {type(self.retry).__name__}"
            )
        if self.connection_id is not None and self.mode != "maton":
            raise ConfigurationError("connection_id only applies to the Maton gateway")

    def with_overrides(self, overrides: Overrides) -> ClientOptions:
        """These options with ``overrides`` applied and checked (the same checks as the
        constructor's); :class:`ConfigurationError` for an unknown key or a conflict."""
        unknown = sorted(set(overrides) - set(Overrides.__annotations__))
        if unknown:
            raise ConfigurationError(
                f"with_options() cannot change {', '.join(unknown)}: a derived client shares "
                "its parent's credentials, session and rate limiter; create a new CallRail"
            )
        retry = self.retry
        if "max_retries" in overrides:
            if "retry" in overrides:
                raise ConfigurationError("pass either retry= or max_retries=, not both")
            if overrides["max_retries"] is None:  # the constructor's "default", not a change
                raise ConfigurationError("max_retries must be an integer >= 0, got None")
            retry = retry_policy(None, overrides["max_retries"], base=self.retry)
        elif "retry" in overrides:
            retry = overrides["retry"]
        connection_id, account_id = self.connection_id, self.account_id
        if "connection_id" in overrides:
            connection_id = checked_key("connection_id", overrides["connection_id"])
            if connection_id != self.connection_id:
                account_id = None  # another connection is another account: discover it
        if "account_id" in overrides:
            account_id = checked_account_id("account_id", overrides["account_id"])
        return dataclasses.replace(
            self,
            account_id=account_id,
            connection_id=connection_id,
            retry=retry,
            timeout=overrides.get("timeout", self.timeout),
            total_timeout=overrides.get("total_timeout", self.total_timeout),
            user_agent=overrides.get("user_agent", self.user_agent),
            page_concurrency=overrides.get("page_concurrency", self.page_concurrency),
            max_body_bytes=overrides.get("max_body_bytes", self.max_body_bytes),
            max_download_bytes=overrides.get("max_download_bytes", self.max_download_bytes),
            log_bodies=overrides.get("log_bodies", self.log_bodies),
            instrumentation=overrides.get("instrumentation", self.instrumentation),
        )


def retry_policy(
    retry: RetryPolicy | None, max_retries: int | None, base: RetryPolicy | None = None
) -> RetryPolicy:
    """The retry policy from ``retry=`` or ``max_retries=`` (both: :class:`ConfigurationError`)."""
    if retry is not None and max_retries is not None:
        raise ConfigurationError(
            "pass either retry= or max_retries=, not both (set max_retries inside the RetryPolicy)"
        )
    if retry is not None:
        return retry
    if max_retries is None:
        return base or RetryPolicy()
    return dataclasses.replace(base or RetryPolicy(), max_retries=max_retries)


def credentials(
    api_key: str | None, maton_api_key: str | None, connection_id: str | None
) -> tuple[AuthMode, str, str | None]:
    """The auth mode, the credential and the Maton connection: from the arguments, else
    from ``CALLRAIL_API_KEY`` / ``MATON_API_KEY`` / ``MATON_CONNECTION``."""
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
        return "direct", checked_key("api_key", api_key), None
    if maton_api_key is not None:
        connection = connection_id or os.environ.get("MATON_CONNECTION") or None
        if connection is not None:
            connection = checked_key("connection_id", connection)
        return "maton", checked_key("maton_api_key", maton_api_key), connection
    raise ConfigurationError(
        "no credentials: set CALLRAIL_API_KEY (a CallRail API key) or MATON_API_KEY "
        "(a Maton gateway key), or pass api_key= / maton_api_key="
    )


def checked_account_id(source: str, value: str | int) -> str:
    """An account id (``ACC…`` or numeric) checked for use in a path."""
    from ._validate import resource_id

    try:
        return resource_id(source, value, "ACC", numeric_ok=True)
    except ValueError as exc:
        raise ConfigurationError(str(exc)) from None


def checked_key(name: str, value: str) -> str:
    """A credential or connection id that can go in its header."""
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{name} must be a non-empty string")
    checked_header_value(name, value)
    if '"' in value or value != value.strip():
        raise ConfigurationError(
            f"{name} contains a quote or surrounding whitespace, which cannot go in its header"
        )
    return value


def checked_header_value(name: str, value: str) -> None:
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


def checked_proxy(proxy: str) -> None:
    """An ``http(s)://host:port`` proxy URL (the value is never shown: it may hold a password)."""
    from yarl import URL

    try:
        url = URL(proxy)
    except (TypeError, ValueError):
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host or url.path != "/":
        raise ConfigurationError("proxy must be an http(s)://host:port URL")
    checked_header_value("proxy", proxy)


def checked_seconds(name: str, value: float | None) -> None:
    """Positive, finite seconds, or None."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(
            f"{name} must be seconds (a number) or None, got {safe_repr(value)}"
        )
    if not (value > 0 and finite(value)):
        raise ConfigurationError(
            f"{name} must be positive, finite seconds or None, got {safe_repr(value)}"
        )


def checked_count(name: str, value: int) -> None:
    """An integer of at least 1."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"{name} must be an integer >= 1, got {safe_repr(value)}")


def safe_repr(value: object) -> str:
    """``repr(value)`` for an error message about a setting (never personal data: for
    arguments that may be, see ``_validate.shown``), or what it is when that fails (an
    integer of more digits than Python converts to text)."""
    try:
        return repr(value)
    except ValueError:
        return f"an {type(value).__name__} too large to show"
