"""What the transport reports about each logical call, for tracing and metrics.

The transport calls :meth:`Instrumentation.start_call` once per logical call (one SDK
method call, retries included) and reports each rate-limiter wait and each attempt on the
returned :class:`CallTrace`, with nanosecond times read from the client's clock. Nothing here
sees a query string, a header or a body: only the method, the endpoint's path template
(``a/{aid}/calls/{call_id}.json``), the account, statuses and durations.

The default :class:`Instrumentation` records nothing and costs one attribute lookup per
call; :mod:`callrail_async.otel` records OpenTelemetry spans and metrics.
"""

from __future__ import annotations


class CallTrace:
    """One logical call being observed; this base class records nothing."""

    recording = False
    """Whether the transport should measure times for this trace at all."""

    def limiter_wait(self, start_ns: int, end_ns: int) -> None:
        """The rate limiter held the call from ``start_ns`` to ``end_ns`` (epoch ns)."""

    def attempt(
        self, number: int, start_ns: int, end_ns: int, status: int | None, error: str | None
    ) -> None:
        """Attempt ``number`` (1-based) ran; ``status`` if a response came, else ``error``
        (an exception class name, never its text)."""

    def end(self, status: int | None, error: str | None, retries: int) -> None:
        """The logical call is over: its last status or error, and how many retries it took."""


class Instrumentation:
    """Observes the client's calls; this base class records nothing."""

    enabled = False
    """Whether the transport should start traces at all (False: it skips the work)."""

    def start_call(self, method: str, endpoint: str, account: str) -> CallTrace:
        """A trace for a call to ``endpoint`` (a path template, no ids or query)."""
        return NO_TRACE


NO_TRACE = CallTrace()
