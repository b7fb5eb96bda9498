"""Files sent by email (`FileUpload`) and the personalisation types that carry them."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Annotated, Any, Union

from pydantic import (
    Discriminator,
    Field,
    JsonValue,
    StrictBool,
    StrictStr,
    Tag,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ...validation.files import (
    ALLOWED_FILE_EXTENSIONS,
    MAX_DOCUMENT_SIZE,
    MAX_FILENAME_LENGTH,
    MAX_UPLOAD_SIZE,
    retention_weeks,
    unsupported_file_type_message,
    unsupported_retention_message,
)
from .._base import RequestModel

MAX_FILE_SIZE = MAX_UPLOAD_SIZE
"""The size `prepare_upload` allows, as the official clients do (2 MiB)."""


def _is_file(value: object) -> bool:
    return isinstance(value, FileUpload) or (isinstance(value, Mapping) and "file" in value)


def _no_files(personalisation: Mapping[str, object] | None) -> None:
    if personalisation and any(_is_file(v) for v in personalisation.values()):
        raise PydanticCustomError("file_not_allowed", "Can only send a file by email")


class FileUpload(RequestModel):
    """A file to send by email, as a value in the personalisation (made by `prepare_upload`).

    The file is shared through a secure download link placed where the placeholder is. Made
    directly, the fields are checked as Notify checks them: the file is base64, not empty and at
    most 2 MiB + 1 KiB decoded; the filename has an allowed extension and at most 100
    characters; the retention period is `1 week` to `78 weeks`; `is_csv` is not set with a
    filename.
    """

    file: StrictStr = Field(description="The file's bytes, base64-encoded.", repr=False)
    filename: StrictStr | None = Field(
        default=None, description="The name the recipient sees; it needs an allowed extension."
    )
    confirm_email_before_download: StrictBool | None = Field(
        default=None,
        description="Ask the recipient to confirm their email address first (Notify's default: "
        "true).",
    )
    retention_period: StrictStr | None = Field(
        default=None,
        description="How long the file can be downloaded: '1 week' to '78 weeks' "
        "(Notify's default: 26 weeks).",
    )
    is_csv: StrictBool | None = Field(
        default=None,
        description="Legacy: mark a file without a filename as CSV. Not with filename.",
    )

    @field_validator("file")
    @classmethod
    def _check_file(cls, value: str) -> str:
        try:
            decoded = base64.b64decode(value)
        except (binascii.Error, ValueError):
            raise PydanticCustomError("file", "Document is not base64 encoded") from None
        if not decoded:
            raise PydanticCustomError("file", "Document must not be empty")
        if len(decoded) > MAX_DOCUMENT_SIZE:
            raise PydanticCustomError("file", "Uploaded file exceeds file size limit")
        return value

    @field_validator("filename")
    @classmethod
    def _check_filename(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if "." not in value:
            raise PydanticCustomError(
                "filename",
                "`filename` must end with a file extension. For example, filename.csv",
            )
        if len(value) > MAX_FILENAME_LENGTH:
            raise PydanticCustomError("filename", "`filename` cannot be longer than 100 characters")
        extension = value.rsplit(".", 1)[1].lower()
        if extension not in ALLOWED_FILE_EXTENSIONS:
            raise PydanticCustomError(
                "filename",
                "{message}",
                {"message": unsupported_file_type_message(f".{extension}")},
            )
        return value

    @field_validator("retention_period")
    @classmethod
    def _check_retention(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if retention_weeks(value) is None:
            raise PydanticCustomError(
                "retention_period", "{message}", {"message": unsupported_retention_message(value)}
            )
        return value

    @model_validator(mode="after")
    def _check_is_csv(self) -> FileUpload:
        if self.is_csv is not None and self.filename is not None:
            raise PydanticCustomError(
                "is_csv", "Do not set a value for `is_csv` if `filename` is set."
            )
        return self

    def to_payload(self) -> dict[str, Any]:
        """The JSON object Notify expects in the personalisation.

        Returns:
            The four documented keys (`file`, `filename`, `confirm_email_before_download`,
            `retention_period`, None as null), and `is_csv` only if it is set.
        """
        payload: dict[str, Any] = {
            "file": self.file,
            "filename": self.filename,
            "confirm_email_before_download": self.confirm_email_before_download,
            "retention_period": self.retention_period,
        }
        if self.is_csv is not None:
            payload["is_csv"] = self.is_csv
        return payload


def _file_or_json(value: object) -> str:
    return "file" if _is_file(value) else "json"


Personalisation = dict[str, JsonValue]
"""Placeholder values: names to JSON values (a list becomes a bulleted list or `a, b and c`)."""
EmailPersonalisationValue = Annotated[
    Union[Annotated[FileUpload, Tag("file")], Annotated[JsonValue, Tag("json")]],  # noqa: UP007
    Discriminator(_file_or_json),
]
"""An email's placeholder value: a JSON value, or a file (`FileUpload`, or a mapping with a
`file` key)."""


def _personalisation_payload(personalisation: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value.to_payload() if isinstance(value, FileUpload) else value
        for key, value in personalisation.items()
    }
