r"""A SQLite journal of the messages a bulk send has sent, keyed by what each message is.

Every message (see :mod:`govuk_notify.bulk_identity`) has one row per job, whose state moves::

    pending --> sending --> sent      (Notify answered with the notification's id)
                        \\-> failed    (refused, or never left: certainly not sent)
                        \\-> unknown   (the request went out, the answer was lost)

``sending`` is committed to disk *before* the request goes out, with the message's reference, so
a run killed at any point leaves every message unsent, recorded, or in doubt; a message in doubt
is looked up by its reference before it is ever sent again.

The journal records its schema version, the service it sends for, and (for ``send-bulk``) the
template and reference prefix of its first run. A journal of another schema version is refused
without being changed. Every time it writes comes from an injectable ``clock``.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal
from urllib.parse import quote

__all__ = [
    "SCHEMA_VERSION",
    "JournalBusyError",
    "JournalEntry",
    "JournalError",
    "JournalMismatchError",
    "JournalVersionError",
    "MessageState",
    "SendJournal",
    "journal_path_for",
]

SCHEMA_VERSION = 2
"""The journal layout this module reads and writes. Version 1 (``govuk-notify`` 0.x's
``send-bulk``, keyed by the CSV's hash) had no version record."""

MessageState = Literal["pending", "sending", "sent", "failed", "unknown"]

_SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE messages (
    job INTEGER NOT NULL,
    key TEXT NOT NULL,
    reference TEXT NOT NULL,
    template_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
    notification_id TEXT,
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_attempt_at REAL,
    updated_at REAL NOT NULL,
    row INTEGER,
    PRIMARY KEY (job, key)
);
"""


class JournalError(Exception):
    """The journal cannot be used; nothing was sent and the journal was not changed."""


class JournalBusyError(JournalError):
    """Another run holds the journal."""


class JournalVersionError(JournalError):
    """The journal was written in a layout this version cannot read."""


class JournalMismatchError(JournalError):
    """The journal belongs to another service or template."""


@dataclass(frozen=True)
class JournalEntry:
    """One message of the current job, as the journal holds it."""

    key: str
    reference: str
    template_id: str
    state: MessageState
    notification_id: str | None
    error: str | None
    attempts: int
    last_attempt_at: float | None
    """When (``clock()``) the last attempt went out; ``None`` before the first."""
    row: int | None
    """The row of the file the message was last seen on (``send-bulk``), else its position."""

    @property
    def in_doubt(self) -> bool:
        """True while the message may or may not have been sent."""
        return self.state in ("sending", "unknown")


def _existing_version(path: str) -> int | None:
    """The schema version of the journal at ``path``, read without writing anything.

    ``None`` for a new or empty file, ``-1`` for a journal without a readable version.
    """
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    uri = f"file:{quote(os.path.abspath(path))}?mode=ro"
    try:
        db = sqlite3.connect(uri, uri=True)
        try:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
            if not tables:
                return None
            if "meta" not in tables:
                raise JournalVersionError(
                    f"{path} was written by an older send-bulk (it has no schema version) and"
                    " cannot be read by this one; it was left as it is. Finish its job with the"
                    " older version, or use another journal"
                )
            found = db.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError as err:
        raise JournalError(f"{path} is not a send-bulk journal ({err})") from None
    try:
        return int(found[0]) if found else -1
    except ValueError:
        return -1


def _exclusive_lock(path: str) -> IO[bytes] | None:
    """Hold an exclusive lock on ``path`` until the file is closed or the process dies.

    Two runs never send from one journal. Without ``fcntl`` (Windows) nothing is locked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    handle = open(path, "ab")  # noqa: SIM115 (held open for the lock's lifetime)
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise JournalBusyError(f"{path}: another run is using this journal") from None
    return handle


class SendJournal:
    """The journal file: which messages were sent, failed, or are in doubt.

    Safe to use from many threads. Each change is committed on its own, in WAL mode with
    ``synchronous=FULL``: what a call wrote survives the process being killed straight after.

    Args:
        path: The SQLite file; created when missing.
        clock: Seconds since the epoch, for every time the journal records (``time.time``).
        settle_time: Seconds after its last attempt before a message in doubt that Notify does
            not have counts as never sent (120).

    Raises:
        JournalBusyError: Another process has the journal open.
        JournalVersionError: The file is a journal of another schema version (left unchanged).
        JournalError: The file is not a journal.

    Example:
        >>> with SendJournal("batch.journal.sqlite3") as journal:
        ...     sent = [e for e in journal.entries().values() if e.state == "sent"]
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Callable[[], float] = time.time,
        settle_time: float = 120.0,
    ) -> None:
        """Open (or create) the journal at ``path``; see the class for the arguments."""
        self.path = os.fspath(path)
        self.clock = clock
        self.settle_time = settle_time
        self._lock = threading.Lock()
        self._lock_file = _exclusive_lock(self.path + ".lock")
        try:
            version = _existing_version(self.path)
            if version is not None and version != SCHEMA_VERSION:
                raise JournalVersionError(
                    f"{self.path} is a journal of schema version {version}; this send-bulk reads"
                    f" version {SCHEMA_VERSION}. It was left as it is; use another journal"
                )
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        except BaseException:
            self._release()
            raise
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._db.execute("PRAGMA busy_timeout=5000")
            if version is None:
                # Other runs are kept out by the lock file: nobody sees a half-made journal.
                self._db.executescript(
                    _SCHEMA.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS")
                )
                self._db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?), ('job', '1'),"
                    " ('created_at', ?)",
                    (str(SCHEMA_VERSION), repr(self.clock())),
                )
        except sqlite3.Error as err:
            self.close()
            raise JournalError(f"cannot use the journal {self.path}: {err}") from None
        except BaseException:
            self.close()
            raise

    def _release(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    def close(self) -> None:
        """Close the file and release the lock."""
        with self._lock:
            db = getattr(self, "_db", None)
            if db is not None:
                db.close()
                self._db = None  # type: ignore[assignment]
        self._release()

    def __enter__(self) -> SendJournal:
        """Use the journal in a ``with`` block; it is closed at the end."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the journal."""
        self.close()

    # --- what the journal is for ------------------------------------------------------------

    def meta(self, name: str) -> str | None:
        """A recorded property of the journal (``service_id``, ``template_id``, ...)."""
        with self._lock:
            found = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return None if found is None else str(found[0])

    def remember(self, name: str, value: str) -> str:
        """Record ``name`` unless it is recorded already; return the recorded value."""
        with self._lock:
            self._db.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (name, value))
            found = self._db.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return str(found[0])

    def replace(self, name: str, value: str) -> None:
        """Record ``name`` as ``value``, replacing what was there."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def check_service(self, service_id: str) -> None:
        """Record the service on first use; refuse another service's journal.

        Raises:
            JournalMismatchError: The journal was made with another service's API key.
        """
        stored = self.remember("service_id", service_id)
        if stored != service_id:
            raise JournalMismatchError(
                f"the journal {self.path} belongs to another service ({stored}); its messages"
                " cannot be looked up with this API key"
            )

    @property
    def job(self) -> int:
        """The current job's number (1 until :meth:`new_job`)."""
        return int(self.meta("job") or "1")

    def new_job(self) -> int:
        """Start the next job: every message counts as not sent in it. Returns its number."""
        job = self.job + 1
        self.replace("job", str(job))
        return job

    # --- messages -------------------------------------------------------------------------

    def add(self, messages: Iterable[tuple[str, str, str, int | None]]) -> None:
        """Record ``(key, reference, template_id, row)`` as pending in the current job.

        A message there already keeps its state; only its row is updated.
        """
        job, now = self.job, self.clock()
        rows = [(job, key, ref, template, now, row) for key, ref, template, row in messages]
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT INTO messages (job, key, reference, template_id, state, updated_at,"
                    " row) VALUES (?, ?, ?, ?, 'pending', ?, ?)"
                    " ON CONFLICT (job, key) DO UPDATE SET row = excluded.row",
                    rows,
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def entries(self, job: int | None = None) -> dict[str, JournalEntry]:
        """Every message of a job (the current one by default), by key."""
        job = self.job if job is None else job
        with self._lock:
            found = self._db.execute(
                "SELECT key, reference, template_id, state, notification_id, error, attempts,"
                " last_attempt_at, row FROM messages WHERE job = ? ORDER BY row, key",
                (job,),
            ).fetchall()
        return {r[0]: JournalEntry(*r) for r in found}

    def count_sent(self, job: int) -> int:
        """How many messages a job sent."""
        with self._lock:
            (count,) = self._db.execute(
                "SELECT count(*) FROM messages WHERE job = ? AND state = 'sent'", (job,)
            ).fetchone()
        return int(count)

    def _update(self, key: str, sql: str, *values: object) -> None:
        with self._lock:
            self._db.execute(
                f"UPDATE messages SET {sql}, updated_at = ?"  # noqa: S608 (constant SQL)
                " WHERE job = CAST((SELECT value FROM meta WHERE name = 'job') AS INTEGER)"
                " AND key = ?",
                (*values, self.clock(), key),
            )

    def mark_sending(self, key: str) -> None:
        """The request is about to go out (committed before it does)."""
        self._update(
            key,
            "state = 'sending', attempts = attempts + 1, last_attempt_at = ?",
            self.clock(),
        )

    def mark_sent(self, key: str, notification_id: str) -> None:
        """Notify has the message, as ``notification_id``."""
        self._update(key, "state = 'sent', notification_id = ?, error = NULL", notification_id)

    def mark_failed(self, key: str, error: str) -> None:
        """Notify refused the message, or it never left: certainly not sent."""
        self._update(key, "state = 'failed', error = ?", error)

    def mark_unknown(self, key: str, error: str) -> None:
        """The request went out and its answer was lost."""
        self._update(key, "state = 'unknown', error = ?", error)

    def mark_pending(self, key: str) -> None:
        """Proved never sent (or never started): send it."""
        self._update(key, "state = 'pending'")


def journal_path_for(path: str | os.PathLike[str]) -> str:
    """The default journal of a file: ``<file>.journal.sqlite3`` beside it."""
    return str(Path(path)) + ".journal.sqlite3"
