"""``prepare_upload``: turn a file into a value for an email's personalisation."""

from __future__ import annotations

import base64
from typing import IO

from .models._base import argument_error
from .models.requests import MAX_FILE_SIZE, FileUpload

__all__ = ["prepare_upload"]


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
    Raises pydantic's ``ValidationError`` (a ``ValueError``), before anything is sent, for a
    file opened in text mode or larger than 2 MiB (location ``f``), and for a bad filename,
    retention period or combination.
    """
    data: object = f.read()
    if not isinstance(data, bytes):
        raise argument_error(
            "f", "must be a file opened in binary mode ('rb')", title="prepare_upload"
        )
    if len(data) > MAX_FILE_SIZE:
        raise argument_error(
            "f",
            f"File is larger than 2MB ({len(data)} bytes; the limit is {MAX_FILE_SIZE})",
            title="prepare_upload",
            error_type="file_too_large",
        )
    return FileUpload(
        file=base64.b64encode(data).decode("ascii"),
        filename=filename,
        confirm_email_before_download=confirm_email_before_download,
        retention_period=retention_period,
        is_csv=is_csv,
    )
