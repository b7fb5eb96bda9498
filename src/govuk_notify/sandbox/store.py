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
import time
from collections.abc import Sequence
from typing import Any

from .migrations import SCHEMA_VERSION, StoreVersionError
from .rows import (
    _INSERT_NOTIFICATION,
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
    _utc_day,
)
from .store_service import ServiceRows

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


class Store(ServiceRows):
    """Everything the sandbox keeps, in one SQLite file.

    Opening it checks the file's schema version (`govuk_notify.sandbox.migrations`): a file
    written by a newer govuk-notify is refused, an older one migrated. Every method raises
    `RuntimeError` once the store is closed.
    """

    # --- notifications -------------------------------------------------------------------------

    def insert_notification(self, new: NewNotification) -> StoredNotification:
        """Store a notification (its PDF, documents and daily counts too) in one transaction.

        Its ``created_at`` is unique: one microsecond after the last one if the clock has not
        moved on.

        Args:
            new: The notification, with its later status steps (delays in seconds).

        Returns:
            The stored notification.

        Raises:
            ValueError: It has more than three later steps.
        """
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
        """One notification.

        Args:
            notification_id: Its id.

        Returns:
            The notification, or `None` if there is none with that id.
        """
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
        """Notifications newest first (or oldest first), filtered as the list endpoint does.

        Args:
            now: The sandbox time (µs) at which statuses are taken.
            key_type: Only those sent with this stored key type (``normal``, ``team``, ``test``).
            statuses: Only those with one of these raw statuses at ``now``.
            types: Only those of these types (``sms``, ``email``, ``letter``).
            reference: Only those with this reference.
            include_jobs: Whether notifications of CSV jobs are included.
            older_than: Only those older than the notification with this id.
            limit: At most this many; `None` for all.
            oldest_first: Oldest first instead of newest first.

        Returns:
            The notifications.
        """
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
        """Give a notification a fixed status from now on (its later steps are dropped).

        Args:
            notification_id: The notification's id.
            status: The raw status.

        Returns:
            Whether there is such a notification.
        """
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
        """The PDF of a letter.

        Args:
            notification_id: The letter's id.

        Returns:
            The PDF, or `None` if there is none for that id.
        """
        with self._read() as conn:
            row = conn.execute(
                "SELECT content FROM letter_pdfs WHERE notification_id = ?", (notification_id,)
            ).fetchone()
        return None if row is None else bytes(row[0])

    def documents_for(self, notification_id: str) -> list[StoredDocument]:
        """The files sent with an email (``prepare_upload``), in the order they were stored.

        Args:
            notification_id: The email's id.

        Returns:
            The files; empty for none.
        """
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM documents WHERE notification_id = ? ORDER BY rowid",
                (notification_id,),
            ).fetchall()
        return [_document_from_row(row) for row in rows]

    def document(self, document_id: str) -> StoredDocument | None:
        """One file sent with an email.

        Args:
            document_id: The file's id.

        Returns:
            The file, or `None` if there is none with that id.
        """
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
        """How many messages of a type count against a day's limit.

        Args:
            kind: ``sms``, ``email``, ``letter`` or ``international_sms``.
            at: A time in that day (sandbox time, µs); now by default.

        Returns:
            The count (0 for none).
        """
        day = _utc_day(self.now() if at is None else at)
        with self._read() as conn:
            row = conn.execute(
                "SELECT count FROM daily_counts WHERE day = ? AND kind = ?", (day, kind)
            ).fetchone()
        return 0 if row is None else int(row[0])
