"""The ``callrail-async`` console command: a thin layer over the Python API."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from . import __version__


def _sandbox_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "sandbox",
        help="serve the fake CallRail API on 127.0.0.1 until interrupted",
        description="Serve the sandbox (a fake CallRail v3 and Maton gateway) on 127.0.0.1.",
    )
    parser.add_argument("--port", type=int, default=8080, help="port (0: any free port)")
    parser.add_argument("--calls", type=int, default=5000, help="calls per account")
    parser.add_argument("--accounts", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--span-days", type=float, default=90.0, help="days the calls span")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per response")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="share of failed responses")
    parser.add_argument(
        "--rate-limits", action="store_true", help="enforce CallRail's hourly/daily budgets"
    )


async def _serve_sandbox(args: argparse.Namespace) -> None:
    from .testing import Faults, RateLimitWindows, Sandbox

    sandbox = Sandbox(
        calls=args.calls,
        accounts=args.accounts,
        seed=args.seed,
        span_days=args.span_days,
        port=args.port,
        latency=args.latency,
        faults=Faults(rate=args.fault_rate, seed=args.seed) if args.fault_rate else None,
        rate_limits=RateLimitWindows() if args.rate_limits else None,
    )
    await sandbox.start()
    print(f"sandbox listening on {sandbox.origin}", flush=True)
    print(f"  direct:  base_url={sandbox.base_url}  api_key={sandbox.api_key}")
    print(f"  maton:   base_url={sandbox.maton_base_url}  maton_api_key={sandbox.maton_api_key}")
    print(f"  account: {sandbox.account_id} ({args.calls} calls); Ctrl-C to stop", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sandbox.stop()


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``callrail-async``."""
    parser = argparse.ArgumentParser(
        prog="callrail-async", description="Async CallRail API v3 toolkit."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _sandbox_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console command."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "sandbox":
            asyncio.run(_serve_sandbox(args))
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
