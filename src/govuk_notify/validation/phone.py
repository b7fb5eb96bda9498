"""Phone numbers, checked as the Notify server checks them.

The server parses with Google's libphonenumber (the ``phonenumbers`` package) and adds its own
rules: a strict character check, a retry as an international number, a list of allowed number
types, OFCOM's drama numbers, a forgiving second attempt on a cleaned-up string, and the set of
country codes it can bill.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberType, ValidationResult

from ._country_codes import SUPPORTED_COUNTRY_CODES
from ._errors import InvalidPhoneNumberError
from ._text import ALL_WHITESPACE, ascii_downgrade

__all__ = [
    "INVALID_NUMBER",
    "NOT_A_UK_MOBILE",
    "SUPPORTED_COUNTRY_CODES",
    "TOO_LONG",
    "TOO_SHORT",
    "UNKNOWN_CHARACTER",
    "UNSUPPORTED_COUNTRY_CODE",
    "ParsedPhoneNumber",
    "parse_phone_number",
    "validate_phone_number",
]

TOO_LONG: Final = "Too many digits"
TOO_SHORT: Final = "Not enough digits"
NOT_A_UK_MOBILE: Final = "Not a UK mobile number"
UNKNOWN_CHARACTER: Final = "Must not contain letters or symbols"
UNSUPPORTED_COUNTRY_CODE: Final = "Not a valid country prefix"
INVALID_NUMBER: Final = "Number is not valid \u2013 double check the phone number you entered"

_UK_COUNTRY_CODE: Final = 44

_ALLOWED_CHARACTERS: Final = frozenset("0123456789()-+" + ALL_WHITESPACE)

_TYPE_NAMES: Final[dict[int, str]] = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number",
}
"""The number types the server accepts (premium rate, toll free, shared cost, VoIP, pager: no)."""

_DRAMA: Final = "drama"
_LANDLINE_TYPES: Final = frozenset({"fixed_line", "fixed_line_or_mobile", "uan"})

# OFCOM reserves 07700 900000-900999 for TV and film. The server's test is looser than that: any
# national number starting 7700 and a digit, whatever libphonenumber thinks of it.
_DRAMA_NATIONAL_NUMBER: Final = re.compile(r"7700[0-9]")

# The shapes most numbers in a batch have: a UK mobile as 07..., 447..., +447..., 00447... or 7...,
# with or without spaces. _uk_mobile() answers for these without a full parse (see there).
_UK_MOBILE_SHAPE: Final = re.compile(r"(?:0|44|\+44|0044)?(7[0-9]{9})")

_POSSIBLE_NUMBER_ERRORS: Final[dict[int, str]] = {
    ValidationResult.TOO_LONG: TOO_LONG,
    ValidationResult.TOO_SHORT: TOO_SHORT,
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: TOO_SHORT,
    ValidationResult.INVALID_COUNTRY_CODE: UNSUPPORTED_COUNTRY_CODE,
}


@dataclass(frozen=True)
class ParsedPhoneNumber:
    """A phone number the server would accept in a request, with what it found out about it."""

    normalised: str
    """E.164 without the ``+``, e.g. ``447700900123`` (what Notify stores as ``normalised_to``)."""
    country_code: int
    """The calling code, e.g. ``44`` (Jersey, Guernsey and the Isle of Man are ``44`` too)."""
    number_type: str
    """``mobile``, ``fixed_line``, ``fixed_line_or_mobile``, ``uan``, ``personal_number`` or
    ``drama`` (OFCOM's numbers for TV and film, which libphonenumber calls invalid)."""

    @property
    def is_uk(self) -> bool:
        """True for +44 numbers, crown dependencies included."""
        return self.country_code == _UK_COUNTRY_CODE

    @property
    def is_uk_landline(self) -> bool:
        """True for +44 fixed lines, fixed-line-or-mobile and UAN numbers.

        A service needs Notify's landline permission to send to these.
        """
        return self.is_uk and self.number_type in _LANDLINE_TYPES


def _forced_international(number: str) -> PhoneNumber | None:
    """Step 3's retry: the same digits read as an international number, if that is possible."""
    try:
        candidate = phonenumbers.parse("+" + number)
    except NumberParseException:
        return None
    return candidate if phonenumbers.is_possible_number(candidate) else None


def _parse_once(number: str) -> tuple[PhoneNumber, str]:
    """Steps 1 to 4 on one string: the parsed number and its type name."""
    if not _ALLOWED_CHARACTERS.issuperset(number):
        raise InvalidPhoneNumberError(UNKNOWN_CHARACTER)
    if number == "":
        raise InvalidPhoneNumberError(TOO_SHORT)
    try:
        parsed = phonenumbers.parse(number, "GB")
    except NumberParseException:
        raise InvalidPhoneNumberError(INVALID_NUMBER) from None

    reason = phonenumbers.is_possible_number_with_reason(parsed)
    if reason != ValidationResult.IS_POSSIBLE:
        forced = _forced_international(number)
        if forced is None:
            raise InvalidPhoneNumberError(_POSSIBLE_NUMBER_ERRORS.get(reason, INVALID_NUMBER))
        parsed = forced

    # number_type() runs the same region and pattern checks as is_valid_number(): a number it
    # gives a type other than UNKNOWN is a valid number, so the second check is not repeated.
    type_name = _TYPE_NAMES.get(phonenumbers.number_type(parsed))
    if type_name is not None:
        return parsed, type_name
    if _DRAMA_NATIONAL_NUMBER.match(str(parsed.national_number)):
        return parsed, _DRAMA
    raise InvalidPhoneNumberError(INVALID_NUMBER)


def _thoroughly_normalise(number: str) -> str:
    """Step 5's clean-up: no ``+``, no leading zeros, then downgraded to ASCII."""
    return ascii_downgrade(number.replace("+", "").lstrip("0"))


def _parse(number: str) -> tuple[PhoneNumber, str]:
    try:
        return _parse_once(number)
    except InvalidPhoneNumberError:
        # The second attempt's error, if any, is the one the server reports.
        return _parse_once(_thoroughly_normalise(number))


def validate_phone_number(
    number: str, *, allow_international: bool = True, allow_uk_landline: bool = True
) -> str:
    """Check a phone number as the server does, and return it as Notify stores it.

    The steps are the server's: only digits, spaces, `(`, `)`, `-` and `+`; parsed as a UK
    number, then as an international one; mobile, landline, UAN and personal numbers only (never
    premium rate, toll free, shared cost, VoIP or pager); OFCOM's drama numbers
    (`07700 900xxx`) accepted; a second attempt on a cleaned-up number; and one of the country
    codes Notify can send to.

    Args:
        number: The number in any usual format: `07700 900123`, `+44 (0)7700-900123`,
            `447700900123`, `+1 202 555 0123`...
        allow_international: False to refuse numbers outside +44, as Notify does for a service
            without the international permission.
        allow_uk_landline: False to refuse +44 landlines, as Notify does for a service without
            the landline permission.

    Returns:
        The number in E.164 form without the `+`, such as `447700900123`.

    Raises:
        InvalidPhoneNumberError: With the server's message: `Must not contain letters or
            symbols`, `Not enough digits`, `Too many digits`, `Not a valid country prefix`,
            `Number is not valid – double check the phone number you entered`, or (when a
            permission is off) `Not a UK mobile number`.

    Example:
        ```python
        validate_phone_number("07700 900123")  # '447700900123'
        validate_phone_number("+1 202 555 0123", allow_international=False)  # raises
        ```
    """
    return _validate(number, allow_international, allow_uk_landline).normalised


def parse_phone_number(number: str) -> ParsedPhoneNumber:
    """Check a phone number as a request's schema does, and say what kind of number it is.

    The same checks as `validate_phone_number`, with international numbers and UK landlines
    allowed (whether your service may send to them is Notify's to check).

    Args:
        number: The number in any usual format.

    Returns:
        The normalised number, its country code and its type.

    Raises:
        InvalidPhoneNumberError: With the server's message (see `validate_phone_number`).

    Example:
        ```python
        parsed = parse_phone_number("+44 20 7946 0000")
        parsed.normalised, parsed.is_uk_landline  # ('442079460000', True)
        ```
    """
    return _validate(number, True, True)


@functools.cache
def _gb_type_patterns() -> tuple[re.Pattern[str], ...]:
    """GB's mobile pattern, then the patterns of every other number type, from libphonenumber."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("GB")
    if metadata is None or metadata.mobile is None or not metadata.mobile.national_number_pattern:
        return ()  # no short cut: every number takes the full path
    others = (
        metadata.fixed_line,
        metadata.premium_rate,
        metadata.toll_free,
        metadata.shared_cost,
        metadata.voip,
        metadata.personal_number,
        metadata.pager,
        metadata.uan,
        metadata.voicemail,
    )
    patterns: list[str | None] = [metadata.mobile.national_number_pattern]
    patterns += [desc.national_number_pattern for desc in others if desc is not None]
    return tuple(re.compile(p) for p in patterns if p)


def _uk_mobile(number: str) -> ParsedPhoneNumber | None:
    """The answer for a plainly written UK mobile number, or None to take the full path.

    A number of one of the usual shapes whose ten national digits match GB's mobile pattern, and
    no other type's, is one libphonenumber calls a GB mobile: the full path would find the same
    (``tests/test_phone_fast_path.py`` compares the two over every ``07`` prefix). This skips
    about four fifths of a send's validation; the patterns are libphonenumber's own.
    """
    found = _UK_MOBILE_SHAPE.fullmatch(number.replace(" ", ""))
    if found is None:
        return None
    national = found.group(1)
    patterns = _gb_type_patterns()
    if not patterns:
        return None
    mobile, *others = patterns
    if mobile.fullmatch(national) is None:
        return None
    for pattern in others:
        if pattern.fullmatch(national) is not None:
            return None
    return ParsedPhoneNumber(
        normalised="44" + national, country_code=_UK_COUNTRY_CODE, number_type="mobile"
    )


def _validate(number: str, allow_international: bool, allow_uk_landline: bool) -> ParsedPhoneNumber:
    fast = _uk_mobile(number)
    if fast is not None:
        return fast
    parsed, type_name = _parse(number)
    country_code = parsed.country_code or 0
    if not allow_international and country_code != _UK_COUNTRY_CODE:
        raise InvalidPhoneNumberError(NOT_A_UK_MOBILE)
    if not allow_uk_landline and country_code == _UK_COUNTRY_CODE and type_name in _LANDLINE_TYPES:
        raise InvalidPhoneNumberError(NOT_A_UK_MOBILE)
    if country_code not in SUPPORTED_COUNTRY_CODES:
        raise InvalidPhoneNumberError(UNSUPPORTED_COUNTRY_CODE)
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return ParsedPhoneNumber(
        normalised=e164.removeprefix("+"), country_code=country_code, number_type=type_name
    )
