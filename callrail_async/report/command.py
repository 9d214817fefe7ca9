"""``callrail-async report``: the call report as one HTML file (or JSON), from the API or
from a synced DuckDB database."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .._cli_shared import add_connection_args, date_arg
from ..errors import InvalidArgumentError
from .api_source import RequestPlan, report_from_api
from .html_page import render_html
from .model import CallReport, to_json

if TYPE_CHECKING:
    from ..client import CallRail

__all__ = ["LARGE_COST", "register", "run", "write_report"]

_Parser = TypeVar("_Parser", bound=argparse.ArgumentParser)

LARGE_COST = 50
"""Above this many API requests, the command says the cost before fetching."""


def register(sub: argparse._SubParsersAction[_Parser]) -> None:
    """Add ``report`` to the CLI's subcommands."""
    parser = sub.add_parser("report", help="the call report as one HTML file (or JSON)")
    parser.add_argument("--date-range", help="a CallRail preset (default: last_30_days)")
    parser.add_argument("--start-date", type=date_arg, help="first day (YYYY-MM-DD)")
    parser.add_argument("--end-date", type=date_arg, help="last day (YYYY-MM-DD)")
    parser.add_argument("--company", help="only this company (COM…)")
    parser.add_argument("--db", type=Path, help="read a DuckDB file written by `sync`")
    parser.add_argument(
        "--time-zone", help="with --db: IANA zone of days and hours (default: the companies')"
    )
    parser.add_argument("--title", default="Call report", help="the page's title")
    parser.add_argument("--out", default="callrail-report.html", help="output file, or -")
    parser.add_argument("--format", choices=("html", "json"), help="default: from --out")
    add_connection_args(parser)


async def run(args: argparse.Namespace, client: Callable[[argparse.Namespace], CallRail]) -> int:
    """Build the report the arguments describe, write it, print where."""
    if args.date_range and (args.start_date or args.end_date):
        raise InvalidArgumentError("give --date-range or --start-date/--end-date, not both")
    out = None if args.out == "-" else Path(args.out)
    if out is not None and not out.parent.is_dir():
        raise InvalidArgumentError(f"--out: no directory {out.parent}")
    dates = {
        "date_range": args.date_range,
        "start_date": args.start_date,
        "end_date": args.end_date,
    }
    if args.db is not None:
        from .duckdb_source import report_from_duckdb

        report = await asyncio.to_thread(
            report_from_duckdb,
            args.db,
            company_id=args.company,
            time_zone=args.time_zone,
            title=args.title,
            **dates,
        )
    else:
        if args.time_zone:
            raise InvalidArgumentError(
                "--time-zone applies to --db only (the API uses the account's)"
            )
        async with client(args) as api:
            report = await report_from_api(
                api, company_id=args.company, title=args.title, on_plan=_say_cost, **dates
            )
    fmt = args.format or ("json" if args.out.endswith(".json") else "html")
    text = to_json(report).decode() + "\n" if fmt == "json" else render_html(report)
    if out is None:
        sys.stdout.write(text)
    else:
        await asyncio.to_thread(out.write_text, text, encoding="utf-8")
        print(out)
    return 0


def _say_cost(plan: RequestPlan) -> None:
    if plan.total > LARGE_COST:
        print(f"callrail-async: {plan.describe()}", file=sys.stderr, flush=True)


async def write_report(client: CallRail, out: Path) -> CallReport:
    """The last 30 days' HTML report of ``client``'s account, written to ``out``."""
    report = await report_from_api(client)
    await asyncio.to_thread(out.write_text, render_html(report), encoding="utf-8")
    return report
