"""Request validation with the server's exact messages (server contract §1.1, §2, §5.5, §9).

The server validates with jsonschema (Draft 7) and reports **every** error at once. Each message is
``"<first path element> <message>"``, with every ``'`` deleted; errors with no path (``required``,
``additionalProperties``) have no prefix; a field with a ``validationMessage`` (UUIDs, the
unsubscribe URL) always reads ``"<field> <validationMessage>"``. Exact duplicates are dropped.
The checks below walk each schema in the server's order: the properties in schema order, then
``required``, then ``additionalProperties``.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from ..validation import (
    InvalidEmailAddressError,
    InvalidPhoneNumberError,
    parse_phone_number,
    validate_email_address,
)

__all__ = [
    "NOTIFICATION_STATUSES",
    "STATUS_FILTER_VALUES",
    "TEMPLATE_TYPES",
    "SchemaErrors",
    "is_valid_uuid",
    "validate_email_request",
    "validate_letter_request",
    "validate_notifications_query",
    "validate_precompiled_request",
    "validate_preview_request",
    "validate_received_texts_query",
    "validate_sms_request",
    "validate_templates_query",
]

TEMPLATE_TYPES: Final = ("sms", "email", "letter")
NOTIFICATION_STATUSES: Final = (
    "cancelled",
    "created",
    "sending",
    "sent",
    "delivered",
    "pending",
    "failed",
    "technical-failure",
    "temporary-failure",
    "permanent-failure",
    "pending-virus-check",
    "validation-failed",
    "virus-scan-failed",
    "returned-letter",
)
STATUS_FILTER_VALUES: Final = (*NOTIFICATION_STATUSES, "accepted", "received")
_INCLUDE_JOBS_VALUES: Final = ("true", "True")
_POSTAGE_VALUES: Final = ("first", "second", "economy")

_Validator = Callable[[str, Any, "SchemaErrors"], None]


class SchemaErrors:
    """Collects schema messages in order, without exact duplicates."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, message: str) -> None:
        """Keep a message, unless the same one is kept already.

        Args:
            message: The message.
        """
        if message not in self.messages:
            self.messages.append(message)

    def field(self, name: str, message: str) -> None:
        """A standard jsonschema message about ``name``: quotes deleted, the name in front."""
        self.add(f"{name} {message}".replace("'", ""))

    def __bool__(self) -> bool:
        return bool(self.messages)


def _type_message(value: Any, types: Sequence[str]) -> str:
    return f"{value!r} is not of type {', '.join(repr(t) for t in types)}"


def is_valid_uuid(value: Any) -> bool:
    """The server's ``validate_uuid`` format: Python's ``uuid.UUID(value)`` must accept it."""
    if not isinstance(value, str):
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# --- property checks (each adds its own errors) --------------------------------------------------


def _string(max_length: int | None = None) -> _Validator:
    def check(name: str, value: Any, errors: SchemaErrors) -> None:
        if not isinstance(value, str):
            errors.field(name, _type_message(value, ["string"]))
        elif max_length is not None and len(value) > max_length:
            errors.field(name, f"{value!r} is too long")

    return check


def _uuid(name: str, value: Any, errors: SchemaErrors) -> None:
    if not is_valid_uuid(value):
        errors.add(f"{name} is not a valid UUID")


def _object(name: str, value: Any, errors: SchemaErrors) -> None:
    if not isinstance(value, dict):
        errors.field(name, _type_message(value, ["object"]))


def _phone_number(name: str, value: Any, errors: SchemaErrors) -> None:
    if not isinstance(value, str):
        errors.field(name, _type_message(value, ["string"]))
        return
    try:
        parse_phone_number(value)
    except InvalidPhoneNumberError as err:
        errors.field(name, str(err))


def _email_address(name: str, value: Any, errors: SchemaErrors) -> None:
    if not isinstance(value, str):
        errors.field(name, _type_message(value, ["string"]))
        return
    try:
        validate_email_address(value)
    except InvalidEmailAddressError as err:
        errors.field(name, str(err))


def _scheduled_for(name: str, value: Any, errors: SchemaErrors) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        errors.field(name, _type_message(value, ["string", "null"]))
        return
    text = value[:-1] + "+00:00" if value.endswith(("Z", "z")) else value  # for Python 3.10
    try:
        when = dt.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        errors.field(
            name,
            "datetime format is invalid. It must be a valid ISO8601 date time format, "
            "https://en.wikipedia.org/wiki/ISO_8601",
        )
        return
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    if when < now:
        errors.field(name, "datetime can not be in the past")
    elif when > now + dt.timedelta(hours=24):
        errors.field(name, "datetime can only be 24 hours in the future")


_URI_CHARACTERS: Final = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_URI_SCHEME: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_BAD_PERCENT: Final = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _is_absolute_uri(value: str) -> bool:
    """An RFC 3986/3987 absolute URI in ASCII: a scheme, then only URI characters."""
    if not _URI_SCHEME.match(value) or not _URI_CHARACTERS.fullmatch(value):
        return False
    return not _BAD_PERCENT.search(value)


def _https_url(name: str, value: Any, errors: SchemaErrors) -> None:
    if not isinstance(value, str) or not _is_absolute_uri(value) or not value.startswith("https"):
        errors.add(f"{name} is not a valid https url")


def _array_or_null(name: str, value: Any, errors: SchemaErrors) -> None:
    if value is not None and not isinstance(value, list):
        errors.field(name, _type_message(value, ["array", "null"]))


def _postage(name: str, value: Any, errors: SchemaErrors) -> None:
    if not isinstance(value, str):
        errors.field(name, _type_message(value, ["string"]))
    elif value not in _POSTAGE_VALUES:
        errors.field(name, "invalid. It must be either first, second or economy.")


def _enum(allowed: Sequence[str]) -> _Validator:
    def check(name: str, value: Any, errors: SchemaErrors) -> None:
        if value not in allowed:
            errors.field(name, f"{value!r} is not one of {list(allowed)!r}")

    return check


def _array_of(allowed: Sequence[str]) -> _Validator:
    item_check = _enum(allowed)

    def check(name: str, value: Any, errors: SchemaErrors) -> None:
        if not isinstance(value, list):
            errors.field(name, _type_message(value, ["array"]))
            return
        for item in value:
            item_check(name, item, errors)

    return check


def _validate_object(
    body: Any,
    properties: Sequence[tuple[str, _Validator]],
    *,
    required: Sequence[str] = (),
    additional: bool = False,
) -> list[str]:
    errors = SchemaErrors()
    if not isinstance(body, dict):
        errors.add(_type_message(body, ["object"]).replace("'", ""))
        return errors.messages
    for name, check in properties:
        if name in body:
            check(name, body[name], errors)
    for name in required:
        if name not in body:
            errors.add(f"{name} is a required property")
    if not additional:
        known = {name for name, _ in properties}
        # jsonschema (4.26 on the server) lists them sorted, not in the request's order
        extras = sorted(key for key in body if key not in known)
        if extras:
            verb = "was" if len(extras) == 1 else "were"
            listed = ", ".join(repr(key) for key in extras)
            errors.add(f"Additional properties are not allowed ({listed} {verb} unexpected)"
                       .replace("'", ""))  # fmt: skip
    return errors.messages


# --- the request schemas --------------------------------------------------------------------------

_SMS_PROPERTIES: Final[Sequence[tuple[str, _Validator]]] = (
    ("reference", _string(1000)),
    ("phone_number", _phone_number),
    ("template_id", _uuid),
    ("personalisation", _object),
    ("scheduled_for", _scheduled_for),
    ("sms_sender_id", _uuid),
)
_EMAIL_PROPERTIES: Final[Sequence[tuple[str, _Validator]]] = (
    ("reference", _string(1000)),
    ("email_address", _email_address),
    ("template_id", _uuid),
    ("personalisation", _object),
    ("scheduled_for", _scheduled_for),
    ("email_reply_to_id", _uuid),
    ("one_click_unsubscribe_url", _https_url),
    ("sanitise_content_for", _array_or_null),
)
_LETTER_PROPERTIES: Final[Sequence[tuple[str, _Validator]]] = (
    ("reference", _string(1000)),
    ("template_id", _uuid),
    ("personalisation", _object),
)
_PRECOMPILED_PROPERTIES: Final[Sequence[tuple[str, _Validator]]] = (
    ("reference", _string()),
    ("content", _string()),
    ("postage", _postage),
)


def validate_sms_request(body: Any) -> list[str]:
    """Check a ``POST /v2/notifications/sms`` body as the server's JSON schema does.

    Args:
        body: The parsed JSON body.

    Returns:
        The schema's error messages, in order; empty when it is valid.
    """
    return _validate_object(body, _SMS_PROPERTIES, required=("phone_number", "template_id"))


def validate_email_request(body: Any) -> list[str]:
    """Check a ``POST /v2/notifications/email`` body as the server's JSON schema does.

    Args:
        body: The parsed JSON body.

    Returns:
        The schema's error messages, in order; empty when it is valid.
    """
    return _validate_object(body, _EMAIL_PROPERTIES, required=("email_address", "template_id"))


def validate_letter_request(body: Any) -> list[str]:
    """Check a templated letter's ``POST /v2/notifications/letter`` body as the server does.

    Args:
        body: The parsed JSON body.

    Returns:
        The schema's error messages, in order; empty when it is valid.
    """
    return _validate_object(body, _LETTER_PROPERTIES, required=("template_id", "personalisation"))


def validate_precompiled_request(body: Any) -> list[str]:
    """Check a precompiled (PDF) letter's ``POST /v2/notifications/letter`` body as the server does.

    Args:
        body: The parsed JSON body.

    Returns:
        The schema's error messages, in order; empty when it is valid.
    """
    return _validate_object(body, _PRECOMPILED_PROPERTIES, required=("reference", "content"))


def validate_preview_request(body: Any) -> list[str]:
    """``{"id": uuid, "personalisation": object}``, ``id`` required, other keys ignored."""
    return _validate_object(
        body, (("id", _uuid), ("personalisation", _object)), required=("id",), additional=True
    )


def validate_notifications_query(query: Mapping[str, Any]) -> list[str]:
    """The list endpoint's query, with ``status`` and ``template_type`` as lists."""
    return _validate_object(
        query,
        (
            ("reference", _string()),
            ("status", _array_of(STATUS_FILTER_VALUES)),
            ("template_type", _array_of(TEMPLATE_TYPES)),
            ("include_jobs", _enum(_INCLUDE_JOBS_VALUES)),
            ("older_than", _uuid),
        ),
    )


def validate_templates_query(query: Mapping[str, Any]) -> list[str]:
    """Check the ``GET /v2/templates`` query as the server's JSON schema does.

    Args:
        query: The query parameters.

    Returns:
        The schema's error messages, in order; empty when it is valid.
    """
    return _validate_object(query, (("type", _enum(TEMPLATE_TYPES)),))


def validate_received_texts_query(query: Mapping[str, Any]) -> list[str]:
    """Check the ``GET /v2/received-text-messages`` query as the server's JSON schema does.

    Args:
        query: The query parameters.

    Returns:
        The schema's error messages, in order; empty when it is valid.
    """
    return _validate_object(query, (("older_than", _uuid),))
