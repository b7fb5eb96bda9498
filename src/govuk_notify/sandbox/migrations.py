"""The sandbox database's schema version: checked on open, older databases migrated.

The version is kept in the ``meta`` table under ``schema_version``. A database written before the
version was kept has a ``meta`` table but no version: that is version 1. A database written by a
newer govuk-notify (a version above `SCHEMA_VERSION`) is refused with
`StoreVersionError` before anything in it is touched; an older one is migrated step by step
in one transaction.

Versions:

1. The first schema (no version kept).
2. Received texts keep the sender's number in the international form Notify uses
   (``447700900123``); numbers stored in another form are rewritten.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Mapping
from typing import Final

from ..validation import InvalidPhoneNumberError, parse_phone_number

__all__ = ["SCHEMA_VERSION", "StoreVersionError", "open_schema", "stored_version"]

SCHEMA_VERSION: Final = 2
"""The version of the schema this govuk-notify writes."""


class StoreVersionError(RuntimeError):
    """The sandbox database was written by a newer govuk-notify than this one.

    Attributes:
        path: The database file.
        found: The schema version in the file.
        supported: The newest version this govuk-notify reads.
    """

    def __init__(self, path: str, found: int) -> None:
        """Describe the refusal.

        Args:
            path: The database file.
            found: The schema version in the file.
        """
        self.path = path
        self.found = found
        self.supported = SCHEMA_VERSION
        super().__init__(
            f"the sandbox database {path} was written by a newer govuk-notify (schema version "
            f"{found}; this version reads up to {SCHEMA_VERSION}): upgrade govuk-notify, or "
            "start the sandbox with another database file"
        )


def stored_version(conn: sqlite3.Connection) -> int | None:
    """The schema version of the database behind ``conn``.

    Args:
        conn: An open connection.

    Returns:
        ``None`` for an empty database, 1 for one written before versions were kept, else the
        version stored.
    """
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if has_meta is None:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return 1 if row is None else int(row[0])


def _international_user_numbers(conn: sqlite3.Connection) -> None:
    """1 -> 2: received texts' sender numbers in the international form."""
    rows = conn.execute("SELECT id, user_number FROM received_texts").fetchall()
    for text_id, number in rows:
        with contextlib.suppress(InvalidPhoneNumberError):
            normalised = parse_phone_number(number).normalised
            if normalised != number:
                conn.execute(
                    "UPDATE received_texts SET user_number = ? WHERE id = ?", (normalised, text_id)
                )


_MIGRATIONS: Final[Mapping[int, Callable[[sqlite3.Connection], None]]] = {
    1: _international_user_numbers,
}
"""From each version to the next."""


def open_schema(conn: sqlite3.Connection, path: str, schema: str) -> int | None:
    """Check the database's version, create what is missing and migrate an older one.

    Args:
        conn: The writing connection (autocommit mode, ``isolation_level=None``).
        path: The database file, for the error message.
        schema: The ``CREATE ... IF NOT EXISTS`` script of the current schema.

    Returns:
        The version the database had before (``None`` if it was new).

    Raises:
        StoreVersionError: The database was written by a newer govuk-notify.
    """
    found = stored_version(conn)
    if found is not None and found > SCHEMA_VERSION:
        raise StoreVersionError(path, found)
    conn.executescript(schema)
    conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(found or SCHEMA_VERSION, SCHEMA_VERSION):
            _MIGRATIONS[version](conn)
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('schema_version', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (str(SCHEMA_VERSION),),
        )
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return found
