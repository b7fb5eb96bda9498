"""Phone numbers: every vector of server contract §7.1, plus the rules around them."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govuk_notify.validation import (
    SUPPORTED_COUNTRY_CODES,
    InvalidPhoneNumberError,
    InvalidRecipientError,
    parse_phone_number,
    validate_phone_number,
)

TOO_LONG = "Too many digits"
TOO_SHORT = "Not enough digits"
NOT_A_UK_MOBILE = "Not a UK mobile number"
UNKNOWN_CHARACTER = "Must not contain letters or symbols"
UNSUPPORTED_COUNTRY_CODE = "Not a valid country prefix"
INVALID_NUMBER = "Number is not valid \u2013 double check the phone number you entered"

# §7.1 "Valid UK mobiles": all spell 07723 456789, stored as 447723456789.
VALID_UK_MOBILES = [
    "7723456789",
    "07723 456789",
    "07723-456-789",
    "00447723456789",
    "+44 (0)7723 456 789",
    "\u200b\t\t+44 (0)7723 456 789\ufeff \r\n",
]

# §7.1 "Valid international", with the E.164 form (no '+') of each.
VALID_INTERNATIONAL = [
    ("+7 (8) (495) 123-45-67", "74951234567", 7),
    ("784951234567", "74951234567", 7),
    ("1-202-555-0104", "12025550104", 1),
    ("+0012025550104", "12025550104", 1),
    ("230 5 2512345", "23052512345", 230),
    ("+682 50 123", "68250123", 682),
    ("+43 676 111 222 333 4", "436761112223334", 43),
]

# §7.1 "Valid UK landlines (need the landline permission)".
VALID_UK_LANDLINES = [
    ("0117 496 0860", "441174960860", "fixed_line"),
    ("020 7946 0991", "442079460991", "fixed_line"),
    ("030 1234 5678", "443012345678", "uan"),
    ("0550 123 4567", "445501234567", "uan"),
    ("016064 1234", "44160641234", "fixed_line"),
]

# §7.1 invalid vectors with their messages.
INVALID = [
    ("0400 123 4567", INVALID_NUMBER),
    ("0600 123 4567", INVALID_NUMBER),
    ("0900 123 4567", INVALID_NUMBER),  # premium rate: never allowed
    ("0772345678", INVALID_NUMBER),
    ("1234567", INVALID_NUMBER),
    ("+682 1234", INVALID_NUMBER),
    ("0772345678910", TOO_LONG),
    ("+44 (0)7723 456 789 10", TOO_LONG),
    ("80100000000", TOO_LONG),
    ("07890x32109", UNKNOWN_CHARACTER),
    ("07723 456789...", UNKNOWN_CHARACTER),
    ("ALPHANUM3R1C", UNKNOWN_CHARACTER),
    ("", TOO_SHORT),  # step 1: an empty string
    ("076 12345678", INVALID_NUMBER),  # 076 is not a valid range
    ("0800 123 4567", INVALID_NUMBER),  # toll free: refused
]


def _error(number: str, **flags: bool) -> str:
    with pytest.raises(InvalidPhoneNumberError) as info:
        validate_phone_number(number, **flags)
    return str(info.value)


@pytest.mark.parametrize("number", VALID_UK_MOBILES)
def test_valid_uk_mobiles(number: str) -> None:
    assert validate_phone_number(number) == "447723456789"
    assert (
        validate_phone_number(number, allow_international=False, allow_uk_landline=False)
        == "447723456789"
    )
    parsed = parse_phone_number(number)
    assert parsed.number_type == "mobile"
    assert parsed.country_code == 44
    assert parsed.is_uk
    assert not parsed.is_uk_landline


@pytest.mark.parametrize(("number", "normalised", "country_code"), VALID_INTERNATIONAL)
def test_valid_international_numbers(number: str, normalised: str, country_code: int) -> None:
    assert validate_phone_number(number) == normalised
    parsed = parse_phone_number(number)
    assert parsed.country_code == country_code
    assert not parsed.is_uk


@pytest.mark.parametrize(("number", "normalised", "country_code"), VALID_INTERNATIONAL)
def test_international_numbers_need_the_international_permission(
    number: str, normalised: str, country_code: int
) -> None:
    assert _error(number, allow_international=False) == NOT_A_UK_MOBILE
    # the landline permission does not matter for a non-UK number
    assert validate_phone_number(number, allow_uk_landline=False) == normalised


@pytest.mark.parametrize(("number", "normalised", "number_type"), VALID_UK_LANDLINES)
def test_uk_landlines_need_the_landline_permission(
    number: str, normalised: str, number_type: str
) -> None:
    assert validate_phone_number(number) == normalised
    assert validate_phone_number(number, allow_international=False) == normalised
    assert _error(number, allow_uk_landline=False) == NOT_A_UK_MOBILE
    parsed = parse_phone_number(number)
    assert parsed.number_type == number_type
    assert parsed.is_uk_landline


@pytest.mark.parametrize(("number", "message"), INVALID)
def test_invalid_numbers_give_the_servers_message(number: str, message: str) -> None:
    assert _error(number) == message
    with pytest.raises(InvalidPhoneNumberError) as info:
        parse_phone_number(number)
    assert info.value.message == message


@pytest.mark.parametrize(
    ("number", "normalised"),
    [
        ("0+447700900100", "447700900100"),
        ("+07700900100", "447700900100"),
        ("1\u2011202\u2013555\u2014010\u22124", "12025550104"),
    ],
)
def test_the_thoroughly_normalised_fallback(number: str, normalised: str) -> None:
    """§7.1 step 5: retried without '+', without leading zeros and downgraded to ASCII."""
    assert validate_phone_number(number) == normalised


def test_the_fallback_reports_the_second_error() -> None:
    # An em space is not in the step 1 whitespace set: the first attempt fails on it, and in
    # the fallback it downgrades to '?', so the character error is the one reported.
    assert _error("07723\u2003456789") == UNKNOWN_CHARACTER


@pytest.mark.parametrize(
    "space", ["\u180e", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0", "\u202f"]
)
def test_the_step_1_whitespace_set_is_allowed(space: str) -> None:
    assert validate_phone_number(f"07723{space}456789") == "447723456789"


@pytest.mark.parametrize(
    ("number", "normalised"),
    [
        ("07700 900000", "447700900000"),
        ("07700 900123", "447700900123"),
        ("+44 7700 900999", "447700900999"),
        # the server's pattern is ^7700[0-9]: wider than OFCOM's 900xxx range
        ("07700 200000", "447700200000"),
        ("07700 512345", "447700512345"),
    ],
)
def test_drama_numbers_are_accepted_as_uk_mobiles(number: str, normalised: str) -> None:
    """07700 900xxx is invalid to libphonenumber but accepted by the server (§7.1 step 4)."""
    parsed = parse_phone_number(number)
    assert parsed.number_type == "drama"
    assert parsed.normalised == normalised
    assert parsed.is_uk
    assert not parsed.is_uk_landline
    assert (
        validate_phone_number(number, allow_international=False, allow_uk_landline=False)
        == normalised
    )


@pytest.mark.parametrize(
    ("number", "normalised"),
    [
        ("07624 123456", "447624123456"),  # Isle of Man
        ("07797 123456", "447797123456"),  # Jersey
        ("07781 123456", "447781123456"),  # Guernsey
    ],
)
def test_crown_dependencies_count_as_uk(number: str, normalised: str) -> None:
    parsed = parse_phone_number(number)
    assert parsed.number_type == "mobile"
    assert parsed.country_code == 44
    assert parsed.is_uk
    assert (
        validate_phone_number(number, allow_international=False, allow_uk_landline=False)
        == normalised
    )


def test_070_personal_numbers_need_no_landline_permission() -> None:
    parsed = parse_phone_number("070 1234 5678")
    assert parsed.number_type == "personal_number"
    assert not parsed.is_uk_landline
    assert (
        validate_phone_number("070 1234 5678", allow_international=False, allow_uk_landline=False)
        == "447012345678"
    )


@pytest.mark.parametrize("number", ["071 2345 6789", "075 1234 5678", "079 1234 5678"])
def test_uk_mobile_ranges(number: str) -> None:
    assert parse_phone_number(number).number_type == "mobile"


@pytest.mark.parametrize("number", ["01234 567890", "0121 234 5678", "029 2087 1234"])
def test_01_and_02_numbers_are_fixed_lines(number: str) -> None:
    assert parse_phone_number(number).number_type == "fixed_line"


def test_the_223_country_prefixes() -> None:
    assert len(SUPPORTED_COUNTRY_CODES) == 223
    assert {1, 7, 44, 33, 230, 682, 1242, 1809, 1829, 1849, 1876} <= SUPPORTED_COUNTRY_CODES
    assert 247 not in SUPPORTED_COUNTRY_CODES  # Ascension is not billable


def test_a_valid_number_outside_the_prefix_set_is_refused() -> None:
    # +247 4xxxx is a valid Ascension Island number to libphonenumber, but 247 is no prefix.
    assert _error("+247 41111") == UNSUPPORTED_COUNTRY_CODE
    # step 6 looks at the international permission first
    assert _error("+247 41111", allow_international=False) == NOT_A_UK_MOBILE


def test_the_error_types() -> None:
    with pytest.raises(InvalidPhoneNumberError) as info:
        validate_phone_number("07890x32109")
    error = info.value
    assert isinstance(error, InvalidRecipientError)
    assert isinstance(error, ValueError)
    assert str(error) == error.message == UNKNOWN_CHARACTER


_PHONE_ALPHABET = st.sampled_from(
    [*"0123456789+-() ", "\u2013", "\u2212", "\u00a0", "\u200b", "x", ".", "\n", "\u0661"]
)


@given(st.text())
def test_arbitrary_text_raises_only_the_phone_error(text: str) -> None:
    with contextlib.suppress(InvalidPhoneNumberError):
        validate_phone_number(text)


@given(st.text(_PHONE_ALPHABET, max_size=30), st.booleans(), st.booleans())
def test_phone_like_text_raises_only_the_phone_error(
    text: str, allow_international: bool, allow_uk_landline: bool
) -> None:
    try:
        normalised = validate_phone_number(
            text, allow_international=allow_international, allow_uk_landline=allow_uk_landline
        )
    except InvalidPhoneNumberError:
        return
    assert normalised.isdigit()
    assert parse_phone_number(text).normalised == normalised
