"""Validation of a file sent by email: a ``{"file": ...}`` personalisation value (§5.5).

Each message is the server's, as `govuk_notify.sandbox.schemas` words them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from ..validation.files import retention_weeks, unsupported_retention_message
from .schemas import SchemaErrors, _string, _validate_object, _Validator

__all__ = ["validate_file_object"]


def _filename(name: str, value: Any, errors: SchemaErrors) -> None:
    if value is not None and not (isinstance(value, str) and "." in value):
        errors.field(name, "`filename` must end with a file extension. For example, filename.csv")


def _boolean_setting(setting: str) -> _Validator:
    def check(name: str, value: Any, errors: SchemaErrors) -> None:
        if value is not None and not isinstance(value, bool):
            errors.field(
                name,
                f"Unsupported value for {setting}: {value}. Use a boolean true or false value.",
            )

    return check


def _retention_period(name: str, value: Any, errors: SchemaErrors) -> None:
    if value is None:
        return
    if isinstance(value, str) and retention_weeks(value) is not None:
        return
    errors.field(name, unsupported_retention_message(value))


_FILE_PROPERTIES: Final[Sequence[tuple[str, _Validator]]] = (
    ("file", _string()),
    ("filename", _filename),
    ("confirm_email_before_download", _boolean_setting("confirm_email_before_download")),
    ("retention_period", _retention_period),
    ("is_csv", _boolean_setting("is_csv")),
)


def validate_file_object(value: Mapping[str, Any]) -> list[str]:
    """Check a ``{"file": ...}`` personalisation value: its keys and their values.

    Args:
        value: The personalisation value (a mapping with a ``file`` key).

    Returns:
        The server's error messages, in order; empty when it is valid.
    """
    messages = _validate_object(dict(value), _FILE_PROPERTIES)
    if value.get("is_csv") is not None and value.get("filename") is not None:
        messages.append("Do not set a value for `is_csv` if `filename` is set.")
    return messages
