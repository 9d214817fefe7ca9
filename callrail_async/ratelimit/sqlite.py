"""Buckets in a SQLite file: shared by the processes of one machine, surviving restarts."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import anyio.to_thread

from ._store import BucketState, refill, take_plan
from .limits import BucketSpec

__all__ = ["SqliteBucketStore"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS callrail_buckets (
    key TEXT PRIMARY KEY,
    tokens REAL NOT NULL,
    updated REAL NOT NULL,
    paused_until REAL NOT NULL DEFAULT 0
)
"""


class SqliteBucketStore:
    """Bucket state in a SQLite database file.

    Every take runs in one ``BEGIN IMMEDIATE`` transaction (SQLite's write lock), so racing
    processes see each other's tokens; the blocking calls run in a worker thread.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self._busy_timeout = busy_timeout
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SqliteBucketStore({str(self.path)!r})"

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(
                self.path,
                timeout=self._busy_timeout,
                isolation_level=None,
                check_same_thread=False,
            )
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(_SCHEMA)
            self._conn = conn
        return self._conn

    def _transact(
        self, buckets: Sequence[BucketSpec], now: float, pause_until: float | None
    ) -> tuple[float, list[BucketState]]:
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                keys = [b.key for b in buckets]
                marks = ",".join("?" * len(keys))
                rows = conn.execute(
                    "SELECT key, tokens, updated, paused_until FROM callrail_buckets "
                    f"WHERE key IN ({marks})",
                    keys,
                ).fetchall()
                found = {row[0]: BucketState(row[1], row[2], row[3]) for row in rows}
                states = [found.get(key) for key in keys]
                if pause_until is not None:
                    new = [
                        BucketState(0.0, now, max(pause_until, s.paused_until if s else 0.0))
                        for s in states
                    ]
                    wait = 0.0
                else:
                    wait, new = take_plan(buckets, states, now)
                if pause_until is not None or wait == 0.0:
                    conn.executemany(
                        "INSERT INTO callrail_buckets (key, tokens, updated, paused_until) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET "
                        "tokens=excluded.tokens, updated=excluded.updated, "
                        "paused_until=excluded.paused_until",
                        [
                            (k, s.tokens, s.updated, s.paused_until)
                            for k, s in zip(keys, new, strict=True)
                        ],
                    )
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return wait, new

    async def take(self, buckets: Sequence[BucketSpec], now: float) -> float:
        """See :meth:`BucketStore.take`."""
        wait, _ = await anyio.to_thread.run_sync(self._transact, buckets, now, None)
        return wait

    async def pause(self, buckets: Sequence[BucketSpec], now: float, until: float) -> None:
        """See :meth:`BucketStore.pause`."""
        await anyio.to_thread.run_sync(self._transact, buckets, now, until)

    def _peek(self, buckets: Sequence[BucketSpec], now: float) -> list[BucketState]:
        with self._lock:
            conn = self._connection()
            result = []
            for spec in buckets:
                row = conn.execute(
                    "SELECT tokens, updated, paused_until FROM callrail_buckets WHERE key = ?",
                    (spec.key,),
                ).fetchone()
                result.append(refill(spec, BucketState(*row) if row else None, now))
            return result

    async def peek(self, buckets: Sequence[BucketSpec], now: float) -> list[BucketState]:
        """See :meth:`BucketStore.peek`."""
        return await anyio.to_thread.run_sync(self._peek, buckets, now)

    async def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
