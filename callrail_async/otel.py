"""OpenTelemetry tracing and metrics for the SDK (``pip install 'callrail-async[otel]'``).

::

    from callrail_async import CallRail
    from callrail_async.otel import OpenTelemetryInstrumentation

    async with CallRail(instrumentation=OpenTelemetryInstrumentation()) as client:
        ...

Each logical call (one SDK method call, retries included) is a ``CLIENT`` span named
``CallRail GET a/{aid}/calls.json``, with a child span per attempt and per rate-limiter wait
longer than a millisecond. Attributes: HTTP method, endpoint template, account id, status,
retries and seconds waited for the rate limiter. Metrics: ``callrail.requests`` (attempts
sent), ``callrail.retries``, ``callrail.rate_limited`` (429 answers) and
``callrail.limiter.wait`` (seconds). No URL, query, header or body is recorded: CallRail's
queries carry phone numbers and names. aiohttp's own instrumentation
(``opentelemetry-instrumentation-aiohttp-client``) records the full URL with its query, so
use this instead of it for the SDK's session.
"""

from __future__ import annotations

from opentelemetry import metrics, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from ._telemetry import CallTrace, Instrumentation

__all__ = ["OpenTelemetryInstrumentation"]

_SCOPE = "callrail_async"
_MIN_WAIT_SPAN_NS = 1_000_000


class OpenTelemetryInstrumentation(Instrumentation):
    """Records spans and metrics through OpenTelemetry's global (or the given) providers."""

    enabled = True

    def __init__(
        self,
        tracer_provider: trace.TracerProvider | None = None,
        meter_provider: metrics.MeterProvider | None = None,
    ) -> None:
        from . import __version__

        self._tracer = trace.get_tracer(_SCOPE, __version__, tracer_provider)
        meter = metrics.get_meter(_SCOPE, __version__, meter_provider)
        self.requests = meter.create_counter(
            "callrail.requests", unit="{request}", description="HTTP requests sent to CallRail"
        )
        self.retries = meter.create_counter(
            "callrail.retries", unit="{retry}", description="Requests sent again after a failure"
        )
        self.rate_limited = meter.create_counter(
            "callrail.rate_limited", unit="{response}", description="429 answers from CallRail"
        )
        self.limiter_wait = meter.create_counter(
            "callrail.limiter.wait", unit="s", description="Time calls waited for the budget"
        )

    def start_call(self, method: str, endpoint: str, account: str) -> CallTrace:
        return _OtelCallTrace(self, method, endpoint, account)


class _OtelCallTrace(CallTrace):
    recording = True

    def __init__(
        self, owner: OpenTelemetryInstrumentation, method: str, endpoint: str, account: str
    ) -> None:
        self._owner = owner
        self._labels = {"http.request.method": method, "callrail.endpoint": endpoint}
        self._span = owner._tracer.start_span(
            f"CallRail {method} {endpoint}",
            kind=SpanKind.CLIENT,
            attributes={**self._labels, "callrail.account": account},
        )
        self._context = trace.set_span_in_context(self._span)
        self._waited_ns = 0

    def limiter_wait(self, start_ns: int, end_ns: int) -> None:
        waited = max(0, end_ns - start_ns)
        self._waited_ns += waited
        self._owner.limiter_wait.add(waited / 1e9, self._labels)
        if waited >= _MIN_WAIT_SPAN_NS:
            span = self._owner._tracer.start_span(
                "rate limit wait", context=self._context, start_time=start_ns
            )
            span.end(end_time=end_ns)

    def attempt(
        self, number: int, start_ns: int, end_ns: int, status: int | None, error: str | None
    ) -> None:
        self._owner.requests.add(1, self._labels)
        if number > 1:
            self._owner.retries.add(1, self._labels)
        if status == 429:
            self._owner.rate_limited.add(1, self._labels)
        span = self._owner._tracer.start_span(
            f"attempt {number}",
            context=self._context,
            start_time=start_ns,
            attributes={"callrail.attempt": number},
        )
        if status is not None:
            span.set_attribute("http.response.status_code", status)
        if error is not None or (status is not None and status >= 400):
            span.set_status(Status(StatusCode.ERROR, error or f"HTTP {status}"))
        span.end(end_time=end_ns)

    def end(self, status: int | None, error: str | None, retries: int) -> None:
        self._span.set_attribute("callrail.retries", retries)
        self._span.set_attribute("callrail.rate_limit_wait_s", self._waited_ns / 1e9)
        if status is not None:
            self._span.set_attribute("http.response.status_code", status)
        if error is not None or (status is not None and status >= 400):
            self._span.set_status(Status(StatusCode.ERROR, error or f"HTTP {status}"))
        self._span.end()
