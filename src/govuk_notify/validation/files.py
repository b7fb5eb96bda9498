"""The rules for files sent by email, shared by the request models and the sandbox."""

from __future__ import annotations

import re

__all__ = [
    "ALLOWED_FILE_EXTENSIONS",
    "MAX_DOCUMENT_SIZE",
    "MAX_FILENAME_LENGTH",
    "MAX_UPLOAD_SIZE",
    "retention_weeks",
    "unsupported_file_type_message",
    "unsupported_retention_message",
]

ALLOWED_FILE_EXTENSIONS = (
    "csv", "doc", "docx", "jpeg", "jpg", "json", "odt", "pdf", "png", "rtf", "txt", "xlsx",
)  # fmt: skip
"""The extensions Notify accepts, in the order its error message lists them."""

MAX_UPLOAD_SIZE = 2 * 1024 * 1024
"""What ``prepare_upload`` allows, as the official clients do (2 MiB)."""

MAX_DOCUMENT_SIZE = MAX_UPLOAD_SIZE + 1024
"""What the server allows for a decoded file in personalisation (2 MiB + 1 KiB)."""

MAX_FILENAME_LENGTH = 100
"""The longest `filename` Notify accepts, in characters."""

_RETENTION = re.compile(r"^(\d+) weeks?$")


def retention_weeks(value: str) -> int | None:
    """The number of weeks of a retention period, or None when the server would refuse it.

    Args:
        value: A period such as `"4 weeks"` or `"1 week"`; case and surrounding spaces are
            ignored.

    Returns:
        The weeks, from 1 to 78; None for anything else (`"0 weeks"`, `"79 weeks"`, `"a month"`).
    """
    match = _RETENTION.match(value.strip().lower())
    if match is None:
        return None
    weeks = int(match.group(1))
    return weeks if 1 <= weeks <= 78 else None


def unsupported_retention_message(value: object) -> str:
    """The server's message for a retention period it refuses.

    Args:
        value: The period given, quoted in the message as the server quotes it.

    Returns:
        `Unsupported value for retention_period: ... Supported periods are from 1 to 78 weeks.`
    """
    return (
        f"Unsupported value for retention_period: {value}. "
        "Supported periods are from 1 to 78 weeks."
    )


def unsupported_file_type_message(what: str) -> str:
    """The server's message for a file type it refuses.

    Args:
        what: `.ext` for an extension, or a MIME type found in the file's bytes.

    Returns:
        `Unsupported file type '...'. Supported types are: ...`, listing the allowed extensions.
    """
    supported = ", ".join(f"'.{extension}'" for extension in ALLOWED_FILE_EXTENSIONS)
    return f"Unsupported file type '{what}'. Supported types are: {supported}"
