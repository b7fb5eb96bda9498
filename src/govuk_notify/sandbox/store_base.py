"""The sandbox store's foundations: the SQLite connections, the sandbox's clock, the meta table.

One writer connection, guarded by a lock, does every write in its own short transaction; reads go
through a small pool of read-only connections. The database runs in WAL mode, so readers never
wait for the writer and no request ever sees "database is locked".
"""

from __future__ import annotations

import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .migrations import open_schema
from .rows import _SCHEMA

__all__ = ["StoreBase"]


class StoreBase:
    """The connections to one SQLite file, the sandbox's clock and the meta table.

    Opening it checks the file's schema version (`govuk_notify.sandbox.migrations`): a file
    written by a newer govuk-notify is refused, an older one migrated. Every method raises
    `RuntimeError` once the store is closed.
    """

    def __init__(
        self, path: str | os.PathLike[str], *, clock: Callable[[], float] = time.time
    ) -> None:
        """Open (or create) the database.

        Args:
            path: The SQLite file.
            clock: The wall clock, in seconds since the epoch.

        Raises:
            StoreVersionError: The file was written by a newer govuk-notify.
        """
        self.path = os.fspath(path)
        self._clock = clock
        self._write_lock = threading.Lock()
        self._writer = self._connect(readonly=False)
        with self._write_lock:
            try:
                self._writer.execute("PRAGMA journal_mode=WAL")
                self.previous_version = open_schema(self._writer, self.path, _SCHEMA)
            except BaseException:
                self._writer.close()
                raise
            row = self._writer.execute("SELECT MAX(created_at) FROM notifications").fetchone()
            self._last_notification_at = int(row[0] or 0)
            row = self._writer.execute("SELECT MAX(created_at) FROM received_texts").fetchone()
            self._last_received_at = int(row[0] or 0)
        offset = self._writer.execute(
            "SELECT value FROM meta WHERE key = 'clock_offset_us'"
        ).fetchone()
        self._offset_us = int(offset[0]) if offset is not None else 0
        self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._all_readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._closed = False

    # --- the sandbox's clock ---------------------------------------------------------------------

    def now(self) -> int:
        """The sandbox's time in microseconds since the epoch.

        That is its clock (the real time unless one was given) moved on by `advance`.
        """
        return round(self._clock() * 1_000_000) + self._offset_us

    def advance(self, seconds: float) -> None:
        """Move the sandbox's time forward (kept in the database, so it survives a restart).

        Args:
            seconds: How far to move it.

        Raises:
            ValueError: ``seconds`` is negative.
        """
        if seconds < 0:
            raise ValueError("time only moves forward")
        with self._write() as conn:
            self._offset_us += round(seconds * 1_000_000)
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('clock_offset_us', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(self._offset_us),),
            )

    # --- connections ---------------------------------------------------------------------------

    def _connect(self, *, readonly: bool) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path, timeout=30.0, isolation_level=None, check_same_thread=False
        )
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA synchronous=NORMAL")
        if readonly:
            conn.execute("PRAGMA query_only=1")
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        if self._closed:
            raise RuntimeError("the sandbox store is closed")
        try:
            conn = self._readers.get_nowait()
        except queue.Empty:
            conn = self._connect(readonly=True)
            with self._readers_lock:
                self._all_readers.append(conn)
        try:
            yield conn
        finally:
            self._readers.put(conn)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock:
            if self._closed:
                raise RuntimeError("the sandbox store is closed")
            conn = self._writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def close(self) -> None:
        """Close every connection; later calls do nothing, and reads and writes then fail."""
        with self._write_lock:
            if self._closed:
                return
            self._closed = True
            with self._readers_lock:
                for conn in self._all_readers:
                    conn.close()
                self._all_readers.clear()
            self._writer.close()

    # --- meta ----------------------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        """One value of the meta table.

        Args:
            key: The value's name.

        Returns:
            The value, or `None` if there is none.
        """
        with self._read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set one value of the meta table, replacing any value it had.

        Args:
            key: The value's name.
            value: The value.
        """
        with self._write() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def set_meta_if_missing(self, key: str, value: str) -> str:
        """Store a value of the meta table unless the key has one already.

        Args:
            key: The value's name.
            value: The value to store if there is none.

        Returns:
            The value now stored (the old one if there was one).
        """
        with self._write() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (key, value),
            )
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0])
