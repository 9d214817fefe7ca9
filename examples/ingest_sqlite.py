"""Load the calls of every account the key sees into SQLite: concurrent, idempotent, resumable.

    export CALLRAIL_API_KEY=...          # or MATON_API_KEY; CALLRAIL_BASE_URL for a sandbox
    python examples/ingest_sqlite.py --db calls.sqlite --days 30

One client, one HTTP session and one rate limiter; ``for_account`` gives each account its
own budget. Rows are upserted by id, so running it again (from cron, after a crash) never
duplicates a call and picks up what CallRail changed since (tags, notes, lead status).
For a database that a whole team reports on, prefer ``callrail-async sync`` (dlt).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sqlite3
from contextlib import closing
from pathlib import Path

from callrail_async import CallRail
from callrail_async.models import Call

SCHEMA = """
CREATE TABLE IF NOT EXISTS calls (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    start_time TEXT,
    duration INTEGER,
    answered INTEGER,
    source TEXT,
    tags TEXT,
    loaded_at TEXT NOT NULL
)
"""
UPSERT = """
INSERT INTO calls (id, account_id, start_time, duration, answered, source, tags, loaded_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT(id) DO UPDATE SET
    start_time = excluded.start_time, duration = excluded.duration,
    answered = excluded.answered, source = excluded.source, tags = excluded.tags,
    loaded_at = excluded.loaded_at
"""


def _row(account_id: str, call: Call, now: str) -> tuple[object, ...]:
    started = call.start_time.isoformat() if call.start_time else None
    answered = None if call.answered is None else int(call.answered)
    tags = json.dumps(call.tags or [])
    return (str(call.id), account_id, started, call.duration, answered, call.source, tags, now)


def _write(db: Path, rows: list[tuple[object, ...]]) -> None:
    with closing(sqlite3.connect(db)) as connection, connection:  # one transaction
        connection.execute(SCHEMA)
        connection.executemany(UPSERT, rows)


async def _ingest_account(client: CallRail, db: Path, days: int) -> int:
    account_id = await client.resolve_account_id()
    end = dt.date.today()
    calls = client.calls.list(
        start_date=end - dt.timedelta(days=days), end_date=end, fields=["source", "tags"]
    )
    now = dt.datetime.now(dt.UTC).isoformat()
    rows = [_row(account_id, call, now) async for call in calls]
    await asyncio.to_thread(_write, db, rows)
    return len(rows)


async def ingest(db: Path, days: int) -> dict[str, int]:
    """Every account's calls of the last ``days`` days into ``db``; calls loaded per account."""
    async with CallRail() as client:
        accounts = [str(a.id) for a in await client.accounts.list().collect()]
        counts = await asyncio.gather(
            *(_ingest_account(client.for_account(a), db, days) for a in accounts)
        )
    return dict(zip(accounts, counts, strict=True))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("calls.sqlite"))
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    for account, count in asyncio.run(ingest(args.db, args.days)).items():
        print(f"{account}: {count} calls")
