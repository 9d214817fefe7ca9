"""Testing tools: :class:`Sandbox`, a fake CallRail v3 (and Maton gateway) server.

Use it in your own test suites::

    from callrail_async.testing import Sandbox

    async with Sandbox(calls=1000) as sandbox:
        async with sandbox.client() as client:
            calls = await client.calls.list(date_range="last_30_days").collect()
"""

from ..clock import ManualClock
from ._knobs import ALL_FAULTS, ErrorStyle, FaultKind, Faults, LiveTraffic, RateLimitWindows
from ._server import RequestRecord, Sandbox, Stats

__all__ = [
    "ALL_FAULTS",
    "ErrorStyle",
    "FaultKind",
    "Faults",
    "LiveTraffic",
    "ManualClock",
    "RateLimitWindows",
    "RequestRecord",
    "Sandbox",
    "Stats",
]
