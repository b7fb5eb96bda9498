"""Postal addresses: each rule of server contract §7.3, with a passing and a failing case."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govuk_notify.validation import (
    ADDRESS_KEYS,
    InvalidPostalAddressError,
    InvalidRecipientError,
    PostalAddress,
    address_lines_from_personalisation,
    format_postcode,
    is_a_real_uk_postcode,
    normalise_address_lines,
    validate_postal_address,
)

TOO_FEW_LINES = "Address must be at least 3 lines"
TOO_MANY_LINES = "Address must be no more than 7 lines"
NOT_ALPHANUMERIC = (
    "The first 2 lines of the address must both include at least one alphanumeric character"
)
INVALID_LAST_LINE = "Last line of address must be a real UK postcode or another country"
INVALID_FIRST_CHARACTER = (
    "Address lines must not start with any of the following characters: "
    "@ ( ) = [ ] \u201d \\\\ / , < >"
)
NOT_A_REAL_ADDRESS = "Must be a real address"


def _address(*lines: object, postcode: object = None) -> dict[str, object]:
    personalisation: dict[str, object] = {
        f"address_line_{number}": line for number, line in enumerate(lines, start=1)
    }
    if postcode is not None:
        personalisation["postcode"] = postcode
    return personalisation


def _refused(personalisation: Mapping[str, object]) -> str:
    with pytest.raises(InvalidPostalAddressError) as info:
        validate_postal_address(personalisation)
    return str(info.value)


# --- which keys hold the address ------------------------------------------------------------


def test_the_address_keys() -> None:
    assert ADDRESS_KEYS == (
        "address_line_1",
        "address_line_2",
        "address_line_3",
        "address_line_4",
        "address_line_5",
        "address_line_6",
        "address_line_7",
        "postcode",
    )


def test_postcode_is_the_seventh_line_without_address_line_7() -> None:
    lines = address_lines_from_personalisation(_address("A", "B", postcode="SW1A 1AA"))
    assert lines == ["A", "B", "", "", "", "", "SW1A 1AA"]


def test_address_line_7_overrides_postcode() -> None:
    personalisation = {
        "address_line_1": "A",
        "address_line_7": "SW1A 1AA",
        "postcode": "ignored",
    }
    assert address_lines_from_personalisation(personalisation) == [
        "A",
        "",
        "",
        "",
        "",
        "",
        "SW1A 1AA",
    ]
    # present but null still overrides
    with_none: dict[str, object] = {"address_line_1": "A", "address_line_7": None, "postcode": "P"}
    assert address_lines_from_personalisation(with_none)[-1] == ""


def test_values_go_through_str_value_or_empty() -> None:
    lines = address_lines_from_personalisation(
        {"address_line_1": 10, "address_line_2": None, "address_line_3": 0, "postcode": 1.5}
    )
    assert lines == ["10", "", "", "", "", "", "1.5"]


def test_keys_are_exact_lower_case() -> None:
    personalisation = {
        "Address_Line_1": "1 High Street",
        "address line 2": "Town",
        "POSTCODE": "SW1A 1AA",
    }
    assert address_lines_from_personalisation(personalisation) == [""] * 7
    assert _refused(personalisation) == TOO_FEW_LINES


def test_address_line_7_overriding_postcode_when_validating() -> None:
    address = validate_postal_address(
        {
            "address_line_1": "1 High Street",
            "address_line_2": "Town",
            "address_line_7": "sw1a 1aa",
            "postcode": "not a postcode 123",
        }
    )
    assert address.lines == ("1 High Street", "Town", "SW1A 1AA")
    with_postcode_only = _address("1 High Street", "Town", postcode="not a postcode 123")
    assert _refused(with_postcode_only) == INVALID_LAST_LINE


def test_numbers_as_line_values() -> None:
    address = validate_postal_address(_address(10, 2.5, postcode="SW1A 1AA"))
    assert address.lines == ("10", "2.5", "SW1A 1AA")


# --- normalisation --------------------------------------------------------------------------


def test_normalisation_of_whitespace() -> None:
    assert normalise_address_lines(["  1\u00a0High\u202fStreet  ", "Lon\u200bdon", "\t"]) == [
        "1 High Street",
        "London",
    ]
    assert normalise_address_lines(["a   b\t\tc"]) == ["a b c"]


def test_normalisation_of_commas_and_full_stops() -> None:
    assert normalise_address_lines(["1 High Street , ", "Flat 2 ,,", "St . Albans"]) == [
        "1 High Street",
        "Flat 2",
        "St. Albans",
    ]
    assert normalise_address_lines([" , ", ",,"]) == []


def test_values_holding_line_breaks_become_several_lines() -> None:
    assert normalise_address_lines(["1 High Street\nFlat 2", "", "Town\r\n"]) == [
        "1 High Street",
        "Flat 2",
        "Town",
    ]


# --- postcodes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "formatted"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("SW1A 1AA", "SW1A 1AA"),
        (" s w 1 a 1 a a ", "SW1A 1AA"),
        ("bf13aa", "BF1 3AA"),
        ("e1 6an", "E1 6AN"),
        ("ZE1\u00a00AA", "ZE1 0AA"),
    ],
)
def test_real_uk_postcodes_are_formatted(text: str, formatted: str) -> None:
    assert is_a_real_uk_postcode(text)
    assert format_postcode(text) == formatted


@pytest.mark.parametrize(
    "text", ["GIR0AA", "GX11 1AA", "NF1 1AA", "BFPO 1234", "SW1A 1CA", "XX1 1AA", "SW1A", ""]
)
def test_not_real_uk_postcodes(text: str) -> None:
    assert not is_a_real_uk_postcode(text)
    with pytest.raises(ValueError, match="not a real UK postcode"):
        format_postcode(text)


def test_the_postcode_is_formatted_in_the_address() -> None:
    address = validate_postal_address(_address("1 High Street", "London", postcode="sw1a1aa"))
    assert address == PostalAddress(
        lines=("1 High Street", "London", "SW1A 1AA"),
        postcode="SW1A 1AA",
        bfpo_number=None,
        may_be_international=False,
    )


# --- rule 1 and 2: line counts --------------------------------------------------------------


def test_at_least_3_lines() -> None:
    assert _refused(_address("1 High Street", postcode="SW1A 1AA")) == TOO_FEW_LINES
    assert _refused({}) == TOO_FEW_LINES
    assert validate_postal_address(_address("1 High Street", "London", postcode="SW1A 1AA"))


def test_no_more_than_7_lines() -> None:
    seven = _address("1", "2", "3", "4", "5", "6", postcode="SW1A 1AA")
    assert len(validate_postal_address(seven).lines) == 7
    eight = _address("1\n1a", "2", "3", "4", "5", "6", postcode="SW1A 1AA")
    assert _refused(eight) == TOO_MANY_LINES


def test_uk_country_lines_do_not_count() -> None:
    # 9 lines, of which the last 2 name the UK: 7 lines once they are removed.
    personalisation = _address(
        "1", "2", "3", "4", "5", "6\nSW1A 1AA\nEngland", postcode="United Kingdom"
    )
    address = validate_postal_address(personalisation)
    assert address.lines == ("1", "2", "3", "4", "5", "6", "SW1A 1AA")


# --- rule 3: the first two lines are alphanumeric -------------------------------------------


def test_first_two_lines_need_an_alphanumeric_character() -> None:
    assert _refused(_address("---", "High Street", postcode="SW1A 1AA")) == NOT_ALPHANUMERIC
    assert _refused(_address("1 High Street", "é", postcode="SW1A 1AA")) == NOT_ALPHANUMERIC
    assert validate_postal_address(_address("1 High Street", "London", "---", postcode="SW1A 1AA"))


# --- rule 5: the last line ------------------------------------------------------------------


def test_last_line_with_a_digit_must_be_a_real_postcode() -> None:
    assert _refused(_address("1 High Street", "London", postcode="SW1A 1ZZZ")) == INVALID_LAST_LINE
    assert _refused(_address("1 Rue de Rivoli", "Paris", postcode="75001")) == INVALID_LAST_LINE
    assert _refused(_address("Main St", "Gibraltar", postcode="GX11 1AA")) == INVALID_LAST_LINE


def test_a_foreign_country_as_last_line_is_left_to_the_server() -> None:
    address = validate_postal_address(_address("1 Rue de Rivoli", "75001 Paris", postcode="France"))
    assert address == PostalAddress(
        lines=("1 Rue de Rivoli", "75001 Paris", "France"),
        postcode=None,
        bfpo_number=None,
        may_be_international=True,
    )
    assert validate_postal_address(
        _address("Hauptstraße 1", "10115 Berlin", postcode="Deutschland")
    ).may_be_international


def test_a_uk_name_without_a_postcode_before_it_is_refused() -> None:
    personalisation = _address("1 High Street", "Flat 2", "London", postcode="UK")
    assert _refused(personalisation) == INVALID_LAST_LINE
    # and once "UK" is gone, two lines are too few
    assert _refused(_address("1 High Street", "London", postcode="UK")) == TOO_FEW_LINES


@pytest.mark.parametrize(
    "country",
    [
        "United Kingdom",
        "UK",
        "U.K.",
        "united-kingdom",
        "Great Britain",
        "GB",
        "England",
        "Scotland",
        "Wales",
        "Northern Ireland",
        "N. Ireland",
        "Cymru",
        "Yr Alban",
    ],
)
def test_uk_country_names_are_removed_before_the_postcode_check(country: str) -> None:
    address = validate_postal_address(_address("1 High Street", "London", "SW1A 1AA", country))
    assert address.lines == ("1 High Street", "London", "SW1A 1AA")
    assert address.postcode == "SW1A 1AA"
    assert not address.may_be_international


@pytest.mark.parametrize(
    ("island", "postcode"),
    [
        ("Jersey", "JE2 3AB"),
        ("Guernsey", "GY1 1AA"),
        ("Isle of Man", "IM1 1AA"),
        ("Alderney", "GY9 3AA"),
        ("Sark", "GY10 1SA"),
        ("Herm", "GY1 3HR"),
        ("Brecqhou", "GY10 1SA"),
        ("Jethou", "GY1 1AA"),
    ],
)
def test_uk_islands_are_the_united_kingdom(island: str, postcode: str) -> None:
    address = validate_postal_address(_address("1 Main Road", "St Anne", postcode, island))
    assert address.lines == ("1 Main Road", "St Anne", postcode)
    assert not address.may_be_international


def test_trailing_repeats_of_uk_names_are_all_removed() -> None:
    address = validate_postal_address(
        _address("1 High Street", "London", "SW1A 1AA", "England", "United Kingdom")
    )
    assert address.lines == ("1 High Street", "London", "SW1A 1AA")


def test_only_trailing_uk_names_are_removed() -> None:
    address = validate_postal_address(
        _address("1 High Street", "England", "London", "SW1A 1AA", "United Kingdom")
    )
    assert address.lines == ("1 High Street", "England", "London", "SW1A 1AA")


# --- BFPO -----------------------------------------------------------------------------------


def test_bfpo_number_goes_last() -> None:
    address = validate_postal_address(_address("Sgt J Smith", "BFPO 123", "Unit 1", "Camp 2"))
    assert address.bfpo_number == 123
    assert address.lines == ("Sgt J Smith", "Unit 1", "Camp 2", "BFPO 123")
    assert address.postcode is None


def test_bfpo_with_a_postcode() -> None:
    address = validate_postal_address(_address("Sgt J Smith", "Unit 1", "bf1 3aa", "bfpo 123"))
    assert address.lines == ("Sgt J Smith", "Unit 1", "BF1 3AA", "BFPO 123")
    assert address.postcode == "BF1 3AA"
    assert address.bfpo_number == 123


def test_bfpo_c_o_and_extra_bfpo_lines() -> None:
    address = validate_postal_address(_address("Sgt J Smith", "Unit 1", "BFPO", "BFPO c/o 45"))
    assert address.bfpo_number == 45
    assert address.lines == ("Sgt J Smith", "Unit 1", "BFPO 45")


def test_bfpo_with_a_uk_country_line() -> None:
    address = validate_postal_address(
        _address("Sgt J Smith", "Unit 1", "BFPO 123", "United Kingdom")
    )
    assert address.lines == ("Sgt J Smith", "Unit 1", "BFPO 123")


def test_bfpo_with_a_possible_country_is_left_to_the_server() -> None:
    """Rule 4 needs the server's country list: a BFPO address ending in a name passes here."""
    address = validate_postal_address(_address("Sgt J Smith", "Unit 1", "BFPO 123", "France"))
    assert address.bfpo_number == 123
    assert address.may_be_international
    assert address.lines[-1] == "BFPO 123"


def test_bfpo_line_counts() -> None:
    assert _refused(_address("Sgt J Smith", "BFPO 123")) == TOO_FEW_LINES


# --- rule 6: forbidden first characters -----------------------------------------------------


@pytest.mark.parametrize("character", list('@()=[]"\\/,<>~'))
def test_lines_must_not_start_with_a_forbidden_character(character: str) -> None:
    bad = _address("1 High Street", f"{character}London", postcode="SW1A 1AA")
    assert _refused(bad) == INVALID_FIRST_CHARACTER
    fine = _address("1 High Street", f"London{character}", postcode="SW1A 1AA")
    assert validate_postal_address(fine)


def test_the_curly_quote_of_the_message_is_not_refused() -> None:
    address = _address("1 High Street", "\u201dThe Grange\u201d", postcode="SW1A 1AA")
    assert validate_postal_address(address)


# --- rule 7: no fixed abode -----------------------------------------------------------------


@pytest.mark.parametrize(
    "line", ["NFA", "nfa", "No fixed abode", "Mr Smith, no fixed address", "NO FIXED ABODE"]
)
def test_no_fixed_abode_is_refused(line: str) -> None:
    assert _refused(_address("Mr Smith", line, postcode="SW1A 1AA")) == NOT_A_REAL_ADDRESS


def test_nfa_only_as_a_whole_line() -> None:
    assert validate_postal_address(_address("Mr Smith", "NFA House", postcode="SW1A 1AA"))


# --- the order of the checks ----------------------------------------------------------------


def test_the_checks_run_in_the_servers_order() -> None:
    # too few lines beats a forbidden first character
    assert _refused(_address("@Home", postcode="SW1A 1AA")) == TOO_FEW_LINES
    # alphanumeric first two lines beat the last line
    assert _refused(_address("...", "London", postcode="123")) == NOT_ALPHANUMERIC
    # the last line beats a forbidden first character
    assert _refused(_address("1 High Street", "(London)", postcode="123")) == INVALID_LAST_LINE
    # a forbidden first character beats no fixed abode
    assert _refused(_address("Mr Smith", "<NFA>", "NFA", postcode="SW1A 1AA")) == (
        INVALID_FIRST_CHARACTER
    )


def test_the_error_type() -> None:
    with pytest.raises(InvalidPostalAddressError) as info:
        validate_postal_address({})
    assert isinstance(info.value, InvalidRecipientError)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == info.value.message == TOO_FEW_LINES


# --- properties -----------------------------------------------------------------------------

_LINE_TEXT = st.text(
    st.sampled_from([*"ab1 ,.\t\n\r-", "\u00a0", "\u202f", "\u200b", "\u2028", "\x1c"]),
    max_size=12,
)


@given(st.lists(st.one_of(_LINE_TEXT, st.text(max_size=12)), max_size=8))
def test_normalising_twice_changes_nothing(lines: list[str]) -> None:
    once = normalise_address_lines(lines)
    assert normalise_address_lines(once) == once
    assert all(line and line == line.strip() and not line.endswith(",") for line in once)


_ZONES = re.split(
    r"\s+",
    "AB AL B BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN "
    "DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L LA "
    "LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S SA SE SG "
    "SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR WS WV YO ZE",
)
_DIGIT = st.sampled_from("0123456789")
_INWARD_LETTER = st.sampled_from("ABDEFGHJLNPQRSTUWXYZ")


@st.composite
def _postcodes(draw: st.DrawFn) -> str:
    outward = (
        draw(st.sampled_from(_ZONES))
        + draw(_DIGIT)
        + draw(st.one_of(st.just(""), _DIGIT, st.sampled_from("ABCDEFGHJKLMNPRSTUVWXY")))
    )
    compact = outward + draw(_DIGIT) + draw(_INWARD_LETTER) + draw(_INWARD_LETTER)
    spaced = "".join(draw(st.sampled_from(["", " ", "\t", "\u00a0"])) + char for char in compact)
    return "".join(c.lower() if draw(st.booleans()) else c for c in spaced)


@given(_postcodes())
def test_formatting_a_valid_postcode(text: str) -> None:
    assert is_a_real_uk_postcode(text)
    formatted = format_postcode(text)
    assert re.fullmatch(r"[A-Z0-9]{2,4} [0-9][A-Z]{2}", formatted)
    assert is_a_real_uk_postcode(formatted)
    assert format_postcode(formatted) == formatted


_KEYS = st.sampled_from([*ADDRESS_KEYS, "Address_Line_1", "other"])
_VALUES = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=False),
    _LINE_TEXT,
    st.text(max_size=15),
    st.sampled_from(["SW1A 1AA", "BFPO 12", "United Kingdom", "France", "NFA", "@x", "England"]),
)


@given(st.dictionaries(_KEYS, _VALUES, max_size=9))
def test_arbitrary_personalisation_raises_only_the_address_error(
    personalisation: dict[str, object],
) -> None:
    try:
        address = validate_postal_address(personalisation)
    except InvalidPostalAddressError:
        return
    assert 3 <= len(address.lines) <= 7
    assert address.postcode is None or address.postcode in address.lines
