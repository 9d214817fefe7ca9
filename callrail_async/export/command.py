"""``callrail-async export``: any list resource to JSONL, CSV or Parquet, losslessly; a thin
layer over :func:`callrail_async.export.export`, with a progress display."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from .._cli_shared import EXIT_ERROR, EXIT_UNVERIFIED, EXIT_USAGE, add_connection_args, date_arg
from .._terminal import duration
from ..errors import CallRailError
from ..ratelimit import WindowStatus, binding_window
from .checkpoint import checkpoint_path
from .dry_run import plan_export
from .errors import ExportError
from .formats import FORMATS
from .options import ExportOptions
from .report import Progress
from .runner import export
from .slices import RESOURCES

if TYPE_CHECKING:
    from ..client import CallRail

__all__ = ["EXPORT_EXIT_CODES", "ProgressDisplay", "budget_text", "options_from", "register", "run"]

_Parser = TypeVar("_Parser", bound=argparse.ArgumentParser)

EXPORT_EXIT_CODES = """exit status:
  0    exported and verified (every record CallRail lists is in the file), or with
       --verify counts, reconciled by counts
  1    failed: CallRail, the network or the disk (one line on stderr; after the first
       page the checkpoint is kept: run the same command with --resume)
  2    bad arguments, refused before any request; nothing written
  3    exported, but not verified: the report names the windows it could not reconcile
       (the file is complete as far as it goes; the --since-last state is not advanced)
  130  interrupted (Ctrl-C); the checkpoint is kept: run again with --resume"""


def register(sub: argparse._SubParsersAction[_Parser]) -> None:
    """Add ``export`` to the CLI's subcommands."""
    parser = sub.add_parser(
        "export",
        help="export a list resource losslessly",
        epilog=EXPORT_EXIT_CODES,
    )
    parser.add_argument(
        "resource", choices=RESOURCES, metavar="RESOURCE", help=f"one of: {', '.join(RESOURCES)}"
    )
    parser.add_argument("--out", required=True, help="output file, or - for JSONL on stdout")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="default: from --out's extension (.jsonl, .csv, .parquet); JSONL on stdout",
    )
    dates = parser.add_mutually_exclusive_group()
    dates.add_argument("--date-range", help="a CallRail preset such as last_30_days")
    dates.add_argument(
        "--since-last",
        type=Path,
        metavar="STATE",
        help="only calls newer than the last run recorded in STATE",
    )
    parser.add_argument("--start-date", type=date_arg, help="first day (YYYY-MM-DD)")
    parser.add_argument("--end-date", type=date_arg, help="last day (YYYY-MM-DD)")
    parser.add_argument("--company", help="only this company (COM…)")
    parser.add_argument("--fields", help="extra call fields: all, or a,b,c")
    parser.add_argument("--resume", action="store_true", help="continue an interrupted export")
    parser.add_argument("--per-page", type=int, default=250, help="records per request (1-250)")
    parser.add_argument("--concurrency", type=int, default=10, help="requests in flight")
    parser.add_argument(
        "--overlap-hours",
        type=float,
        default=24.0,
        help="with --since-last: how far back (>= 0) to look again for late calls",
    )
    parser.add_argument(
        "--verify",
        choices=("ids", "counts"),
        default="ids",
        help="after the walk, list every window again and compare ids (ids, the default), "
        "or only windows whose calls per day differ from CallRail's counts (counts: "
        "cheaper, but a hidden and a late call on one day would not show)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress line, no report")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the plan (slices, records, requests, expected wait for the rate budget) "
        "after only the counting requests, and write nothing",
    )
    add_connection_args(parser)


def options_from(args: argparse.Namespace) -> ExportOptions:
    """The :class:`ExportOptions` the command line describes (checked later, by
    :meth:`ExportOptions.validate`)."""
    out = None if args.out == "-" else Path(args.out)
    fields = None
    if args.fields:
        fields = [f.strip() for f in args.fields.split(",") if f.strip()]
    return ExportOptions(
        resource=args.resource,
        out=out,
        format=args.format,
        date_range=args.date_range,
        start_date=args.start_date,
        end_date=args.end_date,
        company_id=args.company,
        fields=fields,
        resume=args.resume,
        since_last=args.since_last,
        overlap=dt.timedelta(hours=args.overlap_hours),
        per_page=args.per_page,
        concurrency=args.concurrency,
        verify=args.verify,
    )


async def run(
    args: argparse.Namespace,
    connect: Callable[[argparse.Namespace], CallRail],
    error: Callable[[BaseException, str], None],
) -> int:
    """Run the export (or with ``--dry-run`` print its plan); returns the exit status.
    ``connect`` makes the client; ``error`` prints an error as the CLI's one line, with a
    hint."""
    options = options_from(args)
    try:
        options.validate()
    except ExportError as exc:
        error(exc, "")
        return EXIT_USAGE
    if args.dry_run:
        async with connect(args) as client:
            print((await plan_export(client, options)).summary())
        return 0
    started = time.time()
    try:
        async with connect(args) as client:
            progress = ProgressDisplay(sys.stderr, quiet=args.quiet, client=client)
            options.progress = progress.update
            try:
                report = await export(client, options)
            finally:
                progress.close()
    except (CallRailError, OSError) as exc:
        if isinstance(exc.__cause__, BrokenPipeError):
            raise  # the reader of stdout went away: the CLI stops quietly
        saved = checkpoint_path(options.out) if options.out is not None else None
        kept = saved is not None and saved.exists() and saved.stat().st_mtime >= started - 1
        error(exc, "; the checkpoint is kept: run the same command with --resume" if kept else "")
        return EXIT_ERROR
    if not args.quiet:
        print(report.summary(), file=sys.stderr)
    return 0 if report.reconciled else EXIT_UNVERIFIED


class ProgressDisplay:
    """Export progress: a live line on a terminal, a line every ``every`` pages otherwise."""

    def __init__(self, stream: IO[str], *, quiet: bool, client: CallRail, every: int = 50) -> None:
        self.stream = stream
        self.quiet = quiet
        self.tty = stream.isatty()
        self.client = client
        self.every = every
        self._last = 0.0
        self._shown = False
        self._budget = ""
        self._budget_task: asyncio.Task[None] | None = None

    def update(self, progress: Progress) -> None:
        """Show a snapshot (rate-limited to a few redraws a second)."""
        if self.quiet:
            return
        now = time.monotonic()
        if self.tty:
            if now - self._last < 0.2:
                return
            self._last = now
            self._refresh_budget()
            self.stream.write("\r\x1b[2K" + self.line(progress))
            self.stream.flush()
            self._shown = True
        elif (progress.pages + progress.check_pages) % self.every == 0:
            self.stream.write(self.line(progress) + "\n")
            self.stream.flush()

    def line(self, p: Progress) -> str:
        """One progress line: records/s of this run, ETA from the planned total (the walk,
        then the check that lists every record again)."""
        rate = p.run_records / p.elapsed if p.elapsed > 0 else 0.0
        total = f" of ~{p.expected:,}" if p.expected else ""
        pace = (p.run_records + p.checked) / p.elapsed if p.elapsed > 0 else 0.0
        left = max(0, p.expected - p.records) + max(0, p.expected - p.checked) if p.expected else 0
        eta = left / pace if p.expected and pace else None
        check = f" | checked {p.checked:,}" if p.checked else ""
        budget = f" | budget {self._budget}" if self._budget else ""
        return (
            f"{p.records:,}{total} records | {p.pages:,} pages | {rate:,.0f}/s | "
            f"ETA {duration(eta)} | slices {p.slices_done}/{p.slices}{check}{budget}"
        )

    def _refresh_budget(self) -> None:
        if self._budget_task is not None and not self._budget_task.done():
            return

        async def fetch() -> None:
            self._budget = budget_text(await self.client.rate_limit_status())

        self._budget_task = asyncio.get_running_loop().create_task(fetch())

    def close(self) -> None:
        """End the live line."""
        if self._budget_task is not None:
            self._budget_task.cancel()
        if self._shown:
            self.stream.write("\n")
            self.stream.flush()


def budget_text(status: Sequence[WindowStatus]) -> str:
    """The rate-limit budget part of the progress line: the binding window's remaining
    budget, e.g. "9,000 of 10,000/day left" ("" when there is none to show)."""
    window = binding_window(status, "general")
    return window.summary() if window else ""
