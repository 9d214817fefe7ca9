"""Sending requests: the retry loop, the deadlines, the body limit, decoding.

The SDK's HTTP client code lives here, in ``_download.py`` (files streamed to disk),
``_session.py`` (the session and its connection slots) and ``_failures.py`` (aiohttp
failures to SDK errors); ``webhooks`` and ``testing`` use ``aiohttp.web`` as servers.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import aiohttp
import msgspec
from yarl import URL

from . import _failures, _protocol
from ._download import download
from ._session import SessionPool
from ._telemetry import NO_TRACE, CallTrace, Instrumentation
from ._templates import EndpointTemplates
from .clock import Clock
from .errors import (
    CallRailError,
    ClientClosedError,
    Phase,
    RequestTimeoutError,
    ResponseDecodeError,
    UnsafeURLError,
)
from .ratelimit import Limiter, RateClass
from .retry import RetryPolicy

T = TypeVar("T")
Decode = Callable[[bytes], T]

logger = logging.getLogger("callrail_async")

DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024
"""The default ``max_body_bytes``: 64 MiB of decoded body (a 250-call page with every field
and transcriptions is a few MiB)."""
DEFAULT_MAX_DOWNLOAD_BYTES = 1 << 30
"""The default ``max_download_bytes``: 1 GiB (an hour of call recording is about 60 MB)."""


def decode_nothing(body: bytes) -> None:
    """Decoder for responses without a meaningful body (DELETE's 204)."""


@dataclass(slots=True)
class _Call:
    """One call's progress: where it waits now, and when its ``total_timeout`` passes."""

    method: str
    url: URL
    deadline: float | None
    phase: Phase = "rate-limit wait"
    attempt: int = 0
    trace: CallTrace = NO_TRACE
    status: int | None = None

    def timed_out(self, timeout: float, *, total: bool) -> RequestTimeoutError:
        return RequestTimeoutError(
            phase=self.phase,
            timeout=timeout,
            total=total,
            method=self.method,
            url=str(self.url.with_query(None)),
            retries=self.attempt,
        )


@dataclass(frozen=True, slots=True)
class _Request(Generic[T]):
    """What each attempt of a call sends, and how its answer is decoded."""

    headers: Mapping[str, str]
    data: bytes | None
    decode: Decode[T]
    rate_class: RateClass


@dataclass(slots=True)
class _Failure:
    """An attempt that did not give a result: the error, and whether to try again."""

    error: CallRailError
    retry: bool
    retry_after: float | None = None


class Transport:
    """Sends requests to one API host with one set of credentials, over a shared
    :class:`SessionPool`, through the limiter and the retry policy."""

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
        pool: SessionPool,
        owns_pool: bool = True,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        max_download_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES,
        log_bodies: bool = False,
        limit_key: Callable[[], str] = lambda: "default",
        instrumentation: Instrumentation | None = None,
        templates: EndpointTemplates | None = None,
        proxy: str | None = None,
    ) -> None:
        self.proxy = proxy
        self.base_url = base_url
        self._base_text = str(base_url)  # url_for runs on every request: render it once
        self._headers = dict(headers)
        self.retry = retry
        self.limiter = limiter
        self.clock = clock
        self._timeout = timeout
        self._total_timeout = total_timeout
        # Connect bound only: the whole attempt runs under asyncio.timeout (see _send).
        self._aiohttp_timeout = aiohttp.ClientTimeout(total=None, sock_connect=timeout)
        self._download_timeout = aiohttp.ClientTimeout(sock_connect=timeout, sock_read=timeout)
        self.pool = pool
        self._owns_pool = owns_pool
        self._closed = False
        self.max_body_bytes = max_body_bytes
        self.max_download_bytes = max_download_bytes
        self._log_bodies = log_bodies
        self._limit_key = limit_key
        self._instrumentation = instrumentation or Instrumentation()
        self._templates = templates or EndpointTemplates(())

    def __repr__(self) -> str:
        return f"Transport(base_url={str(self.base_url)!r})"

    @property
    def closed(self) -> bool:
        """Whether this transport (or the pool it shares) was closed."""
        return self._closed or self.pool.closed

    @property
    def session(self) -> aiohttp.ClientSession:
        """The HTTP session (created on first use); :class:`ClientClosedError` once closed."""
        self._check_open()
        return self.pool.session()

    async def close(self) -> None:
        """Refuse further use and end this transport's calls in progress; close the session
        if this transport's pool created it (which ends every call sharing it)."""
        self._closed = True
        if self._owns_pool:
            await self.pool.close()
        else:
            self.pool.end_calls(self)

    def _check_open(self) -> None:
        if self._closed:
            raise ClientClosedError("this client is closed; create a new CallRail client")
        self.pool.check()

    def share_pool(self, pool: SessionPool) -> None:
        """Use another transport's session (``with_connection``); closing this transport
        leaves that session open."""
        self.pool = pool
        self._owns_pool = False

    def url_for(self, target: str | URL) -> URL:
        """The absolute URL of a path below the base URL, or a pre-validated absolute URL."""
        if isinstance(target, URL):
            return target
        return URL(self._base_text + target)

    def endpoint_of(self, url: URL) -> str:
        """The endpoint template of a URL (``a/{aid}/calls.json``): what logs and spans name."""
        base = self.base_url.path
        path = url.path[len(base) :] if url.path.startswith(base) else url.path.lstrip("/")
        return self._templates.template(path)

    def _now_ns(self) -> int:
        # The client's clock, so that a simulated clock's waits show in traces too.
        return int(self.clock.time() * 1e9)

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

        Raises an :class:`APIError` subclass for error statuses, :class:`ResponseDecodeError`
        for bodies that do not decode, :class:`TransportError` (:class:`RequestTimeoutError`,
        :class:`ResponseTooLargeError`) when no usable response arrived,
        :class:`ClientClosedError` once the client is closed.
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
        call = self._start(method, url)
        request = _Request(headers, data, decode, rate_class)
        if not self._instrumentation.enabled:
            return await self._under_deadline(call, self._attempts(call, request))
        call.trace = self._instrumentation.start_call(
            method, self.endpoint_of(url), self._limit_key()
        )
        try:
            result = await self._under_deadline(call, self._attempts(call, request))
        except BaseException as exc:
            call.trace.end(call.status, type(exc).__name__, call.attempt)
            raise
        call.trace.end(call.status, None, call.attempt)
        return result

    def _start(self, method: str, url: URL) -> _Call:
        self._check_open()
        total = self._total_timeout
        return _Call(method, url, None if total is None else self.clock.monotonic() + total)

    async def _under_deadline(self, call: _Call, work: Awaitable[T]) -> T:
        """Run ``work`` within the call's ``total_timeout`` (real time), naming the phase
        it was in if the deadline passes."""
        whole = asyncio.timeout(self._total_timeout)
        try:
            with self.pool.call(self):
                async with whole:
                    return await work
        except TimeoutError:
            if not whole.expired():
                raise
        assert self._total_timeout is not None
        raise call.timed_out(self._total_timeout, total=True)  # outside `except`: no chain

    def _check_deadline(self, call: _Call) -> None:
        # The simulated-time side of the deadline (a ManualClock's waits take no real time).
        if call.deadline is not None and self.clock.monotonic() >= call.deadline:
            assert self._total_timeout is not None
            raise call.timed_out(self._total_timeout, total=True)

    async def _attempts(self, call: _Call, request: _Request[T]) -> T:
        while True:
            self._check_open()
            call.phase = "rate-limit wait"
            waited_from = self._now_ns() if call.trace.recording else 0
            await self.limiter.acquire(self._limit_key(), request.rate_class)
            if call.trace.recording:
                call.trace.limiter_wait(waited_from, self._now_ns())
            self._check_deadline(call)
            outcome = await self._attempt(call, request)
            if not isinstance(outcome, _Failure):
                return outcome
            if self.closed:
                raise ClientClosedError("this client was closed while the request was in flight")
            delay = self.retry.delay(call.attempt, outcome.retry_after) if outcome.retry else 0.0
            retry = outcome.retry
            if retry and call.deadline is not None:
                retry = self.clock.monotonic() + delay < call.deadline
            if not retry:
                raise outcome.error
            endpoint = self.endpoint_of(call.url)
            logger.warning(
                "retrying %s %s in %.2fs (attempt %d of %d): %s",
                call.method,
                endpoint,
                delay,
                call.attempt + 1,
                self.retry.max_retries,
                _failures.short_reason(outcome.error),
                extra={
                    "callrail": {
                        "method": call.method,
                        "endpoint": endpoint,
                        "status": call.status,
                        "attempt": call.attempt + 1,
                        "wait": round(delay, 3),
                        "account": self._limit_key(),
                    }
                },
            )
            call.phase = "retry backoff"
            await self.clock.sleep(delay)
            call.attempt += 1

    async def _attempt(self, call: _Call, request: _Request[T]) -> T | _Failure:
        """One attempt, reported to the call's trace when it is recording."""
        if not call.trace.recording:
            return await self._attempt_once(call, request)
        started = self._now_ns()
        try:
            outcome = await self._attempt_once(call, request)
        except BaseException as exc:
            call.trace.attempt(call.attempt + 1, started, self._now_ns(), None, type(exc).__name__)
            raise
        error = None
        if isinstance(outcome, _Failure) and call.status is None:
            error = type(outcome.error).__name__
        call.trace.attempt(call.attempt + 1, started, self._now_ns(), call.status, error)
        return outcome

    async def _attempt_once(self, call: _Call, request: _Request[T]) -> T | _Failure:
        method, url, attempt = call.method, call.url, call.attempt
        call.status = None
        retryable = self.retry.should_retry_failure(method, attempt)
        try:
            status, response_headers, body = await self._send(call, request)
        except CallRailError:  # closed, wrong event loop: not a network failure
            raise
        except _failures.BodyTooLarge:
            return _Failure(_failures.too_large(self.max_body_bytes, url, method, attempt), False)
        except TimeoutError:  # the per-attempt timeout, or aiohttp's connect timeout
            return _Failure(call.timed_out(self._timeout or 0.0, total=False), retryable)
        except _failures.NETWORK_FAILURES as exc:
            return _Failure(_failures.network_error(exc, url, method, attempt), retryable)
        call.status = status
        if 200 <= status < 300:
            try:
                return request.decode(body)
            except CallRailError:
                raise
            except Exception as exc:  # whatever the body, only our errors escape
                error = ResponseDecodeError(
                    f"undecodable {status} response body ({_failures.describe(exc, url)})",
                    status=status,
                    method=method,
                    url=str(url.with_query(None)),
                    retries=attempt,
                )  # no body snippet: a 2xx body is records, with names and phone numbers
                # Malformed bytes may be a glitch; a shape the model refuses will not change.
                malformed = isinstance(exc, (msgspec.DecodeError, UnicodeDecodeError))
                transient = malformed and not isinstance(exc, msgspec.ValidationError)
                return _Failure(error, retryable and transient)
        retry_after = self.retry.bounded_retry_after(
            _protocol.parse_retry_after(response_headers.get("Retry-After"), self.clock.time())
        )
        if status == 429:
            await self.limiter.rate_limited(self._limit_key(), request.rate_class, retry_after)
        return _Failure(
            _failures.api_error(status, body, method, url, retry_after, attempt),
            self.retry.should_retry_status(method, status, attempt),
            retry_after,
        )

    async def _send(
        self, call: _Call, request: _Request[T]
    ) -> tuple[int, Mapping[str, str], bytes]:
        method, url = call.method, call.url
        logger.debug("%s %s", method, url)
        call.phase = "connection wait"
        async with self.pool.slot() as session, asyncio.timeout(self._timeout):
            call.phase = "waiting for response"
            async with session.request(
                method,
                url,
                headers=request.headers,
                data=request.data,
                timeout=self._aiohttp_timeout,
                allow_redirects=False,
                proxy=self.proxy,
            ) as response:
                call.phase = "reading body"
                status = response.status
                if status < 300:
                    body = await _failures.read_body(response, self.max_body_bytes, truncate=False)
                else:
                    limit = min(self.max_body_bytes, _failures.ERROR_BODY_BYTES)
                    body = await _failures.read_body(response, limit, truncate=True)
                if self._log_bodies:
                    logger.debug("%s %s -> %d %s", method, url, status, body[:2000])
                else:
                    logger.debug("%s %s -> %d (%d bytes)", method, url, status, len(body))
                return status, response.headers, body

    async def download(self, url: str | URL, destination: Path, chunk_size: int = 1 << 16) -> int:
        """Stream a file to ``destination``; returns the bytes written.

        The bytes go to a temporary file beside ``destination``, renamed over it only once
        the whole body has arrived: a failure leaves ``destination`` as it was. Credentials
        go only to the configured API host (media of text messages); elsewhere (recordings,
        which carry their own access key and redirect to storage) none are sent.
        ``total_timeout`` bounds the whole download; ``timeout`` bounds connecting and each
        wait for more bytes (not the whole transfer: recordings may be large);
        ``max_download_bytes`` bounds the file as decoded (:class:`ResponseTooLargeError`,
        refused at once when ``Content-Length`` announces more).
        """
        return await download(self, url, destination, chunk_size)
