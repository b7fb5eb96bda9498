"""What makes two send requests the same message, and the reference derived from it.

A message is its recipient (normalised as Notify normalises it), its template and its
personalisation values. Two requests with the same of each send the same message to the same
person; where the request came from (a row number, a file's bytes, a position in a list) plays no
part. The journal of :func:`govuk_notify.bulk.send_many` and ``govuk-notify send-bulk`` keys every
message by :func:`message_key`, so a rerun after any edit sends exactly the messages it has not
sent before.

Recipients are normalised as the Notify server normalises them before it stores them:

- a phone number to E.164 without ``+`` (``07700 900123``, ``+44 7700 900123`` and the
  ``7700900123`` a spreadsheet leaves after dropping the leading zero are one number);
- an email address with its zero-width characters and surrounding space removed, lower-cased;
- a postal address line by line (line breaks, spaces and trailing commas as Notify tidies them,
  a UK postcode formatted), with case kept.

Personalisation keys are matched as Notify matches placeholders (case, spaces, ``_`` and ``-``
ignored); string values are compared with their surrounding whitespace stripped.

Example:
    >>> from govuk_notify import SmsRequest
    >>> def code(number: str) -> SmsRequest:
    ...     return SmsRequest(
    ...         phone_number=number,
    ...         template_id="27977601-9753-4b18-afab-ef47bb93bc78",
    ...         personalisation={"name": "Ann", "code": "123456"},
    ...     )
    >>> message_key(code("07700 900123")) == message_key(code("+447700900123"))
    True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Union

from .models.requests import EmailRequest, LetterRequest, PrecompiledLetterRequest, SmsRequest
from .validation import (
    InvalidRecipientError,
    normalise_address_lines,
    validate_email_address,
    validate_phone_number,
    validate_postal_address,
)
from .validation.placeholders import normalise_key
from .validation.postal import address_lines_from_personalisation

__all__ = ["IdentityRequest", "derived_reference", "message_identity", "message_key"]

IdentityRequest = Union[SmsRequest, EmailRequest, LetterRequest, PrecompiledLetterRequest]  # noqa: UP007
"""The request models a message key can be made for."""

_ADDRESS_KEYS = frozenset(
    {f"address_line_{n}" for n in range(1, 8)} | {"postcode"},
)


def _phone(number: str) -> str:
    try:
        return validate_phone_number(number)
    except InvalidRecipientError:
        return "".join(number.split())


def _email(address: str) -> str:
    try:
        address = validate_email_address(address)
    except InvalidRecipientError:
        address = address.strip()
    return address.lower()


def _address(personalisation: Mapping[str, Any]) -> list[str]:
    try:
        return list(validate_postal_address(personalisation).lines)
    except InvalidRecipientError:
        return normalise_address_lines(address_lines_from_personalisation(personalisation))


def _value(value: object) -> object:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (list, tuple)):
        return [_value(item) for item in value]
    return value


def _personalisation(values: Mapping[str, Any] | None, skip: frozenset[str]) -> dict[str, object]:
    normalised: dict[str, object] = {}
    for key, value in sorted((values or {}).items()):
        if key in skip:
            continue
        normalised[normalise_key(key)] = _value(value)
    return normalised


def message_identity(request: IdentityRequest) -> dict[str, object]:
    """The parts of ``request`` that make it a message, normalised.

    Args:
        request: A send request model.

    Returns:
        A JSON-able dict: ``type``, ``template_id``, ``recipient`` and ``personalisation``
        (for a precompiled letter: the SHA-256 of the PDF and the postage instead).
    """
    if isinstance(request, PrecompiledLetterRequest):
        return {
            "type": "precompiled_letter",
            "pdf_sha256": hashlib.sha256(request.content).hexdigest(),
            "postage": None if request.postage is None else str(request.postage),
        }
    if isinstance(request, SmsRequest):
        kind, recipient = "sms", _phone(request.phone_number)
        values = _personalisation(request.personalisation, frozenset())
    elif isinstance(request, EmailRequest):
        kind, recipient = "email", _email(request.email_address)
        values = _personalisation(request.personalisation, frozenset())
    else:
        payload: dict[str, Any] = request.personalisation.to_payload()
        kind, recipient = "letter", "\n".join(_address(payload))
        values = _personalisation(payload, _ADDRESS_KEYS)
    return {
        "type": kind,
        "template_id": str(request.template_id),
        "recipient": recipient,
        "personalisation": values,
    }


def message_key(request: IdentityRequest) -> str:
    """The message's key: the SHA-256 (hex) of its :func:`message_identity`.

    Args:
        request: A send request model.

    Returns:
        64 hex digits, the same for every request that sends the same message.
    """
    text = json.dumps(
        message_identity(request), sort_keys=True, ensure_ascii=False, default=str
    ).encode("utf-8")
    return hashlib.sha256(text).hexdigest()


def derived_reference(prefix: str, key: str, job: int = 1) -> str:
    """The reference a journal gives a message.

    ``<prefix>-<key[:16]>``, plus ``-<job>`` after the first job.

    Args:
        prefix: The start of the reference (``bulk`` by default).
        key: The message's :func:`message_key`.
        job: The journal's job number (``--new-job`` starts the next one).

    Returns:
        The same reference for the same message in the same job, wherever it is in the file.
    """
    reference = f"{prefix}-{key[:16]}"
    return reference if job == 1 else f"{reference}-{job}"
