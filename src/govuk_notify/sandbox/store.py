"""The sandbox's SQLite store.

One writer connection, guarded by a lock, does every write in its own short transaction; reads go
through a small pool of read-only connections. The database runs in WAL mode, so readers never
wait for the writer and no request ever sees "database is locked".

Times are integers: microseconds since the Unix epoch, UTC. ``created_at`` of notifications and
received texts is unique (allocated under the writer lock), so "newest first" paging with
``older_than`` never skips or repeats a row.

A notification's status moves on by itself: a row holds its first status and up to three later
``(at, status)`` steps, and its status at any moment is the last step whose time has come. Lists
filter on that same expression in SQL, so nothing has to run in the background.
"""

from __future__ import annotations

import json
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .auth import KeyRecord
from .migrations import SCHEMA_VERSION, StoreVersionError, open_schema

__all__ = [
    "SCHEMA_VERSION",
    "Store",
    "StoreVersionError",
    "StoredDocument",
    "StoredNotification",
    "StoredReceivedText",
    "TemplateVersion",
    "now_us",
]


def now_us() -> int:
    """Microseconds since the epoch, UTC."""
    return time.time_ns() // 1000


_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    key_type TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE TABLE IF NOT EXISTS templates (
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    subject TEXT,
    body TEXT NOT NULL,
    postage TEXT,
    letter_contact_block TEXT,
    created_at INTEGER NOT NULL,
    version_created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    archived INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (id, version)
);
CREATE TABLE IF NOT EXISTS notifications (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL UNIQUE,
    key_type TEXT NOT NULL,
    api_key_id TEXT,
    type TEXT NOT NULL,
    template_id TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    recipient TEXT,
    normalised_to TEXT,
    reference TEXT,
    body TEXT NOT NULL,
    subject TEXT,
    personalisation TEXT NOT NULL,
    postage TEXT,
    one_click_unsubscribe_url TEXT,
    sender TEXT,
    job_id TEXT,
    job_row_number INTEGER,
    precompiled INTEGER NOT NULL DEFAULT 0,
    billable_units INTEGER NOT NULL DEFAULT 0,
    rate_multiplier REAL NOT NULL DEFAULT 1.0,
    status0 TEXT NOT NULL,
    at1 INTEGER, status1 TEXT,
    at2 INTEGER, status2 TEXT,
    at3 INTEGER, status3 TEXT,
    sent_step INTEGER,
    sent_at INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS notifications_by_key_type
    ON notifications (key_type, created_at);
CREATE INDEX IF NOT EXISTS notifications_by_reference ON notifications (reference);
CREATE TABLE IF NOT EXISTS letter_pdfs (
    notification_id TEXT PRIMARY KEY,
    content BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    notification_id TEXT NOT NULL,
    personalisation_key TEXT NOT NULL,
    filename TEXT,
    mime_type TEXT NOT NULL,
    content BLOB NOT NULL,
    retention_period TEXT NOT NULL,
    confirm_email_before_download INTEGER NOT NULL,
    url TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_by_notification ON documents (notification_id);
CREATE TABLE IF NOT EXISTS received_texts (
    id TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL UNIQUE,
    notify_number TEXT NOT NULL,
    user_number TEXT NOT NULL,
    content TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS daily_counts (
    day TEXT NOT NULL,
    kind TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, kind)
);
"""

# The status a notification has at :now (a named parameter), from its steps.
STATUS_SQL = (
    "(CASE WHEN at3 IS NOT NULL AND at3 <= :now THEN status3"
    " WHEN at2 IS NOT NULL AND at2 <= :now THEN status2"
    " WHEN at1 IS NOT NULL AND at1 <= :now THEN status1"
    " ELSE status0 END)"
)


@dataclass(frozen=True)
class TemplateVersion:
    id: str
    version: int
    type: str
    name: str
    subject: str | None
    body: str
    postage: str | None
    letter_contact_block: str | None
    created_at: int
    version_created_at: int
    created_by: str
    archived: bool

    def same_content(self, other: TemplateVersion) -> bool:
        return (
            self.type == other.type
            and self.name == other.name
            and self.subject == other.subject
            and self.body == other.body
            and self.postage == other.postage
            and self.letter_contact_block == other.letter_contact_block
        )


@dataclass(frozen=True)
class StoredNotification:
    id: str
    created_at: int
    key_type: str
    api_key_id: str | None
    type: str
    template_id: str
    template_version: int
    recipient: str | None
    normalised_to: str | None
    reference: str | None
    body: str
    subject: str | None
    personalisation: dict[str, Any]
    postage: str | None
    one_click_unsubscribe_url: str | None
    sender: str | None
    job_id: str | None
    job_row_number: int | None
    precompiled: bool
    billable_units: int
    rate_multiplier: float
    steps: tuple[tuple[int, str], ...]
    """``(at, status)``: the first status at creation, then the later steps in order."""
    sent_step: int | None
    """Index in ``steps`` of the step that means "sent" (``sent_at``), if any."""
    updated_at: int
    sent_at: int | None

    def status_at(self, now: int) -> tuple[str, int, int | None]:
        """The status at ``now``, when it was reached, and ``sent_at`` (or None)."""
        status, reached = self.steps[0][1], self.updated_at
        for at, step_status in self.steps[1:]:
            if at <= now:
                status, reached = step_status, at
        sent_at = self.sent_at
        if self.sent_step is not None and self.sent_step < len(self.steps):
            at = self.steps[self.sent_step][0]
            if at <= now:
                sent_at = at
        return status, reached, sent_at


@dataclass(frozen=True)
class StoredReceivedText:
    id: str
    created_at: int
    notify_number: str
    user_number: str
    content: str


@dataclass(frozen=True)
class StoredDocument:
    id: str
    notification_id: str
    personalisation_key: str
    filename: str | None
    mime_type: str
    content: bytes
    retention_period: str
    confirm_email_before_download: bool
    url: str
    created_at: int


@dataclass
class NewNotification:
    """What :meth:`Store.insert_notification` needs; ``created_at`` is allocated there."""

    id: str
    key_type: str
    api_key_id: str | None
    type: str
    template_id: str
    template_version: int
    recipient: str | None
    normalised_to: str | None
    reference: str | None
    body: str
    subject: str | None
    personalisation: Mapping[str, Any]
    postage: str | None = None
    one_click_unsubscribe_url: str | None = None
    sender: str | None = None
    job_id: str | None = None
    job_row_number: int | None = None
    precompiled: bool = False
    billable_units: int = 0
    rate_multiplier: float = 1.0
    first_status: str = "created"
    later_steps: Sequence[tuple[float, str]] = ()
    """``(seconds after creation, status)``, at most three, in time order."""
    sent_step: int | None = None
    pdf: bytes | None = None
    documents: Sequence[StoredDocument] = field(default_factory=list)
    count_as: Sequence[str] = ()
    """Daily counters to increment (``sms``, ``email``, ``letter``, ``international_sms``)."""


_NOTIFICATION_COLUMNS = (
    "id, created_at, key_type, api_key_id, type, template_id, template_version, recipient,"
    " normalised_to, reference, body, subject, personalisation, postage,"
    " one_click_unsubscribe_url, sender, job_id, job_row_number, precompiled, billable_units,"
    " rate_multiplier, status0, at1, status1, at2, status2, at3, status3, sent_step, sent_at,"
    " updated_at"
)
# Built from the constant column list above only: nothing user-supplied goes into SQL text.
_SELECT_NOTIFICATIONS = f"SELECT {_NOTIFICATION_COLUMNS} FROM notifications"  # noqa: S608
_SELECT_NOTIFICATION = _SELECT_NOTIFICATIONS + " WHERE id = ?"
_INSERT_NOTIFICATION = (
    f"INSERT INTO notifications ({_NOTIFICATION_COLUMNS}) VALUES"  # noqa: S608
    f" ({', '.join(['?'] * (_NOTIFICATION_COLUMNS.count(',') + 1))})"
)


def _notification_from_row(row: sqlite3.Row) -> StoredNotification:
    steps: list[tuple[int, str]] = [(int(row["created_at"]), str(row["status0"]))]
    for n in (1, 2, 3):
        at = row[f"at{n}"]
        if at is not None:
            steps.append((int(at), str(row[f"status{n}"])))
    return StoredNotification(
        id=row["id"],
        created_at=row["created_at"],
        key_type=row["key_type"],
        api_key_id=row["api_key_id"],
        type=row["type"],
        template_id=row["template_id"],
        template_version=row["template_version"],
        recipient=row["recipient"],
        normalised_to=row["normalised_to"],
        reference=row["reference"],
        body=row["body"],
        subject=row["subject"],
        personalisation=json.loads(row["personalisation"]),
        postage=row["postage"],
        one_click_unsubscribe_url=row["one_click_unsubscribe_url"],
        sender=row["sender"],
        job_id=row["job_id"],
        job_row_number=row["job_row_number"],
        precompiled=bool(row["precompiled"]),
        billable_units=row["billable_units"],
        rate_multiplier=row["rate_multiplier"],
        steps=tuple(steps),
        sent_step=row["sent_step"],
        updated_at=row["updated_at"],
        sent_at=row["sent_at"],
    )


def _template_from_row(row: sqlite3.Row) -> TemplateVersion:
    return TemplateVersion(
        id=row["id"],
        version=row["version"],
        type=row["type"],
        name=row["name"],
        subject=row["subject"],
        body=row["body"],
        postage=row["postage"],
        letter_contact_block=row["letter_contact_block"],
        created_at=row["created_at"],
        version_created_at=row["version_created_at"],
        created_by=row["created_by"],
        archived=bool(row["archived"]),
    )


def _document_from_row(row: sqlite3.Row) -> StoredDocument:
    return StoredDocument(
        id=row["id"],
        notification_id=row["notification_id"],
        personalisation_key=row["personalisation_key"],
        filename=row["filename"],
        mime_type=row["mime_type"],
        content=bytes(row["content"]),
        retention_period=row["retention_period"],
        confirm_email_before_download=bool(row["confirm_email_before_download"]),
        url=row["url"],
        created_at=row["created_at"],
    )


def _utc_day(at_us: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(at_us / 1_000_000))


class Store:
    """Everything the sandbox keeps, in one SQLite file.

    Opening it checks the file's schema version (:mod:`.migrations`): a file written by a newer
    govuk-notify is refused, an older one migrated.
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
        """The sandbox's time in microseconds: its clock (the real time unless one was given),
        moved on by :meth:`advance`."""
        return round(self._clock() * 1_000_000) + self._offset_us

    def advance(self, seconds: float) -> None:
        """Move the sandbox's time forward (kept in the database, so it survives a restart)."""
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
        with self._read() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def set_meta_if_missing(self, key: str, value: str) -> str:
        """Store ``value`` unless the key exists; return the value that is stored."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (key, value),
            )
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0])

    # --- API keys ------------------------------------------------------------------------------

    def add_api_key(self, key: KeyRecord) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO api_keys (id, name, key_type, secret, created_at, revoked_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (key.id, key.name, key.key_type, key.secret, self.now(), None),
            )

    def api_keys(self) -> list[KeyRecord]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, name, key_type, secret, revoked_at FROM api_keys"
                " ORDER BY created_at, id"
            ).fetchall()
        return [
            KeyRecord(
                id=row["id"],
                name=row["name"],
                key_type=row["key_type"],
                secret=row["secret"],
                revoked=row["revoked_at"] is not None,
            )
            for row in rows
        ]

    def revoke_api_key(self, key_id: str) -> bool:
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (self.now(), key_id),
            )
            return cursor.rowcount > 0

    def delete_api_key(self, key_id: str) -> bool:
        with self._write() as conn:
            return conn.execute("DELETE FROM api_keys WHERE id = ?", (key_id,)).rowcount > 0

    # --- templates -----------------------------------------------------------------------------

    def add_template_version(self, template: TemplateVersion) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO templates (id, version, type, name, subject, body, postage,"
                " letter_contact_block, created_at, version_created_at, created_by, archived)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    template.id,
                    template.version,
                    template.type,
                    template.name,
                    template.subject,
                    template.body,
                    template.postage,
                    template.letter_contact_block,
                    template.created_at,
                    template.version_created_at,
                    template.created_by,
                    int(template.archived),
                ),
            )
            conn.execute(
                "UPDATE templates SET archived = ? WHERE id = ?",
                (int(template.archived), template.id),
            )

    def set_template_archived(self, template_id: str, archived: bool) -> bool:
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE templates SET archived = ? WHERE id = ?", (int(archived), template_id)
            )
            return cursor.rowcount > 0

    def template_versions(self, template_id: str) -> list[TemplateVersion]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM templates WHERE id = ? ORDER BY version", (template_id,)
            ).fetchall()
        return [_template_from_row(row) for row in rows]

    def latest_templates(self) -> list[TemplateVersion]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT t.* FROM templates t JOIN (SELECT id, MAX(version) AS v FROM templates"
                " GROUP BY id) m ON t.id = m.id AND t.version = m.v"
            ).fetchall()
        return [_template_from_row(row) for row in rows]

    def template_count(self) -> int:
        with self._read() as conn:
            row = conn.execute("SELECT COUNT(DISTINCT id) FROM templates").fetchone()
        return int(row[0])

    # --- notifications -------------------------------------------------------------------------

    def insert_notification(self, new: NewNotification) -> StoredNotification:
        """Store a notification (its PDF, documents and daily counts too) in one transaction."""
        if len(new.later_steps) > 3:
            raise ValueError("a notification has at most three later steps")
        with self._write() as conn:
            created_at = max(self.now(), self._last_notification_at + 1)
            steps: list[Any] = []
            for delay, status in new.later_steps:
                steps += [created_at + round(delay * 1_000_000), status]
            steps += [None] * (6 - len(steps))
            conn.execute(
                _INSERT_NOTIFICATION,
                (
                    new.id,
                    created_at,
                    new.key_type,
                    new.api_key_id,
                    new.type,
                    new.template_id,
                    new.template_version,
                    new.recipient,
                    new.normalised_to,
                    new.reference,
                    new.body,
                    new.subject,
                    json.dumps(dict(new.personalisation)),
                    new.postage,
                    new.one_click_unsubscribe_url,
                    new.sender,
                    new.job_id,
                    new.job_row_number,
                    int(new.precompiled),
                    new.billable_units,
                    new.rate_multiplier,
                    new.first_status,
                    *steps,
                    new.sent_step,
                    None,
                    created_at,
                ),
            )
            if new.pdf is not None:
                conn.execute(
                    "INSERT INTO letter_pdfs (notification_id, content) VALUES (?, ?)",
                    (new.id, new.pdf),
                )
            for doc in new.documents:
                conn.execute(
                    "INSERT INTO documents (id, notification_id, personalisation_key, filename,"
                    " mime_type, content, retention_period, confirm_email_before_download, url,"
                    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        doc.id,
                        new.id,
                        doc.personalisation_key,
                        doc.filename,
                        doc.mime_type,
                        doc.content,
                        doc.retention_period,
                        int(doc.confirm_email_before_download),
                        doc.url,
                        created_at,
                    ),
                )
            day = _utc_day(created_at)
            for kind in new.count_as:
                conn.execute(
                    "INSERT INTO daily_counts (day, kind, count) VALUES (?, ?, 1)"
                    " ON CONFLICT (day, kind) DO UPDATE SET count = count + 1",
                    (day, kind),
                )
            self._last_notification_at = created_at
            row = conn.execute(_SELECT_NOTIFICATION, (new.id,)).fetchone()
        return _notification_from_row(row)

    def get_notification(self, notification_id: str) -> StoredNotification | None:
        with self._read() as conn:
            row = conn.execute(
                _SELECT_NOTIFICATION,
                (notification_id,),
            ).fetchone()
        return None if row is None else _notification_from_row(row)

    def list_notifications(
        self,
        *,
        now: int,
        key_type: str | None = None,
        statuses: Sequence[str] | None = None,
        types: Sequence[str] | None = None,
        reference: str | None = None,
        include_jobs: bool = True,
        older_than: str | None = None,
        limit: int | None = None,
        oldest_first: bool = False,
    ) -> list[StoredNotification]:
        """Notifications newest first (or oldest first), filtered as the list endpoint does."""
        where: list[str] = []
        params: dict[str, Any] = {"now": now}
        if key_type is not None:
            where.append("key_type = :key_type")
            params["key_type"] = key_type
        if not include_jobs:
            where.append("job_id IS NULL")
        if types:
            names = []
            for index, value in enumerate(types):
                params[f"type{index}"] = value
                names.append(f":type{index}")
            where.append(f"type IN ({', '.join(names)})")
        if statuses is not None:
            names = []
            for index, value in enumerate(statuses):
                params[f"status{index}"] = value
                names.append(f":status{index}")
            where.append(f"{STATUS_SQL} IN ({', '.join(names) or 'NULL'})")
        if reference is not None:
            where.append("reference = :reference")
            params["reference"] = reference
        if older_than is not None:
            where.append("created_at < (SELECT created_at FROM notifications WHERE id = :older)")
            params["older"] = older_than
        sql = _SELECT_NOTIFICATIONS
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY created_at" + ("" if oldest_first else " DESC")
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [_notification_from_row(row) for row in rows]

    def set_notification_status(self, notification_id: str, status: str) -> bool:
        """Give a notification a fixed status from now on (its later steps are dropped)."""
        with self._write() as conn:
            row = conn.execute(
                _SELECT_NOTIFICATION,
                (notification_id,),
            ).fetchone()
            if row is None:
                return False
            now = self.now()
            _, _, sent_at = _notification_from_row(row).status_at(now)
            conn.execute(
                "UPDATE notifications SET status0 = ?, at1 = NULL, status1 = NULL,"
                " at2 = NULL, status2 = NULL, at3 = NULL, status3 = NULL, sent_step = NULL,"
                " sent_at = ?, updated_at = ? WHERE id = ?",
                (status, sent_at, now, notification_id),
            )
            return True

    def letter_pdf(self, notification_id: str) -> bytes | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT content FROM letter_pdfs WHERE notification_id = ?", (notification_id,)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def documents_for(self, notification_id: str) -> list[StoredDocument]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM documents WHERE notification_id = ? ORDER BY rowid",
                (notification_id,),
            ).fetchall()
        return [_document_from_row(row) for row in rows]

    def document(self, document_id: str) -> StoredDocument | None:
        with self._read() as conn:
            row = conn.execute("SELECT * FROM documents WHERE id = ?", (document_id,)).fetchone()
        return None if row is None else _document_from_row(row)

    def clear_notifications(self) -> None:
        """Forget every notification, document, received text and daily count."""
        with self._write() as conn:
            for table in ("notifications", "letter_pdfs", "documents", "received_texts"):
                conn.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
            conn.execute("DELETE FROM daily_counts")

    # --- daily counts --------------------------------------------------------------------------

    def daily_count(self, kind: str, at: int | None = None) -> int:
        day = _utc_day(self.now() if at is None else at)
        with self._read() as conn:
            row = conn.execute(
                "SELECT count FROM daily_counts WHERE day = ? AND kind = ?", (day, kind)
            ).fetchone()
        return 0 if row is None else int(row[0])

    # --- received texts ------------------------------------------------------------------------

    def insert_received_text(
        self, text_id: str, notify_number: str, user_number: str, content: str
    ) -> StoredReceivedText:
        with self._write() as conn:
            created_at = max(self.now(), self._last_received_at + 1)
            conn.execute(
                "INSERT INTO received_texts (id, created_at, notify_number, user_number, content)"
                " VALUES (?, ?, ?, ?, ?)",
                (text_id, created_at, notify_number, user_number, content),
            )
            self._last_received_at = created_at
        return StoredReceivedText(text_id, created_at, notify_number, user_number, content)

    def list_received_texts(
        self, *, older_than: str | None = None, limit: int | None = None
    ) -> list[StoredReceivedText]:
        sql = "SELECT id, created_at, notify_number, user_number, content FROM received_texts"
        params: dict[str, Any] = {}
        if older_than is not None:
            sql += " WHERE created_at < (SELECT created_at FROM received_texts WHERE id = :older)"
            params["older"] = older_than
        sql += " ORDER BY created_at DESC"
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        with self._read() as conn:
            rows = conn.execute(sql, params).fetchall()
        return [
            StoredReceivedText(
                row["id"],
                row["created_at"],
                row["notify_number"],
                row["user_number"],
                row["content"],
            )
            for row in rows
        ]
