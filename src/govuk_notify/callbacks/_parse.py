"""Parsing a callback: the token first, then the body into its typed payload."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import (
    TypeAdapter,
    ValidationError,
)

from ._errors import CallbackError, MalformedCallbackError
from ._payloads import (
    DELIVERY_RECEIPT_ADAPTER,
    DeliveryReceipt,
    ReceivedTextCallback,
    ReturnedLetterCallback,
)
from ._token import _as_bytes, check_bearer_token

# The name of the module before the split, so that logging configuration keeps working.
_log = logging.getLogger("govuk_notify.callbacks")


_T = TypeVar("_T")


@dataclass(frozen=True)
class _Kind(Generic[_T]):
    name: str
    adapter: TypeAdapter[_T]
    tagged: bool = False
    """Validation errors of a tagged union start their location with the tag: drop it."""


_DELIVERY_RECEIPT = _Kind("delivery receipt", DELIVERY_RECEIPT_ADAPTER, tagged=True)
_RECEIVED_TEXT = _Kind("received text message", TypeAdapter(ReceivedTextCallback))
_RETURNED_LETTER = _Kind("returned letter", TypeAdapter(ReturnedLetterCallback))


def _problems(error: ValidationError, *, tagged: bool) -> list[tuple[str, str]]:
    problems = []
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        kind = item["type"]
        if kind == "union_tag_not_found":
            problems.append(("notification_type", "Field required"))
        elif kind == "union_tag_invalid":
            problems.append(("notification_type", "Input should be 'sms' or 'email'"))
        else:
            location = item["loc"][1:] if tagged else item["loc"]
            field = ".".join(str(part) for part in location) or "body"
            problems.append((field, item["msg"]))
    return problems


def _parse(
    kind: _Kind[_T],
    authorization: str | bytes | None,
    body: bytes | str,
    expected_token: str | Sequence[str],
) -> _T:
    try:
        check_bearer_token(authorization, expected_token=expected_token)
    except CallbackError as error:
        _log.debug("Refused a %s callback: %s", kind.name, error)
        raise
    if isinstance(body, str):
        body = _as_bytes(body)
    try:
        return kind.adapter.validate_json(body)
    except ValidationError as error:
        # Built outside the except block, so the refusal does not chain pydantic's error, whose
        # text quotes the values sent (phone numbers, message text).
        problems = _problems(error, tagged=kind.tagged)
    refusal = MalformedCallbackError(kind.name, problems)
    _log.debug("Refused a %s callback: %s", kind.name, refusal)
    raise refusal


def parse_delivery_receipt(
    authorization: str | bytes | None, body: bytes | str, *, expected_token: str | Sequence[str]
) -> DeliveryReceipt:
    """Check a delivery receipt's bearer token, then parse its body.

    Args:
        authorization: The request's `Authorization` header (`str` or `bytes`), or None when
            there is none.
        body: The raw request body, as `bytes` or `str`. It is read only once the token is
            right.
        expected_token: The token set in Notify, or several that are all accepted (see
            `check_bearer_token`).

    Returns:
        An `SmsDeliveryReceipt` or an `EmailDeliveryReceipt`, chosen by the body's
        `notification_type`.

    Raises:
        MissingTokenError: There is no bearer token (answer 401).
        InvalidTokenError: The token is not the one expected (answer 401).
        MalformedCallbackError: The body is not JSON or not a delivery receipt (answer 400).
        ConfigurationError: `expected_token` is empty.

    Example:
        ```python
        receipt = parse_delivery_receipt(
            request.headers.get("Authorization"), request.get_data(), expected_token=TOKEN
        )
        if receipt.status is SmsStatus.PERMANENT_FAILURE:
            mark_number_as_wrong(receipt.to)
        ```
    """
    return _parse(_DELIVERY_RECEIPT, authorization, body, expected_token)


def parse_received_text(
    authorization: str | bytes | None, body: bytes | str, *, expected_token: str | Sequence[str]
) -> ReceivedTextCallback:
    """Check a received text message's bearer token, then parse its body.

    Args:
        authorization: The request's `Authorization` header (`str` or `bytes`), or None when
            there is none.
        body: The raw request body, as `bytes` or `str`.
        expected_token: The token set in Notify, or several that are all accepted (see
            `check_bearer_token`).

    Returns:
        The received text message.

    Raises:
        MissingTokenError: There is no bearer token (answer 401).
        InvalidTokenError: The token is not the one expected (answer 401).
        MalformedCallbackError: The body is not a received text message (answer 400).
        ConfigurationError: `expected_token` is empty.
    """
    return _parse(_RECEIVED_TEXT, authorization, body, expected_token)


def parse_returned_letter(
    authorization: str | bytes | None, body: bytes | str, *, expected_token: str | Sequence[str]
) -> ReturnedLetterCallback:
    """Check a returned letter's bearer token, then parse its body.

    Args:
        authorization: The request's `Authorization` header (`str` or `bytes`), or None when
            there is none.
        body: The raw request body, as `bytes` or `str`.
        expected_token: The token set in Notify, or several that are all accepted (see
            `check_bearer_token`).

    Returns:
        The returned letter report.

    Raises:
        MissingTokenError: There is no bearer token (answer 401).
        InvalidTokenError: The token is not the one expected (answer 401).
        MalformedCallbackError: The body is not a returned-letter report (answer 400).
        ConfigurationError: `expected_token` is empty.
    """
    return _parse(_RETURNED_LETTER, authorization, body, expected_token)
