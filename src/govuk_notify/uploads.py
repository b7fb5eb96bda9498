"""``prepare_upload``: turn a file into a value for an email's personalisation."""

from __future__ import annotations

import base64
from typing import IO

from .models.requests import MAX_FILE_SIZE, FileUpload

__all__ = ["FileTooLargeError", "prepare_upload"]


class FileTooLargeError(ValueError):
    """The file is larger than 2 MiB, the most Notify sends by email."""


def prepare_upload(
    f: IO[bytes],
    filename: str | None = None,
    confirm_email_before_download: bool | None = None,
    retention_period: str | None = None,
    is_csv: bool | None = None,
) -> FileUpload:
    """Read a binary file and return it ready to place in ``personalisation``.

    ``filename`` (with an allowed extension) is the name the recipient sees;
    ``confirm_email_before_download`` (Notify's default: true) asks them to confirm their email
    address first; ``retention_period`` is ``"1 week"`` to ``"78 weeks"`` (default 26 weeks);
    ``is_csv`` is the legacy way to mark a CSV file sent without a filename.
    Raises :class:`FileTooLargeError` over 2 MiB, and pydantic's ``ValidationError`` for a bad
    filename, retention period or combination, before anything is sent.
    """
    data: object = f.read()
    if not isinstance(data, bytes):
        raise TypeError("prepare_upload needs a file opened in binary mode ('rb')")
    if len(data) > MAX_FILE_SIZE:
        raise FileTooLargeError(
            f"File is larger than 2MB ({len(data)} bytes; the limit is {MAX_FILE_SIZE})"
        )
    return FileUpload(
        file=base64.b64encode(data).decode("ascii"),
        filename=filename,
        confirm_email_before_download=confirm_email_before_download,
        retention_period=retention_period,
        is_csv=is_csv,
    )
