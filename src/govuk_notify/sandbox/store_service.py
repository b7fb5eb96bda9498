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
