"""Testing tools: :class:`Sandbox`, a fake CallRail v3 (and Maton gateway) server.

Use it in your own test suites::

    from callrail_async.testing import Sandbox

    async with Sandbox(calls=1000) as sandbox:
        async with sandbox.client() as client:
            calls = await client.calls.list(date_range="last_30_days").collect()

The sandbox deliberately keeps its own copy of CallRail's vocabulary (field names, filter
values, sorts, enum values), written from the API reference and independent of the SDK's
``enums.py`` and models: if the SDK gets a name wrong, the sandbox answers as CallRail would
(a 400, a missing key) instead of agreeing with the mistake.
"""

from ..clock import ManualClock
from ._knobs import ALL_FAULTS, ErrorStyle, FaultKind, Faults, LiveTraffic, RateLimitWindows
from ._server import Sandbox
from ._stats import RequestRecord, Stats

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
