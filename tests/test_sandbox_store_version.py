"""The sandbox database's schema version: stamped, checked on open, older files migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from govuk_notify.sandbox import Sandbox, StoreVersionError
from govuk_notify.sandbox.migrations import SCHEMA_VERSION


def _meta_version(path: Path) -> str | None:
    with sqlite3.connect(path) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return None if row is None else str(row[0])


def _execute(path: Path, sql: str, *params: object) -> None:
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute(sql, params)
    finally:
        conn.close()


def test_a_new_database_is_stamped_with_the_current_version(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    with Sandbox(db=db):
        pass
    assert _meta_version(db) == str(SCHEMA_VERSION)


def test_a_database_from_before_versions_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    with Sandbox(db=db) as sandbox:
        sandbox.add_received_text("kept", user_number="447700900111")
    # Make it look like a version 1 file: no version kept, a number stored as it was given.
    _execute(db, "DELETE FROM meta WHERE key = 'schema_version'")
    _execute(db, "UPDATE received_texts SET user_number = '07700 900111'")
    _execute(
        db,
        "INSERT INTO received_texts (id, created_at, notify_number, user_number, content)"
        " VALUES ('00000000-0000-4000-8000-000000000001', 1, '07700900456', 'not a number', 'odd')",
    )
    with Sandbox(db=db) as sandbox:
        numbers = {text.content: text.user_number for text in sandbox.received_texts()}
    assert numbers == {"kept": "447700900111", "odd": "not a number"}
    assert _meta_version(db) == str(SCHEMA_VERSION)


def test_a_database_from_a_newer_version_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "sandbox.db"
    with Sandbox(db=db) as sandbox:
        sandbox.add_received_text("hello", user_number="07700 900222")
    newer = SCHEMA_VERSION + 7
    _execute(db, "UPDATE meta SET value = ? WHERE key = 'schema_version'", str(newer))
    before = db.read_bytes()
    sandbox = Sandbox(db=db)
    with pytest.raises(StoreVersionError) as caught:
        sandbox.start()
    assert not sandbox.running
    message = str(caught.value)
    assert "newer govuk-notify" in message
    assert f"schema version {newer}" in message
    assert f"reads up to {SCHEMA_VERSION}" in message
    assert str(db) in message
    assert caught.value.found == newer
    assert _meta_version(db) == str(newer)
    assert db.read_bytes() == before
