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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .auth import KeyRecord
from .migrations import SCHEMA_VERSION, StoreVersionError, open_schema
from .rows import (
    _INSERT_NOTIFICATION,
    _SCHEMA,
    _SELECT_NOTIFICATION,
    _SELECT_NOTIFICATIONS,
    STATUS_SQL,
    NewNotification,
    StoredDocument,
    StoredNotification,
    StoredReceivedText,
    TemplateVersion,
    _document_from_row,
    _notification_from_row,
    _template_from_row,
    _utc_day,
)

__all__ = [
    "SCHEMA_VERSION",
    "NewNotification",
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
