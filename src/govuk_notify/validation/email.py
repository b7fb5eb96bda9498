"""Email addresses, checked as the Notify server checks them."""

from __future__ import annotations

import re
import string
from typing import Final

from ._errors import InvalidEmailAddressError
from ._text import remove_obscure_whitespace

__all__ = [
    "INVALID_EMAIL_ADDRESS",
    "MAX_DOMAIN_LENGTH",
    "MAX_EMAIL_LENGTH",
    "MAX_LABEL_LENGTH",
    "validate_email_address",
]

INVALID_EMAIL_ADDRESS: Final = "Not a valid email address"
MAX_EMAIL_LENGTH: Final = 320
MAX_DOMAIN_LENGTH: Final = 253
MAX_LABEL_LENGTH: Final = 63

# An ASCII local part from a fixed set, one '@', a domain of 2+ characters not starting with '.'.
_ADDRESS: Final = re.compile(r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~\-]+@([^.@][^@\s]+)$")
_LABEL: Final = re.compile(r"^(xn|[a-z0-9]+)(-?-[a-z0-9]+)*$", re.IGNORECASE)
_TOP_LEVEL_LABEL: Final = re.compile(r"^([a-z]{2,63}|xn--([a-z0-9]+-)*[a-z0-9]+)$", re.IGNORECASE)


def validate_email_address(address: str) -> str:
    """Check an email address as the server does, and return it as Notify stores it.

    Zero-width characters and non-breaking spaces are removed and surrounding whitespace
    stripped first. Then: only the characters Notify allows before the `@`, one `@`, no `..`, at
    most 320 characters, a domain of at most 253 characters in labels of at most 63 (unicode
    domains are converted with IDNA, as the server does), and a real top-level domain.

    Args:
        address: The address as typed.

    Returns:
        The cleaned address (not lower-cased: Notify keeps the case).

    Raises:
        InvalidEmailAddressError: `Not a valid email address`, whatever the reason (the server
            gives no more detail).

    Example:
        ```python
        validate_email_address(" amala@example.gov.uk ")  # 'amala@example.gov.uk'
        validate_email_address("amala@localhost")  # raises: Not a valid email address
        ```
    """
    address = remove_obscure_whitespace(address).strip(string.whitespace)
    match = _ADDRESS.match(address)
    if match is None or len(address) > MAX_EMAIL_LENGTH or ".." in address:
        raise InvalidEmailAddressError(INVALID_EMAIL_ADDRESS)
    try:
        # Python's own codec (IDNA 2003), as the server uses: unicode domains become xn-- labels.
        domain = match.group(1).encode("idna").decode("ascii")
    except UnicodeError:
        raise InvalidEmailAddressError(INVALID_EMAIL_ADDRESS) from None
    labels = domain.split(".")
    if (
        len(domain) > MAX_DOMAIN_LENGTH
        or len(labels) < 2
        or not all(
            label and len(label) <= MAX_LABEL_LENGTH and _LABEL.match(label) for label in labels
        )
        or not _TOP_LEVEL_LABEL.match(labels[-1])
    ):
        raise InvalidEmailAddressError(INVALID_EMAIL_ADDRESS)
    return address
