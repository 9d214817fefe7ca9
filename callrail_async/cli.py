"""The ``callrail-async`` console command: a thin layer over the Python API.

Subcommands: ``demo`` (export calls from a built-in sandbox, nothing to configure),
``sync`` (keep a database current, DuckDB by default),
``export`` (any list resource to JSONL/CSV/Parquet), ``summary`` (call summary and time
series in the terminal), ``report`` (the call report as one HTML file), ``sandbox`` (serve
the fake CallRail API).
Credentials come from the environment (``CALLRAIL_API_KEY`` or ``MATON_API_KEY``), never
from the command line, where other users of the machine could read them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from ._cli_shared import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_USAGE, add_connection_args
from ._terminal import bar_chart, table
from .errors import CallRailError

if TYPE_CHECKING:
    from .client import CallRail
    from .enums import Interval
    from .models import CallSummary, CallTimeseries
    from .testing import Sandbox


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Help that keeps epilogs as written and shows each option's default, if it has one."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if action.default in (None, False, argparse.SUPPRESS) or "%(default)" in text:
            return text
        if action.option_strings or action.nargs in (argparse.OPTIONAL, argparse.ZERO_OR_MORE):
            return f"{text} (default: %(default)s)".strip()
        return text


EXIT_CODES = """exit status:
  0    done
  1    failed: CallRail, the network or the disk (one line on stderr)
  2    bad arguments, refused before any request
  3    export only: exported, but not verified (see `callrail-async export --help`)
  130  interrupted (Ctrl-C)

environment:
  CALLRAIL_API_KEY, or MATON_API_KEY (+ MATON_CONNECTION)   credentials (never flags)
  CALLRAIL_BASE_URL, CALLRAIL_ACCOUNT_ID                     base URL and account"""

# Python argument names that can reach an error message, and the flag a person typed.
_FLAGS = {
    "account_id": "--account",
    "company_id": "--company",
    "start_date": "--start-date",
    "end_date": "--end-date",
    "date_range": "--date-range",
    "per_page": "--per-page",
    "group_by": "--group-by",
    "overlap": "--overlap-hours",
    "since_last": "--since-last",
    "concurrency": "--concurrency",
    "time_zone": "--time-zone",
}


def _as_flags(message: str) -> str:
    """An error message with Python argument names (``account_id=``) as the CLI's flags."""
    names = r"(?<![\w-])(" + "|".join(_FLAGS) + r")(?![\w-])=?"
    return re.sub(names, lambda m: _FLAGS[m.group(1)], message)


class _Parser(argparse.ArgumentParser):
    """argparse, with one-line errors and exit status 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> Any:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``callrail-async``."""
    from .enums import INTERVALS

    parser = _Parser(
        prog="callrail-async", description="Async CallRail API v3 toolkit.", epilog=EXIT_CODES
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = sub.add_parser("demo", help="export calls from the built-in sandbox (no set-up)")
    demo.add_argument("--calls", type=int, default=5000, help="calls the sandbox serves")
    demo.add_argument(
        "--out-dir", type=Path, default=Path("callrail-demo"), help="where the demo writes"
    )

    from .export.command import register as register_export

    register_export(sub)

    summary = sub.add_parser("summary", help="call summary and time series in the terminal")
    summary.add_argument("--group-by", default="source", help="source, company, campaign, ...")
    summary.add_argument("--date-range", default="last_30_days", help="a CallRail preset")
    summary.add_argument("--interval", default="day", choices=INTERVALS, help="bucket size")
    summary.add_argument("--company", help="only this company (COM…)")
    summary.add_argument(
        "--json", action="store_true", help="print the summary and time series as JSON"
    )
    add_connection_args(summary)

    from .sync.command import register as register_sync

    register_sync(sub)

    from .report.command import register as register_report

    register_report(sub)

    sandbox = sub.add_parser("sandbox", help="serve the fake CallRail API on 127.0.0.1")
    sandbox.add_argument("--port", type=int, default=8080, help="port (0: any free port)")
    sandbox.add_argument("--calls", type=int, default=5000, help="calls per account")
    sandbox.add_argument("--accounts", type=int, default=1, help="accounts the key sees")
    sandbox.add_argument("--seed", type=int, default=1, help="the same seed, the same data")
    sandbox.add_argument("--span-days", type=float, default=90.0, help="days the calls span")
    sandbox.add_argument("--latency", type=float, default=0.0, help="seconds added per response")
    sandbox.add_argument("--fault-rate", type=float, default=0.0, help="share of failed responses")
    sandbox.add_argument(
        "--next-page-host",
        choices=("self", "callrail"),
        default="self",
        help="where next_page and recording links point in direct mode: here (as CallRail's "
        "point at CallRail), or api.callrail.com (to test link rebasing)",
    )
    sandbox.add_argument(
        "--rate-limits", action="store_true", help="enforce CallRail's hourly/daily budgets"
    )

    completion = sub.add_parser(
        "completion",
        help="print a shell completion script",
        description='Load it with: eval "$(callrail-async completion bash)" (in ~/.bashrc), '
        "or the same with zsh in ~/.zshrc.",
    )
    completion.add_argument("shell", choices=("bash", "zsh"), help="the shell to complete in")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console command; returns the exit status."""
    args = build_parser().parse_args(argv)
    handler = {
        "demo": _demo,
        "export": _export,
        "summary": _summary,
        "report": _report,
        "sandbox": _sandbox,
        "sync": _sync,
        "completion": _completion,
    }
    try:
        return asyncio.run(handler[args.command](args))
    except KeyboardInterrupt:
        return _interrupted(args)
    except BrokenPipeError:
        return _reader_gone()
    except (CallRailError, ValueError, OSError) as exc:
        if isinstance(exc.__cause__, BrokenPipeError):
            return _reader_gone()
        _error(exc)
        return EXIT_ERROR


async def _completion(args: argparse.Namespace) -> int:
    from ._completion import bash_script

    if args.shell == "zsh":
        print("(( $+functions[compdef] )) || { autoload -U +X compinit && compinit -u; }")
        print("autoload -U +X bashcompinit && bashcompinit")
    print(bash_script(build_parser()), end="")
    return 0


def _reader_gone() -> int:
    # The reader of our stdout went away (`... | head`): stop quietly, like other tools.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_ERROR


def _error(exc: BaseException, hint: str = "") -> None:
    """Print an error as one line on stderr (with an optional hint on the same line)."""
    print(f"callrail-async: error: {_one_line(exc)}{hint}", file=sys.stderr)


def _one_line(exc: BaseException) -> str:
    return _as_flags(" ".join(str(exc).split())) or type(exc).__name__


def _interrupted(args: argparse.Namespace) -> int:
    message = "interrupted"
    if args.command == "export" and args.out != "-":
        from .export.checkpoint import checkpoint_path, load

        path = checkpoint_path(Path(args.out))
        if path.exists():
            message += (
                f" after {load(path).records:,} records; the checkpoint is saved at {path}. "
                "Run the same command with --resume to continue."
            )
        else:
            message += " before the first page; nothing was written"
    print(f"\n{message}", file=sys.stderr)
    return EXIT_INTERRUPTED


def _client(args: argparse.Namespace, **overrides: Any) -> CallRail:
    from .client import CallRail

    return CallRail(**_client_options(args, **overrides))


def _client_options(args: argparse.Namespace, **overrides: Any) -> dict[str, Any]:
    from .ratelimit import BucketStore, RateLimits, SqliteBucketStore

    store: BucketStore | None = None
    if args.rate_limit_store:
        kind, _, where = args.rate_limit_store.partition(":")
        if kind == "sqlite":
            store = SqliteBucketStore(where)
        elif kind == "redis":
            from .ratelimit.redis import RedisBucketStore

            store = RedisBucketStore(where)
        else:
            raise ValueError("--rate-limit-store must be sqlite:PATH or redis:URL")
    limits = {"auto": None, "off": RateLimits.unlimited(), "callrail": RateLimits()}[
        args.rate_limits
    ]
    kwargs: dict[str, Any] = {"rate_limits": limits, "rate_limit_store": store}
    if args.account:
        kwargs["account_id"] = args.account
    if args.base_url:
        kwargs["base_url"] = args.base_url
    kwargs.update(overrides)
    return kwargs


async def _summary(args: argparse.Namespace) -> int:
    async with _client(args) as client:
        if args.json:
            import msgspec

            summary, series = await _fetch_summary(
                client, args.group_by, args.date_range, args.interval, args.company
            )
            out = {"summary": summary, "timeseries": series}
            print(msgspec.json.encode(out).decode())
            return 0
        await _print_summary(client, args.group_by, args.date_range, args.interval, args.company)
    return 0


async def _fetch_summary(
    client: CallRail, group_by: str, date_range: str, interval: Interval, company: str | None
) -> tuple[CallSummary, CallTimeseries]:
    filters: dict[str, Any] = {"date_range": date_range}
    if company:
        filters["company_id"] = company
    fields = ["total_calls", "answered_calls", "missed_calls", "first_time_callers", "leads"]
    summary = await client.calls.summary(group_by=group_by, fields=fields, **filters)
    series = await client.calls.timeseries(interval=interval, **filters)
    return summary, series


async def _print_summary(
    client: CallRail, group_by: str, date_range: str, interval: Interval, company: str | None
) -> None:
    summary, series = await _fetch_summary(client, group_by, date_range, interval, company)
    rows = [
        [g.key, g.total_calls, g.answered_calls, g.missed_calls, g.first_time_callers, g.leads]
        for g in summary.grouped_results or []
    ]
    print(f"Calls by {group_by}, {date_range}:")
    print(table([group_by, "calls", "answered", "missed", "first-time", "leads"], rows))
    print(f"\nCalls per {interval}:")
    print(bar_chart([(p.date or "", p.total_calls or 0) for p in series.data or []]))


async def _export(args: argparse.Namespace) -> int:
    from .export.command import run

    return await run(args, _client, _error)


async def _report(args: argparse.Namespace) -> int:
    from .report.command import run

    return await run(args, _client)


async def _demo(args: argparse.Namespace) -> int:
    from .export import ExportOptions, export
    from .export.checkpoint import checkpoint_path
    from .report.command import write_report
    from .testing import Sandbox

    out_dir: Path = args.out_dir
    await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
    out = out_dir / "calls.jsonl"
    print(f"Starting the built-in CallRail sandbox with {args.calls:,} calls...", flush=True)
    async with Sandbox(calls=args.calls, span_days=60) as sandbox:
        print(f"  listening on {sandbox.base_url} (a fake CallRail, on this machine only)")
        async with sandbox.client() as client:
            # A demo run interrupted earlier must not block this one.
            checkpoint_path(out).unlink(missing_ok=True)
            report = await export(client, ExportOptions(out=out, concurrency=8))
            print(f"\n{report.summary()}")
            served = sandbox.stats.total
            print(f"  the sandbox answered {served:,} requests")
            print(f"  first record: {out.read_text().splitlines()[0][:110]}...\n")
            await _print_summary(client, "source", "last_30_days", "day", None)
        from .sync.command import demo as sync_demo

        await sync_demo(sandbox.base_url, sandbox.api_key, out_dir)
        async with sandbox.client() as client:
            await write_report(client, out_dir / "report.html")
        print(f"\nReport of the last 30 days: {(out_dir / 'report.html').resolve()}")
    return 0


async def _sync(args: argparse.Namespace) -> int:
    from .sync import command

    problem = command.missing_extra()
    if problem:
        print(f"callrail-async: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    return await command.run(args, _client_options(args))


async def _sandbox(args: argparse.Namespace) -> int:
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
        next_page_host=args.next_page_host,
    )
    await sandbox.start()
    print(f"sandbox listening on {sandbox.origin}")
    print(sandbox_banner(sandbox, args.calls))
    print("A fake CallRail on this machine only; Ctrl-C to stop.", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sandbox.stop()
    return 0


def sandbox_banner(sandbox: Sandbox, calls: int) -> str:
    """The shell lines that point the SDK, the CLI or any client at a running sandbox."""
    lines = ["Point the SDK and the CLI at it (direct mode, like a CallRail API key):"]
    for index, account in enumerate(sandbox.data.accounts):
        lines.append(
            f"  export CALLRAIL_BASE_URL={sandbox.base_url} "
            f"CALLRAIL_API_KEY={sandbox.api_key} CALLRAIL_ACCOUNT_ID={account.id}"
            f"  # account {index + 1}, {calls:,} calls"
        )
    lines.append("Or through the Maton gateway (one connection per account):")
    lines.append(
        f"  export CALLRAIL_BASE_URL={sandbox.maton_base_url} MATON_API_KEY={sandbox.maton_api_key}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
