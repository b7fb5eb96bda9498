"""Local checks that mirror the Notify server's own validation (no I/O, no network, no pydantic).

Phone numbers, email addresses, postal addresses and template placeholders, checked step by step
as Notify's server checks them. A recipient Notify would accept is never refused, and each error
carries the server's own message. The request models call these functions; call them yourself to
check input where it arrives (a form, a spreadsheet) before building a request.

Example:
    ```python
    from govuk_notify.validation import InvalidRecipientError, validate_phone_number

    try:
        number = validate_phone_number(form["phone"])  # "447700900123"
    except InvalidRecipientError as error:
        form.add_error("phone", str(error))  # "Not enough digits", in Notify's words
    ```
"""

from __future__ import annotations

from ._errors import (
    InvalidEmailAddressError,
    InvalidPhoneNumberError,
    InvalidPostalAddressError,
    InvalidRecipientError,
)
from .email import validate_email_address
from .phone import (
    SUPPORTED_COUNTRY_CODES,
    ParsedPhoneNumber,
    parse_phone_number,
    validate_phone_number,
)
from .placeholders import (
    Placeholder,
    fill_placeholders,
    find_placeholders,
    missing_personalisation,
    normalise_key,
)
from .postal import (
    ADDRESS_KEYS,
    PostalAddress,
    address_lines_from_personalisation,
    format_postcode,
    is_a_real_uk_postcode,
    normalise_address_lines,
    validate_postal_address,
)

__all__ = [
    "ADDRESS_KEYS",
    "SUPPORTED_COUNTRY_CODES",
    "InvalidEmailAddressError",
    "InvalidPhoneNumberError",
    "InvalidPostalAddressError",
    "InvalidRecipientError",
    "ParsedPhoneNumber",
    "Placeholder",
    "PostalAddress",
    "address_lines_from_personalisation",
    "fill_placeholders",
    "find_placeholders",
    "format_postcode",
    "is_a_real_uk_postcode",
    "missing_personalisation",
    "normalise_address_lines",
    "normalise_key",
    "parse_phone_number",
    "validate_email_address",
    "validate_phone_number",
    "validate_postal_address",
]
