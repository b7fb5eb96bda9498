"""Postal addresses of templated letters, checked as the Notify server checks them.

The server knows every country name; this module knows only the United Kingdom's names. A last line
that could name another country is therefore never refused here: the server decides. Where the
server's answer hangs on a name this module does not know, every reading the server could make is
tried, and the address is refused only when all of them fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from ._country_lines import _extract_bfpo, _is_no_fixed_abode, _Kind, _kind
from ._errors import InvalidPostalAddressError
from ._postcodes import _POSTCODE, _compact_postcode, format_postcode, is_a_real_uk_postcode
from ._text import NON_BREAKING_SPACES, ZERO_WIDTH_CHARACTERS

__all__ = [
    "ADDRESS_KEYS",
    "BFPO_ADDRESS_WITH_COUNTRY",
    "FIRST_TWO_LINES_NOT_ALPHANUMERIC",
    "FORBIDDEN_FIRST_CHARACTERS",
    "INVALID_FIRST_CHARACTER",
    "INVALID_LAST_LINE",
    "INVALID_UK_POSTCODE",
    "MAX_LINES",
    "MIN_LINES",
    "NOT_A_REAL_ADDRESS",
    "TOO_FEW_LINES",
    "TOO_MANY_LINES",
    "PostalAddress",
    "address_lines_from_personalisation",
    "format_postcode",
    "is_a_real_uk_postcode",
    "normalise_address_lines",
    "validate_postal_address",
]

MIN_LINES: Final = 3
MAX_LINES: Final = 7

TOO_FEW_LINES: Final = "Address must be at least 3 lines"
TOO_MANY_LINES: Final = "Address must be no more than 7 lines"
FIRST_TWO_LINES_NOT_ALPHANUMERIC: Final = (
    "The first 2 lines of the address must both include at least one alphanumeric character"
)
BFPO_ADDRESS_WITH_COUNTRY: Final = "The last line of a BFPO address must not be a country."
INVALID_LAST_LINE: Final = "Last line of address must be a real UK postcode or another country"
INVALID_UK_POSTCODE: Final = "Must be a real UK postcode"
"""The server's wording for :data:`INVALID_LAST_LINE` when a service may not send abroad."""
INVALID_FIRST_CHARACTER: Final = (
    "Address lines must not start with any of the following characters: "
    "@ ( ) = [ ] \u201d \\\\ / , < >"
)
NOT_A_REAL_ADDRESS: Final = "Must be a real address"

FORBIDDEN_FIRST_CHARACTERS: Final = tuple('@()=[]"\\/,<>~')
"""What the server refuses at the start of a line (its message shows ``”`` and omits ``~``)."""

ADDRESS_KEYS: Final[tuple[str, ...]] = (
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "address_line_4",
    "address_line_5",
    "address_line_6",
    "address_line_7",
    "postcode",
)
_KEYS_WITH_LINE_7: Final = ADDRESS_KEYS[:7]
_KEYS_WITH_POSTCODE: Final = (*ADDRESS_KEYS[:6], "postcode")

_LINE_CLEANUP: Final = {
    **{ord(c): " " for c in NON_BREAKING_SPACES},
    **{ord(c): None for c in ZERO_WIDTH_CHARACTERS},
}
_SPACE_BEFORE_PUNCTUATION: Final = re.compile(r"[ \t]+([,.])")
_ALPHANUMERIC: Final = re.compile(r"[a-zA-Z0-9]")


@dataclass(frozen=True)
class PostalAddress:
    """A postal address that passed the checks the SDK can make locally."""

    lines: tuple[str, ...]
    """The normalised lines: a UK postcode formatted, ``BFPO <n>`` last for a BFPO address, UK
    country names removed."""
    postcode: str | None
    """The formatted UK postcode, when the address has one."""
    bfpo_number: int | None
    """The British Forces Post Office number, for BFPO addresses."""
    may_be_international: bool
    """The last line is not a postcode and could name another country: Notify decides (it needs
    the service's international letters permission, and refuses a country on a BFPO address)."""


def address_lines_from_personalisation(personalisation: Mapping[str, object]) -> list[str]:
    """The raw address lines the server reads from a letter's personalisation.

    Args:
        personalisation: A letter's personalisation. Keys are matched exactly (lower case).

    Returns:
        Seven strings: with `address_line_7` present, lines 1 to 7 (`postcode` ignored), else
        lines 1 to 6 then `postcode`; each value as `str(value or "")`.
    """
    keys = _KEYS_WITH_LINE_7 if "address_line_7" in personalisation else _KEYS_WITH_POSTCODE
    return [str(personalisation.get(key) or "") for key in keys]


def normalise_address_lines(lines: Sequence[str]) -> list[str]:
    """Clean address lines up as the server does, before checking them.

    Args:
        lines: Raw address lines.

    Returns:
        The lines split again at line breaks; in each, non-breaking spaces become spaces,
        zero-width characters go and runs of whitespace become one space; trailing spaces and
        commas are stripped and spaces before `,` and `.` removed; empty lines are dropped.
    """
    normalised = []
    for raw_line in "\n".join(lines).splitlines():
        line = " ".join(raw_line.translate(_LINE_CLEANUP).split()).rstrip(" ,")
        if line:
            normalised.append(_SPACE_BEFORE_PUNCTUATION.sub(r"\1", line))
    return normalised


@dataclass(frozen=True)
class _Reading:
    """One way the server may read the end of the address."""

    cut: int
    """How many lines at the end the server removes as country names."""
    foreign: bool
    """Whether the last line is read as a country other than the UK."""


def _uk_cuts(kinds: list[_Kind]) -> tuple[int, int, list[tuple[int, int]]]:
    """How many lines the server may cut when the last line names the UK.

    The server counts UK names backwards from the end, skipping lines that name no country and
    stopping at another country (so a UK name higher up the address counts too). Returns the most
    likely count, the count of the contiguous trailing UK names (the contract's reading), and the
    ranges of every count the server could reach when some names are unknown here.
    """
    likely = contiguous = low = high = 1
    in_trailing_run = True
    reachable: list[tuple[int, int]] = []
    for kind in reversed(kinds[:-1]):
        if kind == "foreign":
            break  # another country: the server's count stops here
        in_trailing_run = in_trailing_run and kind in ("uk", "probably_uk")
        contiguous += in_trailing_run
        if kind == "uk":
            likely, low, high = likely + 1, low + 1, high + 1
        elif kind in ("maybe_country", "probably_uk"):
            # another country (the count stops), an unknown name (skipped) or a UK name (counted)
            reachable.append((low, high))
            high += 1
            likely += kind == "probably_uk"
    reachable.append((low, high))
    return likely, contiguous, reachable


def _readings(
    lines: list[str], bfpo_lines: int, foreign_country: Callable[[str], bool] | None = None
) -> Iterator[_Reading]:
    """The server's possible readings of ``lines``, the most likely first.

    Only the first reading and those that can end with 3 to 7 lines are given: any other fails the
    line count, so cannot change the answer. With ``foreign_country`` every line's kind is known,
    so there is exactly one reading: the server's.
    """
    kinds = [_kind(line, foreign_country) for line in lines]
    last = kinds[-1]
    count = len(lines) + bfpo_lines

    def as_uk() -> Iterator[_Reading]:
        likely, contiguous, reachable = _uk_cuts(kinds)
        yield _Reading(likely, foreign=False)
        if foreign_country is not None:
            return
        if MIN_LINES <= count - contiguous <= MAX_LINES:
            yield _Reading(contiguous, foreign=False)
        for cut in range(max(1, count - MAX_LINES), min(len(lines), count - MIN_LINES) + 1):
            if any(low <= cut <= high for low, high in reachable):
                yield _Reading(cut, foreign=False)

    if last in ("digit", "not_country"):
        yield _Reading(0, foreign=False)
    elif last == "foreign":
        yield _Reading(1, foreign=True)
    elif last == "uk":
        yield from as_uk()
    elif last == "probably_uk":
        yield from as_uk()
        yield _Reading(1, foreign=True)
        yield _Reading(0, foreign=False)
    else:
        yield _Reading(1, foreign=True)
        yield _Reading(0, foreign=False)
        yield from as_uk()


def _postcode_or_none(line: str) -> str | None:
    compact = _compact_postcode(line)
    if _POSTCODE.fullmatch(compact) is None:
        return None
    return f"{compact[:-3]} {compact[-3:]}"


def _check(
    lines: list[str], reading: _Reading, bfpo_number: int | None
) -> tuple[str | None, PostalAddress]:
    """The server's checks, in its order, on one reading: the first error (if any), the address."""
    kept = lines[: len(lines) - reading.cut]
    country = lines[-1] if reading.foreign else None
    international = country is not None
    is_bfpo = bfpo_number is not None
    postcode = None if international or not kept else _postcode_or_none(kept[-1])

    body = [*kept[:-1], postcode] if postcode is not None else list(kept)
    tail = [f"BFPO {bfpo_number}"] if is_bfpo else []
    # A foreign country's canonical name replaces the last line on the server: it never starts
    # with a forbidden character nor says "no fixed abode", so only `checked` lines are scanned.
    checked = body + tail
    final = [*checked, country] if country is not None else checked

    address = PostalAddress(
        lines=tuple(final),
        postcode=postcode,
        bfpo_number=bfpo_number,
        may_be_international=international,
    )
    if len(final) < MIN_LINES:
        return TOO_FEW_LINES, address
    if len(final) > MAX_LINES:
        return TOO_MANY_LINES, address
    if not all(_ALPHANUMERIC.search(line) for line in final[:2]):
        return FIRST_TWO_LINES_NOT_ALPHANUMERIC, address
    if is_bfpo and international:
        return BFPO_ADDRESS_WITH_COUNTRY, address
    if not (international or postcode is not None or is_bfpo):
        return INVALID_LAST_LINE, address
    if any(line.startswith(FORBIDDEN_FIRST_CHARACTERS) for line in checked):
        return INVALID_FIRST_CHARACTER, address
    if any(_is_no_fixed_abode(line) for line in checked):
        return NOT_A_REAL_ADDRESS, address
    return None, address


def validate_postal_address(
    personalisation: Mapping[str, object],
    *,
    foreign_country: Callable[[str], bool] | None = None,
) -> PostalAddress:
    """Check the address in a letter's personalisation as the server does.

    The lines are read (`address_lines_from_personalisation`) and cleaned up
    (`normalise_address_lines`), then checked in the server's order: 3 to 7 lines, letters or
    digits in the first two lines, no country after a BFPO address, the last line (a UK
    postcode, BFPO or a country), forbidden first characters, "no fixed abode". Only what the
    server would refuse is refused. This module does not know the world's country names, so a
    last line that could be another country is left to Notify (`may_be_international`), and
    every reading the server could make of a name it does not know is tried. A caller that knows
    every country (the sandbox, which plays the server) passes `foreign_country`: the address is
    then read exactly as the server reads it, with BFPO and "no fixed abode" lines in any
    position.

    Args:
        personalisation: A letter's personalisation: `address_line_1` to `address_line_7`
            and the legacy `postcode`; other keys are ignored.
        foreign_country: Whether a line names a country other than the United Kingdom, for a
            caller that knows every country name.

    Returns:
        The address as Notify would print it, with its postcode or BFPO number.

    Raises:
        InvalidPostalAddressError: With the server's message, such as `Address must be at
            least 3 lines` or `Last line of address must be a real UK postcode or another
            country`.

    Example:
        ```python
        address = validate_postal_address(
            {"address_line_1": "A Person", "address_line_2": "1 High St", "postcode": "sw1a1aa"}
        )
        address.postcode  # 'SW1A 1AA'
        ```
    """
    lines = normalise_address_lines(address_lines_from_personalisation(personalisation))
    bfpo_number, lines = _extract_bfpo(lines)
    if not lines:
        raise InvalidPostalAddressError(TOO_FEW_LINES)

    first_error: str | None = None
    seen: set[_Reading] = set()
    for reading in _readings(lines, 0 if bfpo_number is None else 1, foreign_country):
        if reading in seen:
            continue
        seen.add(reading)
        error, address = _check(lines, reading, bfpo_number)
        if error is None:
            if _kind(lines[-1], foreign_country) == "maybe_country" and not (
                address.may_be_international
            ):
                # The server may still read the last line as a country and decide otherwise.
                address = PostalAddress(
                    lines=address.lines,
                    postcode=address.postcode,
                    bfpo_number=address.bfpo_number,
                    may_be_international=True,
                )
            return address
        if first_error is None:
            first_error = error
    raise InvalidPostalAddressError(first_error or TOO_FEW_LINES)
