"""The store's service-wide rows: API keys, templates and received text messages."""

from __future__ import annotations

from typing import Any

from .auth import KeyRecord
from .rows import StoredReceivedText, TemplateVersion, _template_from_row
from .store_base import StoreBase

__all__ = ["ServiceRows"]


class ServiceRows(StoreBase):
    """The API keys, template versions and received texts in the store."""

    # --- API keys ------------------------------------------------------------------------------

    def add_api_key(self, key: KeyRecord) -> None:
        """Store an API key, created now.

        Args:
            key: The key's id, name, stored type and secret.
        """
        with self._write() as conn:
            conn.execute(
                "INSERT INTO api_keys (id, name, key_type, secret, created_at, revoked_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (key.id, key.name, key.key_type, key.secret, self.now(), None),
            )

    def api_keys(self) -> list[KeyRecord]:
        """Every API key, revoked ones included, oldest first.

        Returns:
            The keys.
        """
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
        """Revoke an API key now.

        Args:
            key_id: The key's id.

        Returns:
            Whether a key was revoked (`False`: no such key, or revoked already).
        """
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (self.now(), key_id),
            )
            return cursor.rowcount > 0

    def delete_api_key(self, key_id: str) -> bool:
        """Remove an API key.

        Args:
            key_id: The key's id.

        Returns:
            Whether there was such a key.
        """
        with self._write() as conn:
            return conn.execute("DELETE FROM api_keys WHERE id = ?", (key_id,)).rowcount > 0

    # --- templates -----------------------------------------------------------------------------

    def add_template_version(self, template: TemplateVersion) -> None:
        """Store a new version of a template (its archived flag applies to every version).

        Args:
            template: The version.
        """
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
        """Archive or restore a template (every version of it).

        Args:
            template_id: The template's id.
            archived: Whether it is archived from now on.

        Returns:
            Whether there is such a template.
        """
        with self._write() as conn:
            cursor = conn.execute(
                "UPDATE templates SET archived = ? WHERE id = ?", (int(archived), template_id)
            )
            return cursor.rowcount > 0

    def template_versions(self, template_id: str) -> list[TemplateVersion]:
        """Every version of a template, oldest first.

        Args:
            template_id: The template's id.

        Returns:
            The versions; empty if there is no such template.
        """
        with self._read() as conn:
            rows = conn.execute(
                "SELECT * FROM templates WHERE id = ? ORDER BY version", (template_id,)
            ).fetchall()
        return [_template_from_row(row) for row in rows]

    def latest_templates(self) -> list[TemplateVersion]:
        """The latest version of every template, archived ones included, in no set order.

        Returns:
            The versions.
        """
        with self._read() as conn:
            rows = conn.execute(
                "SELECT t.* FROM templates t JOIN (SELECT id, MAX(version) AS v FROM templates"
                " GROUP BY id) m ON t.id = m.id AND t.version = m.v"
            ).fetchall()
        return [_template_from_row(row) for row in rows]

    def template_count(self) -> int:
        """How many templates there are (not versions).

        Returns:
            The count.
        """
        with self._read() as conn:
            row = conn.execute("SELECT COUNT(DISTINCT id) FROM templates").fetchone()
        return int(row[0])

    # --- received texts ------------------------------------------------------------------------

    def insert_received_text(
        self, text_id: str, notify_number: str, user_number: str, content: str
    ) -> StoredReceivedText:
        """Store a text message a user sent to the service, received now.

        Its ``created_at`` is unique: one microsecond after the last one if the clock has not
        moved on.

        Args:
            text_id: The text's id.
            notify_number: The service's number it was sent to.
            user_number: The sender's number.
            content: The text.

        Returns:
            The stored text.
        """
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
        """Received texts, newest first.

        Args:
            older_than: Only those older than the text with this id (none if there is no such text).
            limit: At most this many; `None` for all.

        Returns:
            The texts.
        """
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
