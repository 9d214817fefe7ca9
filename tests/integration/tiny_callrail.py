"""A tiny CallRail of our own for the export's hostile cases: calls and their daily counts.

Only what an export of calls needs: ``calls.json`` (filtered by ``start_date``/``end_date``,
sorted by start time, paged) and ``calls/timeseries.json`` (daily ``total_calls``). Calls
can be hidden or added (in the past, too) between requests through ``before_request``, and
``list_zone`` makes the call list read its dates in another zone than the ``time_zone`` it
is sent, as a hostile or buggy server might; ``timeseries_status`` makes the daily counts
fail with that status (CallRail's independent count unavailable); ``first_page_only``
makes the call list ignore ``page`` (every request gets the first page again).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from callrail_async import CallRail, RateLimits

ACCOUNT = "ACC" + "0" * 32


class TinyCallRail:
    """``async with TinyCallRail(starts) as server:`` serves calls starting at ``starts``."""

    def __init__(
        self,
        starts: list[float],
        *,
        list_zone: str | None = None,
        timeseries_status: int | None = None,
        first_page_only: bool = False,
    ) -> None:
        self.calls: dict[str, float] = {}
        self.hidden: set[str] = set()
        self.list_zone = list_zone
        self.timeseries_status = timeseries_status
        self.first_page_only = first_page_only
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.before_request: Callable[[TinyCallRail, str, dict[str, str]], None] | None = None
        for start in starts:
            self.add(start)
        self._runner: web.AppRunner | None = None
        self.port = 0

    def add(self, start: float) -> str:
        """A new call starting at ``start`` (any time, the past included); its id."""
        call_id = f"CAL{len(self.calls):032x}"
        self.calls[call_id] = float(int(start))
        return call_id

    def visible(self) -> dict[str, float]:
        """The calls a listing shows."""
        return {i: t for i, t in self.calls.items() if i not in self.hidden}

    def client(self, **kwargs: Any) -> CallRail:
        """A client for this server (rate limiting off)."""
        kwargs.setdefault("rate_limits", RateLimits.unlimited())
        return CallRail(
            api_key="tiny", base_url=f"http://127.0.0.1:{self.port}/v3/", account_id=ACCOUNT,
            **kwargs,
        )  # fmt: skip

    async def __aenter__(self) -> TinyCallRail:
        app = web.Application()
        app.router.add_get(f"/v3/a/{ACCOUNT}/calls.json", self._calls)
        app.router.add_get(f"/v3/a/{ACCOUNT}/calls/timeseries.json", self._timeseries)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._runner is not None
        await self._runner.cleanup()

    def _seen(self, kind: str, request: web.Request) -> dict[str, str]:
        params = dict(request.query)
        self.requests.append((kind, params))
        if self.before_request is not None:
            self.before_request(self, kind, params)
        return params

    async def _calls(self, request: web.Request) -> web.Response:
        params = self._seen("calls", request)
        zone = ZoneInfo(self.list_zone or params.get("time_zone", "UTC"))
        start = _moment(params["start_date"], zone, end=False)
        end = _moment(params["end_date"], zone, end=True)
        rows = sorted(
            (t, i) for i, t in self.visible().items() if start <= t <= end
        )  # fmt: skip
        per_page, page = int(params.get("per_page", "100")), int(params.get("page", "1"))
        page = 1 if self.first_page_only else page
        chunk = rows[(page - 1) * per_page : page * per_page]
        calls = [
            {"id": i, "start_time": dt.datetime.fromtimestamp(t, dt.UTC).isoformat(),
             "duration": 1}
            for t, i in chunk
        ]  # fmt: skip
        return web.json_response(
            {"page": page, "per_page": per_page, "total_pages": math.ceil(len(rows) / per_page),
             "total_records": len(rows), "calls": calls}
        )  # fmt: skip

    async def _timeseries(self, request: web.Request) -> web.Response:
        params = self._seen("timeseries", request)
        if self.timeseries_status is not None:
            body = {"error": "Daily counts are unavailable"}
            return web.json_response(body, status=self.timeseries_status)
        first = dt.date.fromisoformat(params["start_date"])
        last = dt.date.fromisoformat(params["end_date"])
        counts: dict[dt.date, int] = {}
        for t in self.visible().values():
            day = dt.datetime.fromtimestamp(t, dt.UTC).date()
            counts[day] = counts.get(day, 0) + 1
        data = []
        day = first
        while day <= last:
            data.append({"date": day.isoformat(), "total_calls": counts.get(day, 0)})
            day += dt.timedelta(days=1)
        return web.json_response({"time_zone": "UTC", "data": data})


def _moment(text: str, zone: ZoneInfo, *, end: bool) -> float:
    if len(text) == 10:
        day = dt.date.fromisoformat(text)
        clock = dt.time(23, 59, 59, 999_999) if end else dt.time()
        return dt.datetime.combine(day, clock, zone).timestamp()
    return dt.datetime.fromisoformat(text).replace(tzinfo=zone).timestamp()
