"""Full export of calls, side by side with what our users would otherwise use.

    python -m benchmarks.compare [--calls 100000] [--rounds 3] [--latency-rounds 1]

Two settings: the sandbox answering instantly (CPU efficiency) and adding 150 ms to every
response (what a remote API feels like). Same data (all calls within CallRail's default
7-day listing, so every contender's defaults see all of it), per_page 250, contenders run in
fresh processes, interleaved A B C ... per round, median reported:

- ``paginator``: ``client.calls.list(...)`` into structs, offset pages, 10 in flight;
- ``export``: ``callrail_async.export`` (raw passthrough to JSONL), 10 in flight (its default);
- ``urllib``: the loop the Maton gateway documentation teaches: sequential GETs with
  ``urllib.request`` and ``json.load``, through the gateway-style prefix;
- ``pycallrail``: pycallrail 0.9 from PyPI (``account.list_calls()``), its base URL pointed
  at the sandbox (install it with ``bash benchmarks/install.sh``);
- ``floor (structs)`` / ``floor (raw)``: bare aiohttp with the same pool and concurrency,
  decoding with a prebuilt msgspec decoder into plain structs / raw items, no SDK logic.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import msgspec

from ._common import sandbox_process, save, table

KEY = "sandbox-api-key"
MATON_KEY = "sandbox-maton-key"
CONCURRENCY = 10
CONTENDERS = ("paginator", "export", "urllib", "pycallrail", "floor (structs)", "floor (raw)")


class _PlainCall(msgspec.Struct):
    id: str
    answered: bool | None = None
    business_phone_number: str | None = None
    customer_city: str | None = None
    customer_country: str | None = None
    customer_name: str | None = None
    customer_phone_number: str | None = None
    customer_state: str | None = None
    direction: str | None = None
    duration: int | None = None
    recording: str | None = None
    recording_duration: int | str | None = None
    recording_player: str | None = None
    start_time: str | None = None
    tracking_phone_number: str | None = None
    voicemail: bool | None = None


class _StructPage(msgspec.Struct):
    total_pages: int = 0
    calls: list[_PlainCall] = msgspec.field(default_factory=list)


class _RawPage(msgspec.Struct):
    total_pages: int = 0
    calls: list[msgspec.Raw] = msgspec.field(default_factory=list)


async def _account(origin: str) -> str:
    import aiohttp

    headers = {"Authorization": f'Token token="{KEY}"'}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.get(f"{origin}/v3/a.json") as response,
    ):
        return str((await response.json())["accounts"][0]["id"])


async def _paginator(origin: str, account: str) -> int:
    from callrail_async import CallRail, RateLimits

    async with CallRail(api_key=KEY, base_url=f"{origin}/v3/", account_id=account,
                        rate_limits=RateLimits.unlimited()) as client:  # fmt: skip
        calls = await client.calls.list(
            relative=False, per_page=250, concurrency=CONCURRENCY
        ).collect()
    return len(calls)


async def _export(origin: str, account: str) -> int:
    from callrail_async import CallRail, RateLimits
    from callrail_async.export import ExportOptions, export

    with tempfile.TemporaryDirectory() as tmp:
        async with CallRail(api_key=KEY, base_url=f"{origin}/v3/", account_id=account,
                            rate_limits=RateLimits.unlimited()) as client:  # fmt: skip
            report = await export(
                client, ExportOptions(out=Path(tmp) / "c.jsonl", concurrency=CONCURRENCY)
            )
    return report.records


def _urllib(origin: str, account: str) -> int:
    import urllib.request

    records, page, total_pages = 0, 1, 1
    while page <= total_pages:
        url = f"{origin}/callrail/v3/a/{account}/calls.json?per_page=250&page={page}"
        request = urllib.request.Request(url)
        request.add_header("Authorization", f"Bearer {MATON_KEY}")
        with urllib.request.urlopen(request) as response:
            body = json.load(response)
        records += len(body["calls"])
        total_pages = body["total_pages"]
        page += 1
    return records


def _pycallrail(origin: str, account: str) -> int:
    from pycallrail.callrail import CallRail as PyCallRail

    client = PyCallRail(api_key=KEY)
    client.BASE_URL = f"{origin}/v3/"
    target = client.get_account(account_id=account)
    calls = target.list_calls()
    return len(calls or [])


async def _floor(origin: str, account: str, page_type: type[Any]) -> int:
    import aiohttp

    decoder = msgspec.json.Decoder(page_type)
    headers = {"Authorization": f'Token token="{KEY}"'}
    url = f"{origin}/v3/a/{account}/calls.json"
    records = 0
    connector = aiohttp.TCPConnector(limit=32)
    async with aiohttp.ClientSession(headers=headers, connector=connector) as session:

        async def fetch(number: int) -> Any:
            params = {"per_page": "250", "page": str(number)}
            async with session.get(url, params=params) as response:
                return decoder.decode(await response.read())

        first = await fetch(1)
        records += len(first.calls)
        numbers = iter(range(2, first.total_pages + 1))

        async def worker() -> None:
            nonlocal records
            for number in numbers:
                page = await fetch(number)
                records += len(page.calls)

        await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return records


def _worker(kind: str, origin: str, account: str) -> None:
    runners: dict[str, Any] = {
        "paginator": lambda: asyncio.run(_paginator(origin, account)),
        "export": lambda: asyncio.run(_export(origin, account)),
        "urllib": lambda: _urllib(origin, account),
        "pycallrail": lambda: _pycallrail(origin, account),
        "floor (structs)": lambda: asyncio.run(_floor(origin, account, _StructPage)),
        "floor (raw)": lambda: asyncio.run(_floor(origin, account, _RawPage)),
    }
    started = time.perf_counter()
    try:
        records = runners[kind]()
    except ImportError as exc:
        print(json.dumps({"error": f"not installed ({exc.name})"}))
        return
    print(json.dumps({"records": records, "seconds": time.perf_counter() - started}))


def _spawn(kind: str, origin: str, account: str, timeout: float) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.compare", "--worker", kind,
               "--origin", origin, "--account", account]  # fmt: skip
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {timeout:.0f}s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return {"error": f"failed: {last[:120]}"}
    return dict(json.loads(lines[-1]))


def _setting(calls: int, latency: float, rounds: int, timeout: float) -> dict[str, Any]:
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in CONTENDERS}
    args = ["--calls", str(calls), "--span-days", "6", "--latency", str(latency),
            "--next-page-host", "self"]  # fmt: skip
    with sandbox_process(*args) as origin:
        account = asyncio.run(_account(origin))
        for _ in range(rounds):
            for kind in CONTENDERS:
                runs[kind].append(_spawn(kind, origin, account, timeout))
    summary: dict[str, Any] = {}
    for kind, results in runs.items():
        good = [r for r in results if "seconds" in r]
        if not good:
            summary[kind] = {"error": results[0].get("error", "no result")}
            continue
        seconds = statistics.median(r["seconds"] for r in good)
        records = statistics.median(r["records"] for r in good)
        summary[kind] = {"records": records, "seconds": seconds, "rate": records / seconds}
    return summary


def _rows(summary: dict[str, Any], versus: dict[str, str]) -> list[list[object]]:
    rows: list[list[object]] = []
    for kind, figures in summary.items():
        if "error" in figures:
            rows.append([kind, figures["error"], "", "", ""])
            continue
        ratios = []
        for label, other in versus.items():
            theirs = summary.get(other, {})
            if kind != other and "rate" in theirs:
                ratios.append(f"{figures['rate'] / theirs['rate']:.2f}x {label}")
        rows.append([kind, int(figures["records"]), figures["seconds"], figures["rate"],
                     ", ".join(ratios)])  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run both settings and print their tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency-rounds", type=int, default=1)
    parser.add_argument("--latency", type=float, default=0.15)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--worker", choices=CONTENDERS)
    parser.add_argument("--origin")
    parser.add_argument("--account")
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.origin, args.account)
        return {}
    result: dict[str, Any] = {"calls": args.calls}
    headers = ["contender", "records", "seconds", "records/s", "ratio"]
    instant = _setting(args.calls, 0.0, args.rounds, args.timeout)
    result["instant"] = instant
    print(f"full export of {args.calls:,} calls, sandbox answering instantly "
          f"(median of {args.rounds})")  # fmt: skip
    print(table(headers, _rows(instant, {"of floor (structs)": "floor (structs)",
                                         "of floor (raw)": "floor (raw)"})))  # fmt: skip
    if args.latency_rounds:
        slow = _setting(args.calls, args.latency, args.latency_rounds, args.timeout)
        result["latency"] = slow
        print(f"\nsame, with {args.latency * 1000:.0f} ms added to every response "
              f"(median of {args.latency_rounds})")  # fmt: skip
        print(table(headers, _rows(slow, {"urllib": "urllib", "pycallrail": "pycallrail"})))
    print(f"results: {save('compare', result)}")
    return result


if __name__ == "__main__":
    main()
