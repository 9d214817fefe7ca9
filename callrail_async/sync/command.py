"""``callrail-async sync``: keep a database current with every account's CallRail data."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import sys
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from .._cli_shared import add_connection_args, date_arg
from ..errors import CallRailError, ConfigurationError

if TYPE_CHECKING:
    from dlt import Pipeline
    from dlt.common.pipeline import LoadInfo
    from dlt.extract.source import DltSource

    from ._accounts import AccountSelection
    from ._calls import Progress

__all__ = [
    "DEFAULT_DESTINATION",
    "add_arguments",
    "dataset_for",
    "destination",
    "load",
    "pipeline",
    "run",
]

_Parser = TypeVar("_Parser", bound=argparse.ArgumentParser)

DEFAULT_DESTINATION = "duckdb:///callrail.duckdb"
DATASET = "callrail"
DUCKDB_MEMORY_LIMIT = "128MB"
DUCKDB_DATASET = "main"
"""DuckDB's own default schema: ``SELECT * FROM calls`` works in the file as it is, and the
default file ``callrail.duckdb`` (catalog ``callrail``) never clashes with a schema name."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``sync`` subcommand's own options (the connection options are added by the CLI)."""
    parser.add_argument(
        "--to",
        default=DEFAULT_DESTINATION,
        help="duckdb:///PATH (default: ./callrail.duckdb), postgres://USER:PASS@HOST/DB, "
        "or a dlt destination name such as postgres with its credentials in the environment "
        "(DESTINATION__POSTGRES__CREDENTIALS), where other users cannot read them",
    )
    parser.add_argument("--accounts", default=None, help="all (default), or ACC…,ACC…")
    parser.add_argument("--resources", default=None, help="calls,companies,… (default: the usual)")
    parser.add_argument(
        "--lookback-days",
        type=float,
        default=7.0,
        help="each run reads calls of the last N days again to catch late changes",
    )
    parser.add_argument("--start-date", type=date_arg, help="first run: from this day (UTC)")
    parser.add_argument(
        "--dataset",
        help=f"schema to write into (default: {DUCKDB_DATASET} on DuckDB, else {DATASET})",
    )
    parser.add_argument("--pipelines-dir", type=Path, help="dlt's working folder")
    parser.add_argument("--quiet", action="store_true", help="no progress line")


def destination(spec: str) -> tuple[Any, str]:
    """A dlt destination for ``--to``, and a short stable name for its pipeline."""
    import dlt

    name = "callrail_" + hashlib.sha256(spec.encode()).hexdigest()[:10]
    scheme, sep, rest = spec.partition("://")
    if scheme == "duckdb" and sep:
        path = rest.removeprefix("/") or "callrail.duckdb"
        # DuckDB takes 80% of RAM by default; a merge spills to disk instead past this.
        config = {
            "memory_limit": DUCKDB_MEMORY_LIMIT,
            "preserve_insertion_order": False,
            "threads": 1,
        }
        return dlt.destinations.duckdb({"database": path, "global_config": config}), name
    if scheme in ("postgres", "postgresql") and sep:
        return dlt.destinations.postgres(credentials=spec), name
    if not sep and spec.replace("_", "").isalnum():
        return spec, name  # a dlt destination configured through dlt's own config
    raise ConfigurationError(
        f"--to must be duckdb:///PATH, postgres://…, or a dlt destination; got {shown(spec)!r}"
    )


def shown(spec: str) -> str:
    """``--to`` as it may be printed: without a password."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(spec)
        if parts.password is None and "@" not in parts.netloc:
            return spec
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    except ValueError:  # an unparseable port or netloc: show the scheme only
        return spec.partition("://")[0] + "://…"


def dataset_for(spec: str) -> str:
    """The default dataset (schema) of a destination: ``main`` on DuckDB, else ``callrail``."""
    return DUCKDB_DATASET if spec.startswith("duckdb:") else DATASET


def pipeline(spec: str, pipelines_dir: Path | None = None, dataset: str | None = None) -> Pipeline:
    """The dlt pipeline of a destination (its state lives there and in ``pipelines_dir``)."""
    import dlt

    target, name = destination(spec)
    where: dict[str, Any] = {"pipelines_dir": str(pipelines_dir)} if pipelines_dir else {}
    pipe: Pipeline = dlt.pipeline(
        pipeline_name=name, destination=target, dataset_name=dataset or dataset_for(spec), **where
    )
    return pipe


class SyncError(CallRailError):
    """A sync step failed in dlt (extract, normalize or load) for a reason not the API's."""


def load(pipe: Pipeline, source: DltSource) -> LoadInfo:
    """``pipe.run(source)``, first finishing a run that was interrupted (dlt loads pending
    packages instead of new data, so they go first): re-running is always safe.

    An API error that stopped the run is raised as itself, any other failure as
    :class:`SyncError`; what was loaded stays loaded.
    """
    from dlt.pipeline.exceptions import PipelineStepFailed

    try:
        if pipe.has_pending_data:
            pipe.run()
        return pipe.run(source)
    except PipelineStepFailed as exc:
        cause: BaseException | None = exc.exception
        while cause is not None and not isinstance(cause, CallRailError):
            cause = cause.__cause__ or cause.__context__
        if cause is not None:
            raise cause from None
        cause = exc.exception
        raise SyncError(f"{exc.step} step failed: {type(cause).__name__}: {cause}") from None


def _accounts(args: argparse.Namespace) -> AccountSelection:
    text = args.accounts or args.account or "all"
    if text == "all":
        return "all"
    return [a.strip() for a in text.split(",") if a.strip()]


async def run(args: argparse.Namespace, client_options: dict[str, Any]) -> int:
    """Run one sync; returns the exit status."""
    from .source import DEFAULT_RESOURCES, callrail_source, sync_progress

    resources = DEFAULT_RESOURCES
    if args.resources:
        resources = tuple(r.strip() for r in args.resources.split(",") if r.strip())
    start = None
    if args.start_date:
        start = dt.datetime.combine(args.start_date, dt.time(), dt.UTC)
    source = callrail_source(
        accounts=_accounts(args),
        resources=resources,
        lookback=dt.timedelta(days=args.lookback_days),
        start_date=start,
        client_options={k: v for k, v in client_options.items() if k != "account_id"},
    )
    pipe = pipeline(args.to, args.pipelines_dir, args.dataset)
    out: IO[str] = sys.stderr
    progress = sync_progress(source)
    began = time.monotonic()
    task = asyncio.ensure_future(asyncio.to_thread(load, pipe, source))
    while not task.done():
        await asyncio.wait([task], timeout=1.0)
        if not args.quiet and out.isatty():
            out.write("\r\x1b[2K" + progress_line(progress, time.monotonic() - began))
            out.flush()
    info = task.result()
    if not args.quiet:
        end = "\n" if out.isatty() else ""
        out.write(end + progress_line(progress, time.monotonic() - began) + "\n")
        packages = len(info.loads_ids)
        where = shown(args.to)
        out.write(f"loaded into {where} (dataset {pipe.dataset_name}); {packages} package(s)\n")
    for account, message in progress.failures.items():
        print(f"callrail-async: account {account} failed: {message}", file=sys.stderr)
    return 1 if progress.failures or info.has_failed_jobs else 0


def progress_line(p: Progress, elapsed: float) -> str:
    """One progress line."""
    rate = p.records / elapsed if elapsed > 0 else 0.0
    hidden = f" | {p.hidden:,} hidden" if p.hidden else ""
    return (
        f"{p.records:,} records | {p.pages:,} pages | {rate:,.0f}/s | "
        f"accounts {p.accounts_done}/{p.accounts}{hidden}"
    )


def register(sub: argparse._SubParsersAction[_Parser]) -> None:
    """Add ``sync`` to the CLI's subcommands."""
    parser = sub.add_parser("sync", help="keep a database current (DuckDB by default, via dlt)")
    add_arguments(parser)
    add_connection_args(parser)


def missing_extra() -> str | None:
    """Why ``sync`` cannot run here, if the ``dlt`` extra is not installed."""
    try:
        import dlt  # noqa: F401
        import duckdb  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return "sync needs the dlt extra: pip install 'callrail-async[dlt]'"
    return None


WEEKLY_BY_SOURCE = """
SELECT strftime(date_trunc('week', start_time), '%Y-%m-%d') AS week, source,
       count(*) AS calls, round(100.0 * avg(answered::INT), 1) AS answered_pct
FROM main.calls GROUP BY ALL ORDER BY week DESC, calls DESC LIMIT 12
"""


async def demo(base_url: str, api_key: str, out_dir: Path) -> None:
    """The demo's sync step: the sandbox into ``out_dir/callrail.duckdb``, then one query."""
    problem = missing_extra()
    if problem:
        print(f"\n(skipping the database step: {problem})")
        return
    from .._terminal import table
    from .source import callrail_source, sync_progress

    db = out_dir / "callrail.duckdb"
    print(f"\nSyncing the sandbox into {db} (dlt + DuckDB)...", flush=True)
    source = callrail_source(client_options={"api_key": api_key, "base_url": base_url})
    began = time.monotonic()
    await asyncio.to_thread(load, pipeline(f"duckdb:///{db}", out_dir / ".dlt"), source)
    print("  " + progress_line(sync_progress(source), time.monotonic() - began))
    import duckdb

    def query() -> list[Any]:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute(WEEKLY_BY_SOURCE).fetchall()

    rows = await asyncio.to_thread(query)
    print("\nCalls and answer rate per source per week (SQL on the synced database):")
    print(table(["week", "source", "calls", "answered %"], rows))
