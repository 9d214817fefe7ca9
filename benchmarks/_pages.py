"""A tiny CallRail for benchmarks: pre-rendered calls served as fast as aiohttp can.

    python -m benchmarks._pages --calls 100000 [--latency 0.15]

The sandbox renders every record per request and serves ~40-90k records/s, so a client
measured against it waits on the server. Here each call is encoded once at start; a page
is a slice of pre-encoded records joined into an envelope. It answers what the benchmarks
ask: offset pages (``page``), relative pages (``next_page`` links), the date windows of
the default listing (``start_date``/``end_date`` in UTC seconds, ``sort=start_time``,
``order``), and one call by id. Prints ``listening on <origin>`` once ready.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import datetime as dt
import time

import msgspec
from aiohttp import web

from callrail_async.testing._data import generate

ACCOUNT = "ACC00000000000000000000000000000001"
SPAN_DAYS = 6


class Calls:
    """The calls, oldest first, each pre-encoded, with their start times (epoch)."""

    def __init__(self, count: int) -> None:
        data = generate(calls=count, now=time.time(), span_days=SPAN_DAYS)
        store = data.accounts[0].calls
        records = [store.core(i) for i in range(count)]
        records.sort(key=lambda r: (dt.datetime.fromisoformat(r["start_time"]), r["id"]))
        self.bodies = [msgspec.json.encode(r) for r in records]
        self.starts = [dt.datetime.fromisoformat(r["start_time"]).timestamp() for r in records]
        self.by_id = {r["id"]: body for r, body in zip(records, self.bodies, strict=True)}
        self.first_day = dt.datetime.fromtimestamp(self.starts[0], dt.UTC).date()
        self.last_day = dt.datetime.fromtimestamp(self.starts[-1], dt.UTC).date()

    def select(self, query: web.Request) -> range:
        """Indices of the calls the query's dates select (UTC seconds, end inclusive)."""
        start, end = query.query.get("start_date", ""), query.query.get("end_date", "")
        if not start:
            return range(len(self.bodies))
        low = _epoch(start)
        high = _epoch(end) + (1 if "T" in end else 86_400)  # a date-only end: all that day
        return range(bisect.bisect_left(self.starts, low), bisect.bisect_left(self.starts, high))


def _epoch(text: str) -> float:
    moment = dt.datetime.fromisoformat(text)  # the account's time zone here is UTC
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp()


def app(calls: Calls, latency: float) -> web.Application:
    """The aiohttp application."""

    async def wait() -> None:
        if latency:
            await asyncio.sleep(latency)

    async def list_calls(request: web.Request) -> web.Response:
        await wait()
        q = request.query
        per_page = int(q.get("per_page", "100"))
        chosen = calls.select(request)
        if q.get("order") == "desc":
            chosen = chosen[::-1]
        total = len(chosen)
        if q.get("relative_pagination") == "true":
            offset = int(q.get("offset", "0"))
            part = chosen[offset * per_page : (offset + 1) * per_page]
            more = (offset + 1) * per_page < total
            link = f"{request.url.origin()}/v3/a/{ACCOUNT}/calls?{_next(q, offset + 1)}"
            meta = {
                "per_page": per_page,
                "has_next_page": more,
                "next_page": link if more else None,
            }
        else:
            page = int(q.get("page", "1"))
            part = chosen[(page - 1) * per_page : page * per_page]
            meta = {"page": page, "per_page": per_page, "total_records": total,
                    "total_pages": max(1, -(-total // per_page))}  # fmt: skip
        head = msgspec.json.encode(meta)[:-1]
        body = head + b',"calls":[' + b",".join(calls.bodies[i] for i in part) + b"]}"
        return web.Response(body=body, content_type="application/json")

    async def get_call(request: web.Request) -> web.Response:
        await wait()
        body = calls.by_id.get(request.match_info["call"].removesuffix(".json"))
        if body is None:
            return web.json_response({"error": "Call not found"}, status=404)
        return web.Response(body=body, content_type="application/json")

    application = web.Application()
    application.router.add_get(f"/v3/a/{ACCOUNT}/calls.json", list_calls)
    application.router.add_get(f"/v3/a/{ACCOUNT}/calls", list_calls)
    application.router.add_get(f"/v3/a/{ACCOUNT}/calls/{{call}}", get_call)
    return application


def _next(query: object, offset: int) -> str:
    from urllib.parse import urlencode

    pairs = [(k, v) for k, v in query.items() if k != "offset"]  # type: ignore[attr-defined]
    return urlencode([*pairs, ("offset", str(offset))])


async def serve(count: int, latency: float) -> None:
    """Serve until killed."""
    calls = Calls(count)
    runner = web.AppRunner(app(calls, latency), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"listening on http://127.0.0.1:{port} {calls.first_day} {calls.last_day}", flush=True)
    await asyncio.Event().wait()


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    asyncio.run(serve(args.calls, args.latency))


if __name__ == "__main__":
    main()
