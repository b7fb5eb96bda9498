"""Email addresses: every example of server contract §7.2, the limits and IDNA."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govuk_notify.validation import (
    InvalidEmailAddressError,
    InvalidRecipientError,
    validate_email_address,
)

MESSAGE = "Not a valid email address"


def _refused(address: str) -> str:
    with pytest.raises(InvalidEmailAddressError) as info:
        validate_email_address(address)
    return str(info.value)


@pytest.mark.parametrize(
    "address",
    [
        "firstname.o'lastname@domain.com",
        "_______@domain.com",
        "email@domain.superlongtld",
        "japanese-info@例え.テスト",
        "email@double--hyphen.com",
    ],
)
def test_valid_examples(address: str) -> None:
    assert validate_email_address(address) == address


@pytest.mark.parametrize(
    "address",
    [
        "email@123.123.123.123",
        "email@[123.123.123.123]",
        '"quoted"@domain.com',
        "brackets(in)local@domain.com",
        "lots-of-dots@domain..gov..uk",
        "underscores-in-domain@dom_ain.com",
        "incorrect-punycode@xn---something.com",
        "local-with-\u2019-apostrophe@domain.com",
    ],
)
def test_invalid_examples(address: str) -> None:
    assert _refused(address) == MESSAGE


@pytest.mark.parametrize(
    "address",
    [
        "",
        "email",
        "email@",
        "@domain.com",
        "two@signs@domain.com",
        "email@.domain.com",  # the domain must not start with '.'
        "email@d",  # the domain is at least 2 characters
        "email@localhost",  # at least 2 labels
        "first..last@domain.com",  # no '..' anywhere
        "email@domain.123",  # numeric top-level domain
        "email@domain.c",  # a one-letter top-level domain
        "email@-domain.com",  # no leading hyphen
        "email@domain-.com",  # no trailing hyphen
        "email@dom---ain.com",  # at most two hyphens in a row
        "email@domain.com.",  # an empty last label
        "sp ace@domain.com",
        "semi;colon@domain.com",
        "comma,@domain.com",
        "pound£@domain.com",
        "accented-é@domain.com",  # the local part is ASCII only
        "email@dom ain.com",
    ],
)
def test_more_invalid_addresses(address: str) -> None:
    assert _refused(address) == MESSAGE


def test_zero_width_characters_and_surrounding_whitespace_are_removed() -> None:
    """§7.2 step 1: the address is returned (and stored) cleaned up."""
    assert validate_email_address(" \u200bemail@domain.com\u00a0\r\n") == "email@domain.com"
    assert validate_email_address("em\u200bail@dom\ufeffain.com") == "email@domain.com"
    assert validate_email_address("\temail@domain.com\u202f") == "email@domain.com"


def test_inner_whitespace_is_not_removed() -> None:
    assert _refused("email @domain.com") == MESSAGE


def test_total_length_is_at_most_320() -> None:
    domain = "@example.com"
    longest = "a" * (320 - len(domain)) + domain
    assert len(longest) == 320
    assert validate_email_address(longest) == longest
    assert _refused("a" + longest) == MESSAGE


def test_a_label_is_at_most_63_characters() -> None:
    assert validate_email_address(f"email@{'a' * 63}.com")
    assert _refused(f"email@{'a' * 64}.com") == MESSAGE


def test_the_encoded_domain_is_at_most_253_characters() -> None:
    domain = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 61])
    assert len(domain) == 253
    assert validate_email_address(f"email@{domain}")
    assert _refused(f"email@{domain}d") == MESSAGE


def test_unicode_domains_are_checked_in_their_idna_form() -> None:
    assert validate_email_address("email@bücher.de") == "email@bücher.de"
    assert validate_email_address("email@xn--bcher-kva.de") == "email@xn--bcher-kva.de"
    # 50 CJK characters encode to a 56-character label, 60 to one longer than 63
    assert validate_email_address(f"email@{'例' * 50}.com")
    assert _refused(f"email@{'例' * 60}.com") == MESSAGE
    # an IDNA top-level domain must still be a valid xn-- label
    assert validate_email_address("email@domain.xn--p1ai")


def test_the_error_type() -> None:
    with pytest.raises(InvalidEmailAddressError) as info:
        validate_email_address("nope")
    assert isinstance(info.value, InvalidRecipientError)
    assert isinstance(info.value, ValueError)
    assert str(info.value) == info.value.message == MESSAGE


@given(st.text())
def test_arbitrary_text_raises_only_the_email_error(text: str) -> None:
    with contextlib.suppress(InvalidEmailAddressError):
        validate_email_address(text)


@given(st.text(max_size=20), st.text(max_size=40))
def test_arbitrary_addresses_raise_only_the_email_error(local: str, domain: str) -> None:
    try:
        result = validate_email_address(f"{local}@{domain}")
    except InvalidEmailAddressError:
        return
    assert result.count("@") == 1


@given(st.emails())
def test_generated_addresses_raise_only_the_email_error(address: str) -> None:
    with contextlib.suppress(InvalidEmailAddressError):
        assert validate_email_address(address) == address
