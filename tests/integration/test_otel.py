"""OpenTelemetry spans and metrics, recorded by the SDK against the sandbox over real HTTP."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

pytest.importorskip("opentelemetry.sdk", reason="the otel extra is not installed")

from aiohttp import web
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from callrail_async import CallRail, ManualClock, NotFoundError, RateLimits, Window
from callrail_async.otel import OpenTelemetryInstrumentation
from callrail_async.testing import Faults, RateLimitWindows, Sandbox

PERSONAL = ("Jane", "555", "0100", "search", "sandbox-api-key", "Token")


class Recorded:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        tracer_provider = TracerProvider()
        tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        meter_provider = MeterProvider(metric_readers=[self.reader])
        self.instrumentation = OpenTelemetryInstrumentation(tracer_provider, meter_provider)

    def spans(self) -> list[ReadableSpan]:
        return list(self.exporter.get_finished_spans())

    def metrics(self) -> dict[str, float]:
        data = self.reader.get_metrics_data()
        totals: dict[str, float] = {}
        assert data is not None
        for resource in data.resource_metrics:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    points: Any = metric.data.data_points
                    totals[metric.name] = sum(p.value for p in points)
        return totals


def _everything_said(spans: list[ReadableSpan]) -> str:
    return " ".join(f"{s.name} {dict(s.attributes or {})} {s.status.description}" for s in spans)


ACC = "ACC8154748ae6bd4e278a7cddd38a662f4f"


@asynccontextmanager
async def _flaky_callrail(failures: int) -> AsyncIterator[str]:
    """A few-line CallRail: ``a.json`` fails ``failures`` times with 503, calls list, 404."""
    left = [failures]

    async def accounts(request: web.Request) -> web.Response:
        if left[0] > 0:
            left[0] -= 1
            return web.json_response({"error": "busy"}, status=503)
        return web.json_response({"accounts": [{"id": ACC}], "total_records": 1})

    async def calls(request: web.Request) -> web.Response:
        return web.json_response({"calls": [{"id": "CAL1"}], "page": 1, "total_pages": 1})

    async def missing(request: web.Request) -> web.Response:
        return web.json_response({"error": "Call not found"}, status=404)

    app = web.Application()
    app.router.add_get("/v3/a.json", accounts)
    app.router.add_get(f"/v3/a/{ACC}/calls.json", calls)
    app.router.add_get(f"/v3/a/{ACC}/calls/{{call_id}}.json", missing)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}/v3/"
    finally:
        await runner.cleanup()


async def test_one_span_per_call_with_attempt_children_and_no_personal_data() -> None:
    recorded = Recorded()
    async with _flaky_callrail(failures=2) as base_url:
        async with CallRail(
            api_key="sandbox-api-key",
            base_url=base_url,
            instrumentation=recorded.instrumentation,
            clock=ManualClock(),
            max_retries=2,
        ) as client:
            page = await client.calls.list(search="Jane Doe +1 555 0100", per_page=5)
            assert [c.id for c in page.items] == ["CAL1"]
            with pytest.raises(NotFoundError):
                await client.calls.get("CAL00000000000000000000000000000000")
    spans = recorded.spans()
    calls = [s for s in spans if s.name.startswith("CallRail ")]
    assert [s.name for s in calls] == [
        "CallRail GET a.json",
        "CallRail GET a/{aid}/calls.json",
        "CallRail GET a/{aid}/calls/{call_id}.json",
    ]
    discovery, listing, missing = calls
    attempts = [s for s in spans if s.parent and s.parent.span_id == discovery.context.span_id]
    assert [s.name for s in attempts] == ["attempt 1", "attempt 2", "attempt 3"]
    statuses = [dict(s.attributes or {})["http.response.status_code"] for s in attempts]
    assert statuses == [503, 503, 200]
    assert dict(discovery.attributes or {})["callrail.retries"] == 2
    assert dict(listing.attributes or {})["callrail.account"] == ACC
    assert dict(missing.attributes or {})["http.response.status_code"] == 404
    assert not missing.status.is_ok and listing.status.is_ok
    said = _everything_said(spans)
    assert not any(word in said for word in PERSONAL), said
    metrics = recorded.metrics()
    assert metrics["callrail.requests"] == 5
    assert metrics["callrail.retries"] == 2


async def test_429s_and_limiter_waits_are_counted() -> None:
    recorded = Recorded()
    clock = ManualClock()
    limits = RateLimits(general=[Window(limit=3, seconds=60)])
    windows = RateLimitWindows(general=[(2, 60)], maton_per_second=None)
    async with Sandbox(calls=20, rate_limits=windows, clock=clock) as sandbox:
        async with sandbox.client(
            instrumentation=recorded.instrumentation, clock=clock, rate_limits=limits
        ) as client:
            for _ in range(4):
                await client.calls.list(per_page=1)
    metrics = recorded.metrics()
    assert metrics["callrail.rate_limited"] >= 1
    assert metrics["callrail.limiter.wait"] > 0
    waits = [s for s in recorded.spans() if s.name == "rate limit wait"]
    assert waits, "a wait longer than a millisecond gets its own span"


async def test_retry_log_record_is_structured_and_has_no_query(
    caplog: pytest.LogCaptureFixture,
) -> None:
    faults = Faults(rate=1.0, kinds=("500",), seed=1)
    async with Sandbox(calls=10, faults=faults) as sandbox:
        async with sandbox.client(clock=ManualClock(), max_retries=1) as client:
            with caplog.at_level(logging.INFO, logger="callrail_async"):
                with pytest.raises(Exception):  # noqa: B017 - any SDK error; checked below
                    await client.calls.list(search="Jane Doe", per_page=1)
    (record,) = [r for r in caplog.records if r.levelno >= logging.INFO]
    fields = record.__dict__["callrail"]
    assert fields["method"] == "GET" and fields["status"] == 500 and fields["attempt"] == 1
    assert fields["endpoint"] in ("a.json", "a/{aid}/calls.json")
    assert "Jane" not in record.getMessage() and "search" not in record.getMessage()
