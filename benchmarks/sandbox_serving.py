"""How fast the sandbox serves call pages (per_page=250) with 1,000,000 calls loaded.

    python -m benchmarks.sandbox_serving [--calls 1000000] [--pages 400]

The sandbox runs in its own process; a plain aiohttp client fetches shallow pages, deep pages
(the end of the list) and relative pages, and the figures show page depth does not matter.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import time
from typing import Any

import aiohttp

from ._common import sandbox_process, save, table

HEADERS = {"Authorization": 'Token token="sandbox-api-key"'}


async def _measure(origin: str, calls: int, pages: int, concurrency: int) -> dict[str, Any]:
    async with aiohttp.ClientSession(headers=HEADERS) as session:
        async with session.get(f"{origin}/v3/a.json") as response:
            account = (await response.json())["accounts"][0]["id"]
        base = f"{origin}/v3/a/{account}/calls.json"
        window = _widest_window()

        async def offset_run(first_page: int) -> float:
            numbers = list(range(first_page, first_page + pages))
            queue: asyncio.Queue[int] = asyncio.Queue()
            for n in numbers:
                queue.put_nowait(n)

            async def worker() -> None:
                while not queue.empty():
                    n = queue.get_nowait()
                    params = {"per_page": "250", "page": str(n), **window}
                    async with session.get(base, params=params) as response:
                        await response.read()
                        assert response.status == 200

            started = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(concurrency)))
            return pages / (time.perf_counter() - started)

        async def relative_run() -> float:
            url: str | None = base
            params: dict[str, str] | None = {
                "per_page": "250",
                "relative_pagination": "true",
                **window,
            }
            started = time.perf_counter()
            for _ in range(pages):
                assert url is not None
                async with session.get(url, params=params) as response:
                    body = await response.json()
                link = body.get("next_page")
                url = f"{origin}/v3/{link.split('/v3/', 1)[1]}" if link else None
                params = None
                if url is None:
                    break
            return pages / (time.perf_counter() - started)

        async with session.get(base, params={"per_page": "250", **window}) as response:
            body = await response.json()
        total_pages = body["total_pages"]
        shallow = await offset_run(1)
        deep = await offset_run(max(1, total_pages - pages + 1))
        relative = await relative_run()
        return {
            "calls_loaded": calls,
            "calls_in_window": body["total_records"],
            "total_pages": total_pages,
            "pages_per_run": pages,
            "concurrency": concurrency,
            "offset_shallow_pages_per_s": shallow,
            "offset_deep_pages_per_s": deep,
            "relative_sequential_pages_per_s": relative,
        }


def _widest_window() -> dict[str, str]:
    """Two years back: every seeded call, inside CallRail's 25-month retention."""
    today = dt.date.today()
    start = today - dt.timedelta(days=24 * 30)
    return {"start_date": start.isoformat(), "end_date": today.isoformat()}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    with sandbox_process("--calls", str(args.calls), "--span-days", "700") as origin:
        ready = time.perf_counter() - started
        result = asyncio.run(_measure(origin, args.calls, args.pages, args.concurrency))
    result["startup_seconds"] = ready
    print(f"sandbox serving, per_page=250, {args.calls:,} calls loaded (start-up {ready:.1f}s)")
    print(
        table(
            ["walk", "pages/s", "calls/s"],
            [
                ["offset, first pages", result["offset_shallow_pages_per_s"],
                 result["offset_shallow_pages_per_s"] * 250],
                ["offset, last pages", result["offset_deep_pages_per_s"],
                 result["offset_deep_pages_per_s"] * 250],
                ["relative (sequential)", result["relative_sequential_pages_per_s"],
                 result["relative_sequential_pages_per_s"] * 250],
            ],
        )
    )  # fmt: skip
    print(f"results: {save('sandbox_serving', result)}")
    return result


if __name__ == "__main__":
    main()
