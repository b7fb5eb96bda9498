"""Local checks that mirror the Notify server's own validation (no I/O, no network).

Phone numbers (§7.1), email addresses (§7.2), postal addresses (§7.3) and template placeholders
(§8) of the server contract. Each error carries the server's own message.
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
