"""The sandbox database's tables and the records read back from them.

`.store` reads and writes through these: the schema (``CREATE ... IF NOT EXISTS``), the status
expression lists filter on, the frozen records (`TemplateVersion`,
`StoredNotification`, `StoredReceivedText`, `StoredDocument`), a new
notification to insert (`NewNotification`), and the conversions from rows.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "STATUS_SQL",
    "NewNotification",
    "StoredDocument",
    "StoredNotification",
    "StoredReceivedText",
    "TemplateVersion",
]


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
    """One version of a template, as stored (times in microseconds since the epoch)."""

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
        """Whether ``other`` has the same type, name, subject, body, postage and contact block."""
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
    """A notification as stored: what was sent, and the steps its status takes."""

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
    """A text a user sent to the service, as stored."""

    id: str
    created_at: int
    notify_number: str
    user_number: str
    content: str


@dataclass(frozen=True)
class StoredDocument:
    """A file sent by email, as stored (served at ``url``)."""

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
    """What `Store.insert_notification` needs; ``created_at`` is allocated there."""

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
