"""Window logs in a SQLite file: shared by the processes of one machine, surviving restarts."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import anyio.to_thread

from ..errors import RateLimitStoreError
from ._store import CLOCK_STEP_TOLERANCE, EPSILON, paused_log
from .limits import WindowSpec

__all__ = ["SqliteBucketStore"]

T = TypeVar("T")

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS callrail_window_log (key TEXT NOT NULL, stamp REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS callrail_window_log_key ON callrail_window_log (key, stamp)",
)

_LOG = "SELECT stamp FROM callrail_window_log WHERE key = ? ORDER BY stamp"


class SqliteBucketStore:
    """Window logs in a SQLite database file.

    Every operation runs in one ``BEGIN IMMEDIATE`` transaction (SQLite's write lock), so
    racing processes see each other's admissions; the blocking calls run in a worker thread.
    Waiting for the lock is bounded by ``busy_timeout`` seconds; then, as for any database
    failure (unwritable file, corrupt database), the limiter raises
    :class:`~callrail_async.errors.RateLimitStoreError`.
    """

    shared = True

    def __init__(self, path: str | Path, *, busy_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self._busy_timeout = busy_timeout
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SqliteBucketStore({str(self.path)!r})"

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn = sqlite3.connect(
                self.path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False
            )
            try:
                self._setup_within(conn, time.monotonic() + self._busy_timeout)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    @classmethod
    def _setup_within(cls, conn: sqlite3.Connection, deadline: float) -> None:
        # Processes opening a new database at once race to switch it to WAL, and SQLite
        # answers the losers "database is locked" at once, without waiting busy_timeout:
        # wait for the switch here, within the same bound.
        while True:
            try:
                cls._setup(conn)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() >= deadline:
                    raise
                time.sleep(0.005)

    @staticmethod
    def _setup(conn: sqlite3.Connection) -> None:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        for statement in _SCHEMA:
            conn.execute(statement)

    def _transact(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            try:
                conn = self._connection()
                conn.execute("BEGIN IMMEDIATE")
                try:
                    result = work(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise RateLimitStoreError(
                    f"rate-limit store {self.path.name}: {type(exc).__name__}: {exc}"
                ) from None
            return result

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await anyio.to_thread.run_sync(self._transact, work)

    async def take(self, windows: Sequence[WindowSpec], now: float) -> float:
        """See :meth:`BucketStore.take`."""

        def work(conn: sqlite3.Connection) -> float:
            wait = 0.0
            for window in windows:
                count = _settle(conn, window, now)
                if count >= window.limit:
                    (oldest,) = conn.execute(
                        "SELECT stamp FROM callrail_window_log WHERE key = ? "
                        "ORDER BY stamp LIMIT 1 OFFSET ?",
                        (window.key, count - window.limit),
                    ).fetchone()
                    wait = max(wait, oldest + window.span - now, EPSILON)
            if wait == 0.0:
                conn.executemany(
                    "INSERT INTO callrail_window_log (key, stamp) VALUES (?, ?)",
                    [(window.key, now) for window in windows],
                )
            return wait

        return await self._run(work)

    async def pause(self, windows: Sequence[WindowSpec], now: float, seconds: float) -> None:
        """See :meth:`BucketStore.pause`."""

        def work(conn: sqlite3.Connection) -> None:
            for window in windows:
                _settle(conn, window, now)
                live = [row[0] for row in conn.execute(_LOG, (window.key,))]
                conn.execute("DELETE FROM callrail_window_log WHERE key = ?", (window.key,))
                conn.executemany(
                    "INSERT INTO callrail_window_log (key, stamp) VALUES (?, ?)",
                    [(window.key, t) for t in paused_log(window, now, seconds, live)],
                )

        await self._run(work)

    async def peek(self, windows: Sequence[WindowSpec], now: float) -> list[list[float]]:
        """See :meth:`BucketStore.peek`."""

        def work(conn: sqlite3.Connection) -> list[list[float]]:
            logs = []
            for window in windows:
                _settle(conn, window, now)
                logs.append([row[0] for row in conn.execute(_LOG, (window.key,))])
            return logs

        return await self._run(work)

    async def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _settle(conn: sqlite3.Connection, window: WindowSpec, now: float) -> int:
    """Shift the log if the clock stepped back, drop expired entries; the live count."""
    (newest,) = conn.execute(
        "SELECT MAX(stamp) FROM callrail_window_log WHERE key = ?", (window.key,)
    ).fetchone()
    if newest is not None and newest > now + CLOCK_STEP_TOLERANCE:
        conn.execute(
            "UPDATE callrail_window_log SET stamp = stamp + ? WHERE key = ?",
            (now - newest, window.key),
        )
    conn.execute(
        "DELETE FROM callrail_window_log WHERE key = ? AND stamp <= ?",
        (window.key, now - window.span + EPSILON),
    )
    (count,) = conn.execute(
        "SELECT COUNT(*) FROM callrail_window_log WHERE key = ?", (window.key,)
    ).fetchone()
    return int(count)
