"""The dlt source: one resource per CallRail list worth loading, every account at once.

``callrail_source()`` returns a ``dlt`` source; ``pipeline.run(source)`` loads it into any
destination dlt supports. Tables (dataset/schema name is the pipeline's, ``callrail`` for
the ``sync`` command):

- ``calls``: one row per call, one column per Call field under its API name, plus
  ``account_id``; merged on ``id``. Its tags are in ``calls__tags`` (``value`` = tag name,
  ``_dlt_parent_id`` = ``calls._dlt_id`` = the call id, ``_dlt_list_idx`` = position).
  A call hidden (spam) or deleted since it was loaded is deleted from both (dlt's
  ``hard_delete`` on the ``deleted`` column) and recorded in ``hidden_calls``.
- ``companies``, ``trackers``, ``tags``, ``users``, ``notifications``, ``integrations`` (per
  company): a fresh snapshot of each account on every run (an account's rows are replaced).
- ``form_submissions``, ``text_messages``, ``sms_threads``: what CallRail lists by
  default, merged on ``id`` (never deleted).
- ``call_page_views`` (opt-in, one request per call of the lookback, logged as a warning):
  ``call_id``, ``position``, ``page_url``, ``referrer_url``, ``created_at``.
- ``lead_timeline_events`` (opt-in, one request per lead, logged as a warning): ``lead_id``,
  ``position``, ``type``, ``event_id``, ``event_date``, and ``event`` (the whole event, JSON).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import math
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any

import dlt
from dlt.extract.source import DltSource

from ..client import CallRail
from ..errors import CallRailError, ConfigurationError, InvalidArgumentError
from ..pagination import AsyncPaginator, Page
from . import _arrow
from ._accounts import AccountSelection, account_clients
from ._arguments import check_arguments
from ._bridge import EventLoopThread, iterate
from ._calls import DEFAULT_CALL_FIELDS, CallsWindow, Progress, Tables, walk_calls
from ._fanout import lead_timelines, page_views

__all__ = ["DEFAULT_RESOURCES", "RESOURCES", "callrail_source", "sync_progress"]

logger = logging.getLogger("callrail_async.sync")

Lister = Callable[[CallRail], AsyncIterator[Page[Any]]]


def _lister(name: str) -> Lister:
    """Every page of ``client.<name>.list()``, company by company where CallRail lists the
    resource per company only (its declared ``company_scope``)."""

    def pages(client: CallRail, **scope: str) -> AsyncIterator[Page[Any]]:
        paginator: AsyncPaginator[Any] = getattr(client, name).list(per_page=250, **scope)
        return paginator.pages()

    async def per_company(client: CallRail) -> AsyncIterator[Page[Any]]:
        async for company in client.companies.list(per_page=250):
            async for page in pages(client, company_id=str(company.id)):
                yield page

    if CallRail.namespaces()[name].company_scope == "required":
        return per_company
    return pages


SNAPSHOTS: dict[str, Lister] = {
    name: _lister(name)
    for name in ("companies", "trackers", "tags", "users", "notifications", "integrations")
}
UPSERTS: dict[str, Lister] = {
    name: _lister(name) for name in ("form_submissions", "text_messages", "sms_threads")
}
FANOUT = ("call_page_views", "lead_timeline_events")
RESOURCES: tuple[str, ...] = ("calls", *SNAPSHOTS, *UPSERTS, *FANOUT)
"""Every resource the source can load."""
DEFAULT_RESOURCES: tuple[str, ...] = ("calls", "companies", "trackers", "tags", "users")
"""The resources loaded unless ``resources=`` says otherwise."""

_MERGE: Any = {"disposition": "merge", "strategy": "delete-insert"}
_HARD_DELETE: Any = {"deleted": {"data_type": "bool", "hard_delete": True}}
_PROGRESS = "_callrail_progress"


class _Runtime:
    """What the resources of one source share: the event loop, the client, the accounts."""

    def __init__(
        self, options: dict[str, Any], accounts: AccountSelection, concurrency: int
    ) -> None:
        self.options = options
        self.selection = accounts
        self.concurrency = concurrency
        self.loops = EventLoopThread(on_stop=self._close)
        self.progress = Progress()
        self._client: CallRail | None = None
        self._accounts: list[tuple[str, CallRail]] | None = None
        self._lock: asyncio.Lock | None = None

    async def accounts(self) -> list[tuple[str, CallRail]]:
        """``(account_id, client)`` of every selected account (listed once per run)."""
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if self._accounts is None:
                self._client = CallRail(**self.options)
                self._accounts = await account_clients(self._client, self.selection)
                self.progress.accounts = len(self._accounts)
            return self._accounts

    async def each_account(self, work: Callable[[str, CallRail], Any]) -> None:
        """Run ``work(account_id, client)`` for every account, ``concurrency`` at a time;
        an account that fails is recorded in ``progress.failures``, the others go on."""
        gate = asyncio.Semaphore(self.concurrency)

        async def one(account_id: str, client: CallRail) -> None:
            async with gate:
                try:
                    await work(account_id, client)
                except CallRailError as exc:
                    logger.error("sync of account %s failed: %s", account_id, exc)
                    self.progress.failures[account_id] = str(exc)

        await asyncio.gather(*(one(a, c) for a, c in await self.accounts()))

    async def _close(self) -> None:
        if self._client is not None:
            await self._client.close()
        self._client = self._accounts = None
        self._lock = None


def _yield_tables(runtime: _Runtime, produce: Any) -> Iterator[Any]:
    for tables in iterate(runtime.loops, produce):
        for name, table in tables:
            yield dlt.mark.with_table_name(table, name)


def _calls_resource(
    runtime: _Runtime, fields: Sequence[str], lookback: dt.timedelta, start: dt.datetime | None
) -> Any:
    def calls() -> Iterator[Any]:
        state: dict[str, Any] = dlt.current.resource_state().setdefault("accounts", {})
        results: dict[str, Any] = {}

        async def produce(emit: Callable[[Tables], Any]) -> None:
            async def account(account_id: str, client: CallRail) -> None:
                window = _window(state.get(account_id, {}), client.clock.time(), lookback, start)
                ids = await walk_calls(
                    client,
                    account_id,
                    window,
                    fields=fields,
                    concurrency=4,
                    emit=emit,
                    progress=runtime.progress,
                )
                results[account_id] = {"until": window.until, "ids": ids}
                runtime.progress.accounts_done += 1

            await runtime.each_account(account)

        yield from _yield_tables(runtime, produce)
        state.update(results)  # committed with the data, in the same load package

    resource = dlt.resource(
        calls, name="calls", primary_key="id", write_disposition=_MERGE, columns=_HARD_DELETE
    )
    resource.apply_hints(
        table_name="calls__tags",
        create_table_variant=True,
        primary_key="",
        merge_key="_dlt_root_id",
        write_disposition=_MERGE,
        columns=_HARD_DELETE,
    )
    resource.apply_hints(
        table_name="hidden_calls",
        create_table_variant=True,
        primary_key="id",
        write_disposition=_MERGE,
        columns={},
    )
    return resource


def _window(
    previous: dict[str, Any], now: float, lookback: dt.timedelta, start: dt.datetime | None
) -> CallsWindow:
    oldest = _retention_start(now)
    until = previous.get("until")
    if until is None:
        since = start.timestamp() if start is not None else oldest
    else:
        since = float(until) - lookback.total_seconds()
    until_now = math.ceil(now)  # end dates are whole seconds: include this one
    return CallsWindow(
        since=max(oldest, min(since, now)),
        until=until_now,
        known={str(k): float(v) for k, v in (previous.get("ids") or {}).items()},
        remember_from=now - lookback.total_seconds(),
    )


def _retention_start(now: float) -> float:
    """Two days after the oldest instant CallRail keeps (25 months), whatever the zone."""
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    months = today.year * 12 + today.month - 1 - 25
    first = dt.date(months // 12, months % 12 + 1, 1)
    day = first + dt.timedelta(days=today.day + 1)
    return dt.datetime.combine(day, dt.time(), dt.UTC).timestamp()


def _records_resource(runtime: _Runtime, name: str, lister: Lister, snapshot: bool) -> Any:
    def records() -> Iterator[Any]:
        async def produce(emit: Callable[[Tables], Any]) -> None:
            async def account(account_id: str, client: CallRail) -> None:
                loaded = 0
                async for page in lister(client):
                    runtime.progress.pages += 1
                    if page.items:
                        await emit([(name, _arrow.records_table(page.items, account_id))])
                        loaded += len(page.items)
                runtime.progress.records += loaded
                if snapshot and not loaded:
                    await emit([(name, _arrow.empty_account_table(account_id))])

            await runtime.each_account(account)

        yield from _yield_tables(runtime, produce)

    if snapshot:
        # Each run replaces an account's rows: dlt deletes the rows of every account_id in
        # the new data, then inserts it (a lone tombstone empties an account).
        return dlt.resource(
            records,
            name=name,
            merge_key="account_id",
            write_disposition=_MERGE,
            columns=_HARD_DELETE,
        )
    return dlt.resource(records, name=name, primary_key="id", write_disposition=_MERGE)


def _page_views_resource(runtime: _Runtime, lookback: dt.timedelta) -> Any:
    def views() -> Iterator[Any]:
        async def produce(emit: Callable[[Tables], Any]) -> None:
            async def account(account_id: str, client: CallRail) -> None:
                since = dt.datetime.fromtimestamp(client.clock.time(), dt.UTC) - lookback
                await page_views(client, account_id, since, emit, runtime.progress)

            await runtime.each_account(account)

        yield from _yield_tables(runtime, produce)

    # A call's page views are replaced as a whole (a lone tombstone empties them).
    return dlt.resource(
        views,
        name="call_page_views",
        merge_key="call_id",
        write_disposition=_MERGE,
        columns=_HARD_DELETE,
    )


def _lead_timelines_resource(runtime: _Runtime) -> Any:
    def events() -> Iterator[Any]:
        async def produce(emit: Callable[[Tables], Any]) -> None:
            async def account(account_id: str, client: CallRail) -> None:
                await lead_timelines(client, account_id, emit, runtime.progress)

            await runtime.each_account(account)

        yield from _yield_tables(runtime, produce)

    # A lead's events are replaced as a whole (a lone tombstone empties them).
    return dlt.resource(
        events,
        name="lead_timeline_events",
        merge_key="lead_id",
        write_disposition=_MERGE,
        columns=_HARD_DELETE,
    )


def callrail_source(
    *,
    accounts: AccountSelection = "all",
    resources: Sequence[str] = DEFAULT_RESOURCES,
    lookback: dt.timedelta = dt.timedelta(days=7),
    start_date: dt.datetime | None = None,
    call_fields: Sequence[str] = DEFAULT_CALL_FIELDS,
    account_concurrency: int = 8,
    client_options: dict[str, Any] | None = None,
) -> DltSource:
    """A dlt source over every selected account (see the module docstring for tables).

    ``client_options`` are :class:`~callrail_async.CallRail` keyword arguments (credentials
    default to the environment); the source makes its client on its own event loop and
    closes it when done. ``lookback``: how far back each run reads calls again (CallRail
    changes calls after they end and has no "updated since" filter). ``start_date``: where
    the first run starts (default: the oldest day CallRail keeps, about 25 months).
    """
    given = (accounts, resources, lookback, start_date, call_fields, account_concurrency)
    check_arguments(*given, client_options)
    unknown = [r for r in resources if r not in RESOURCES]
    if unknown or not resources:
        raise ConfigurationError(f"resources must be among {', '.join(RESOURCES)}; got {unknown}")
    if lookback < dt.timedelta(0):
        raise ConfigurationError("lookback must not be negative")
    if start_date is not None and start_date.tzinfo is None:
        raise ConfigurationError("start_date must be an aware datetime")
    if account_concurrency < 1:
        raise ConfigurationError("account_concurrency must be >= 1")
    runtime = _Runtime(dict(client_options or {}), accounts, account_concurrency)
    chosen: list[Any] = []
    for name in dict.fromkeys(resources):
        if name == "calls":
            chosen.append(_calls_resource(runtime, list(call_fields), lookback, start_date))
        elif name == "call_page_views":
            chosen.append(_page_views_resource(runtime, lookback))
        elif name == "lead_timeline_events":
            chosen.append(_lead_timelines_resource(runtime))
        elif name in SNAPSHOTS:
            chosen.append(_records_resource(runtime, name, SNAPSHOTS[name], snapshot=True))
        else:
            chosen.append(_records_resource(runtime, name, UPSERTS[name], snapshot=False))

    @dlt.source(name="callrail", max_table_nesting=0)
    def callrail() -> Any:
        return chosen

    source: DltSource = callrail()
    setattr(source, _PROGRESS, runtime.progress)
    return source


def sync_progress(source: DltSource) -> Progress:
    """The counters of a source made by :func:`callrail_source` (records, pages, hidden
    calls, failed accounts), updated while it runs."""
    progress = source.__dict__.get(_PROGRESS)
    if not isinstance(progress, Progress):
        raise InvalidArgumentError("not a source made by callrail_source()")
    return progress
