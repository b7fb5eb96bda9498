"""`prepare_upload`: turn a file into a value for an email's personalisation."""

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
    """Read a binary file and return it ready to place in an email's personalisation.

    The recipient gets a secure download link where the placeholder is. Nothing is sent here.

    Args:
        f: A file opened in binary mode (`open(path, "rb")`, `io.BytesIO`); it is read to the
            end.
        filename: The name the recipient sees, with one of the extensions Notify allows (`csv`,
            `doc`, `docx`, `jpeg`, `jpg`, `json`, `odt`, `pdf`, `png`, `rtf`, `txt`, `xlsx`), at
            most 100 characters. None lets Notify name it.
        confirm_email_before_download: Ask the recipient to confirm their email address before
            downloading (Notify's default when None: yes).
        retention_period: How long the file can be downloaded: `"1 week"` to `"78 weeks"`
            (Notify's default when None: 26 weeks).
        is_csv: The legacy way to mark a CSV file sent without a filename; not with `filename`.

    Returns:
        The file, base64-encoded, with its options.

    Raises:
        pydantic.ValidationError: Before anything is sent (it is a `ValueError`): with the
            location `f` for a file opened in text mode or larger than 2 MiB; naming the field,
            in Notify's words, for a bad filename, retention period, or `is_csv` with
            `filename`.

    Example:
        ```python
        with open("report.pdf", "rb") as f:
            upload = prepare_upload(f, filename="report.pdf", retention_period="4 weeks")
        client.send_email_notification(
            address, template_id, personalisation={"link_to_file": upload}
        )
        ```
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
