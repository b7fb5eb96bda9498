"""The short cut for plainly written UK mobiles gives the full parse's answer, or steps aside.

``_uk_mobile`` answers from libphonenumber's GB patterns without a full parse. Here both paths
check every four-digit ``07`` prefix, in every shape the short cut takes, and the short cut must
either agree with the full path or return None.
"""

from __future__ import annotations

import random

import pytest

from govuk_notify.validation import InvalidPhoneNumberError, parse_phone_number
from govuk_notify.validation.phone import ParsedPhoneNumber, _parse, _uk_mobile

SHAPES = ("0{}{}", "{}{}", "44{}{}", "+44{}{}", "0044{}{}", "0{} {}", "+44 {} {}", " 0{}  {} ")


def _full_path(number: str) -> ParsedPhoneNumber | str:
    """What the full parse says: the parsed number, or the error message."""
    try:
        parsed, type_name = _parse(number)
    except InvalidPhoneNumberError as err:
        return str(err)
    national = str(parsed.national_number)
    return ParsedPhoneNumber(
        normalised=f"{parsed.country_code}{national}",
        country_code=parsed.country_code or 0,
        number_type=type_name,
    )


def test_the_short_cut_agrees_with_the_full_parse_on_every_07_prefix() -> None:
    chooser = random.Random(20261201)
    taken = stepped_aside = 0
    for prefix in range(7000, 8000):
        for suffix in (0, 999_999, chooser.randrange(1_000_000)):
            national = f"{prefix}{suffix:06d}"
            for shape in SHAPES:
                number = shape.format(national[:4], national[4:])
                fast = _uk_mobile(number)
                if fast is None:
                    stepped_aside += 1
                    continue
                taken += 1
                assert fast == _full_path(number), number
    # Most 07 numbers are mobiles; pagers, personal numbers and unallocated ranges are not.
    assert taken > 10_000
    assert stepped_aside > 1_000


@pytest.mark.parametrize(
    ("number", "number_type"),
    [
        ("07700 900123", "drama"),  # OFCOM's numbers for TV: libphonenumber calls them invalid
        ("07624 123456", "mobile"),  # the Isle of Man: a +44 mobile, not GB's pattern
        ("07031 123456", "personal_number"),
        ("+447700900123", "drama"),
    ],
)
def test_numbers_outside_gbs_mobile_pattern_take_the_full_path(
    number: str, number_type: str
) -> None:
    assert _uk_mobile(number) is None
    assert parse_phone_number(number).number_type == number_type


@pytest.mark.parametrize(
    "number", ["07123 45678", "071234567890", "07123\u00a0456789", "O7123456789"]
)
def test_other_shapes_take_the_full_path(number: str) -> None:
    assert _uk_mobile(number) is None
