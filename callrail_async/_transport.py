"""The only module that touches aiohttp: send a request, retry it, decode the answer."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import aiohttp
import msgspec
from yarl import URL

from . import _protocol
from ._telemetry import NO_TRACE, CallTrace, Instrumentation
from ._templates import EndpointTemplates
from .clock import Clock
from .errors import APIError, RateLimitError, TransportError, UnsafeURLError
from .ratelimit import Limiter, RateClass
from .retry import RetryPolicy

T = TypeVar("T")
Decode = Callable[[bytes], T]

logger = logging.getLogger("callrail_async")

MAX_BODY_BYTES = 256 * 1024 * 1024


def decode_nothing(body: bytes) -> None:
    """Decoder for responses without a meaningful body (DELETE's 204)."""


class Transport:
    """Sends requests to one API host with one set of credentials.

    Owns (or borrows) the ``aiohttp.ClientSession``, the retry loop and the limiter hook.
    """

    def __init__(
        self,
        *,
        base_url: URL,
        headers: Mapping[str, str],
        retry: RetryPolicy,
        limiter: Limiter,
        clock: Clock,
        timeout: float | None,
        total_timeout: float | None,
        session: aiohttp.ClientSession | None = None,
        connection_limit: int = 32,
        log_bodies: bool = False,
        limit_key: Callable[[], str] = lambda: "default",
        instrumentation: Instrumentation | None = None,
        templates: EndpointTemplates | None = None,
    ) -> None:
        self.base_url = base_url
        self._headers = dict(headers)
        self.retry = retry
        self.limiter = limiter
        self.clock = clock
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._total_timeout = total_timeout
        self._session = session
        self._owns_session = session is None
        self._connection_limit = connection_limit
        self._log_bodies = log_bodies
        self._limit_key = limit_key
        self._instrumentation = instrumentation or Instrumentation()
        self._templates = templates or EndpointTemplates(())

    def __repr__(self) -> str:
        return f"Transport(base_url={str(self.base_url)!r})"

    @property
    def session(self) -> aiohttp.ClientSession:
        """The HTTP session, created on first use when the caller supplied none."""
        if self._session is None or (self._owns_session and self._session.closed):
            connector = aiohttp.TCPConnector(limit=self._connection_limit)
            self._session = aiohttp.ClientSession(connector=connector, trust_env=False)
            self._owns_session = True
        return self._session

    async def close(self) -> None:
        """Close the session if this transport created it."""
        if self._owns_session and self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None if self._owns_session else self._session

    def url_for(self, target: str | URL) -> URL:
        """The absolute URL of a path below the base URL, or a pre-validated absolute URL."""
        if isinstance(target, URL):
            return target
        return URL(str(self.base_url) + target)

    def _now_ns(self) -> int:
        # The client's clock, so that a simulated clock's waits show in traces too.
        return int(self.clock.time() * 1e9)

    def endpoint_of(self, url: URL) -> str:
        """The endpoint template of a URL (``a/{aid}/calls.json``): what logs and spans name."""
        base = self.base_url.path
        path = url.path[len(base) :] if url.path.startswith(base) else url.path.lstrip("/")
        return self._templates.template(path)

    async def request(
        self,
        method: str,
        target: str | URL,
        decode: Decode[T],
        *,
        params: _protocol.Query | None = None,
        json: object = None,
        rate_class: RateClass = "general",
    ) -> T:
        """Send ``method target``, retrying per the policy, and decode a 2xx body.

        Raises an :class:`APIError` subclass for error statuses, :class:`TransportError`
        for network failures and undecodable bodies.
        """
        url = self.url_for(target)
        if params:
            url = url.extend_query(params)
        if url.host != self.base_url.host or url.port != self.base_url.port:
            raise UnsafeURLError(f"refusing to send credentials to {url.host}", str(url))
        headers = self._headers
        data: bytes | None = None
        if json is not None:
            data = msgspec.json.encode(json)
            headers = {**headers, "Content-Type": "application/json"}
        shown = str(url.with_query(None))  # no query: it may carry search terms (personal data)
        trace = NO_TRACE
        if self._instrumentation.enabled:
            account = self._limit_key()
            trace = self._instrumentation.start_call(method, self.endpoint_of(url), account)
        try:
            result = await self._request(
                method, url, headers, data, decode, shown, rate_class, trace
            )
        except BaseException as exc:
            status = exc.status if isinstance(exc, APIError) else None
            trace.end(status, type(exc).__name__, getattr(exc, "retries", 0) or 0)
            raise
        trace.end(result[1], None, result[2])
        return result[0]

    async def _request(
        self,
        method: str,
        url: URL,
        headers: Mapping[str, str],
        data: bytes | None,
        decode: Decode[T],
        shown: str,
        rate_class: RateClass,
        trace: CallTrace,
    ) -> tuple[T, int, int]:
        """The retry loop: the decoded body, its status and the retries it took."""
        deadline = (
            None if self._total_timeout is None else self.clock.monotonic() + self._total_timeout
        )
        attempt = 0
        while True:
            waited_from = self._now_ns() if trace.recording else 0
            await self.limiter.acquire(self._limit_key(), rate_class)
            if trace.recording:
                sent_at = self._now_ns()
                trace.limiter_wait(waited_from, sent_at)
            failure: CallRailFailure
            status: int | None = None
            try:
                status, response_headers, body = await self._send(method, url, headers, data)
            except (aiohttp.ClientError, TimeoutError, asyncio.IncompleteReadError) as exc:
                if trace.recording:
                    trace.attempt(attempt + 1, sent_at, self._now_ns(), None, type(exc).__name__)
                failure = TransportError(
                    f"{type(exc).__name__}: {exc}".rstrip(": "),
                    method=method,
                    url=shown,
                    retries=attempt,
                )
                retry = self.retry.should_retry_failure(method, attempt)
                retry_after = None
            else:
                if trace.recording:
                    trace.attempt(attempt + 1, sent_at, self._now_ns(), status, None)
                if 200 <= status < 300:
                    try:
                        return decode(body), status, attempt
                    except (
                        msgspec.DecodeError,
                        msgspec.ValidationError,
                        UnicodeDecodeError,
                    ) as exc:
                        failure = TransportError(
                            f"undecodable {status} response body ({exc})",
                            method=method,
                            url=shown,
                            body=_protocol.body_snippet(body),
                            retries=attempt,
                        )
                        retry = self.retry.should_retry_failure(method, attempt)
                        retry_after = None
                else:
                    retry_after = _protocol.parse_retry_after(
                        response_headers.get("Retry-After"), self.clock.time()
                    )
                    failure = _api_error(status, body, method, shown, retry_after, attempt)
                    retry = self.retry.should_retry_status(method, status, attempt)
                    if status == 429:
                        await self.limiter.rate_limited(self._limit_key(), rate_class, retry_after)
            delay = self.retry.delay(attempt, retry_after) if retry else 0.0
            if retry and deadline is not None and self.clock.monotonic() + delay > deadline:
                retry = False
            if not retry:
                raise failure
            endpoint = self.endpoint_of(url)
            logger.warning(
                "retrying %s %s in %.2fs (attempt %d of %d): %s",
                method,
                endpoint,
                delay,
                attempt + 1,
                self.retry.max_retries,
                _short_reason(failure),
                extra={
                    "callrail": {
                        "method": method,
                        "endpoint": endpoint,
                        "status": status,
                        "attempt": attempt + 1,
                        "wait": round(delay, 3),
                        "account": self._limit_key(),
                    }
                },
            )
            await self.clock.sleep(delay)
            attempt += 1

    async def download(self, url: str | URL, destination: Path, chunk_size: int = 1 << 16) -> int:
        """Stream a file to ``destination``. Credentials go only to the configured API host
        (media of text messages); elsewhere (recordings, which carry their own access key and
        redirect to storage) none are sent."""
        target = URL(url) if isinstance(url, str) else url
        if target.scheme not in ("https", "http") or not target.host:
            raise UnsafeURLError(f"not a downloadable URL: {str(url)[:200]!r}", str(url))
        ours = (target.scheme, target.host, target.port) == (
            self.base_url.scheme, self.base_url.host, self.base_url.port,
        )  # fmt: skip
        headers = {"User-Agent": self._headers.get("User-Agent", "callrail-async")}
        if ours:
            headers = dict(self._headers)
        written = 0
        try:
            async with self.session.get(
                target, headers=headers, timeout=self._timeout, allow_redirects=not ours
            ) as response:
                if response.status >= 400:
                    body = await response.read()
                    raise _api_error(response.status, body, "GET", str(target.with_query(None)),
                                     None, 0)  # fmt: skip
                with open(destination, "wb") as handle:  # noqa: ASYNC230 - chunked below
                    async for chunk in response.content.iter_chunked(chunk_size):
                        handle.write(chunk)
                        written += len(chunk)
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransportError(
                f"{type(exc).__name__}: {exc}", method="GET", url=str(target.with_query(None))
            ) from exc
        return written

    async def _send(
        self, method: str, url: URL, headers: Mapping[str, str], data: bytes | None
    ) -> tuple[int, Mapping[str, str], bytes]:
        logger.debug("%s %s", method, url)
        async with self.session.request(
            method,
            url,
            headers=headers,
            data=data,
            timeout=self._timeout,
            allow_redirects=False,
        ) as response:
            if response.content_length and response.content_length > MAX_BODY_BYTES:
                raise aiohttp.ClientPayloadError(
                    f"response body of {response.content_length} bytes is over the limit"
                )
            body = await response.read()
            if self._log_bodies:
                logger.debug("%s %s -> %d %s", method, url, response.status, body[:2000])
            else:
                logger.debug("%s %s -> %d (%d bytes)", method, url, response.status, len(body))
            return response.status, response.headers, body


CallRailFailure = APIError | TransportError


def _api_error(
    status: int, body: bytes, method: str, url: str, retry_after: float | None, retries: int
) -> APIError:
    message = _protocol.error_message(body)
    snippet = _protocol.body_snippet(body)
    if 300 <= status < 400:
        message = f"unexpected redirect ({status}); the CallRail API does not redirect"
    cls = _protocol.error_class(status)
    if issubclass(cls, RateLimitError):
        return cls(
            message,
            status=status,
            method=method,
            url=url,
            body=snippet,
            retries=retries,
            retry_after=retry_after,
        )
    return cls(message, status=status, method=method, url=url, body=snippet, retries=retries)


def _short_reason(failure: CallRailFailure) -> str:
    if isinstance(failure, APIError):
        return f"HTTP {failure.status}"
    return str(failure.args[0]).split(" on ", 1)[0]
