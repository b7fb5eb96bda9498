"""The last lines of an address as the server's country lookup reads them, and BFPO lines.

The server knows every country name; this module knows only the United Kingdom's names, and
says which lines could name another country.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Final, Literal

from ._text import ascii_downgrade

_BFPO: Final = re.compile(r"^\s*bfpo\s*(?:c\/o)?(?:\s*(\d+))?\s*$")
_NO_FIXED_ABODE: Final = re.compile(r"no fixed (abode|address)", re.IGNORECASE)

# Names the server maps to the United Kingdom, each confirmed by its data or its tests.
_UK_NAMES: Final = (
    "United Kingdom",
    "UK",
    "GB",
    "GBR",
    "Great Britain",
    "Great Britan",
    "Grat Britain",
    "Gret Britain",
    "England",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "N Ireland",
    "North Ireland",
    "NI",
    "NIR",
    "SCT",
    "WLS",
    "Cymru",
    "Yr Alban",
    "Channel Islands",
    # UK islands
    "Alderney",
    "Brecqhou",
    "Guernsey",
    "Herm",
    "Isle of Man",
    "Jersey",
    "Jethou",
    "Sark",
    "Bailiwick of Guernsey",
    "Bailiwick of Jersey",
    "Island of Guernsey",
    "Island of Jersey",
    "Ellan Vannin",
    "GG",
    "IM",
    "JE",
)
# Very probably United Kingdom to the server too, but not confirmed: treated as UK first, with the
# server's other readings still tried before refusing.
_PROBABLY_UK_NAMES: Final = (
    "Britain",
    "United Kingdom of Great Britain and Northern Ireland",
    "Y Deyrnas Unedig",
    "Prydain Fawr",
    "Lloegr",
    "Gogledd Iwerddon",
)
_COUNTRY_KEY_DELETIONS: Final = {ord(c): None for c in " _-'\u2019,.()"}
_COUNTRY_PREFIXES: Final = ("the", "yr", "y")
_ASCII_IN_COUNTRY_NAMES: Final = frozenset("abcdefghijklmnopqrstuvwxyz/")

_Kind = Literal["digit", "uk", "probably_uk", "maybe_country", "foreign", "not_country"]


def _country_key(line: str) -> str:
    """The server's key for looking up country names."""
    key = line.replace("&", "and").replace("+", "and").translate(_COUNTRY_KEY_DELETIONS).lower()
    downgraded = ascii_downgrade(key)
    return key if "?" in downgraded else downgraded


def _keys(names: Sequence[str]) -> frozenset[str]:
    return frozenset(_country_key(name) for name in names)


_UK_KEYS: Final = _keys(_UK_NAMES)
_PROBABLY_UK_KEYS: Final = _keys(_PROBABLY_UK_NAMES)


def _is_no_fixed_abode(line: str) -> bool:
    return line.lower() == "nfa" or _NO_FIXED_ABODE.search(line) is not None


def _kind(line: str, foreign_country: Callable[[str], bool] | None = None) -> _Kind:
    """What ``line`` could be to the server's country lookup.

    With ``foreign_country`` (a full list of the other countries), the answer is exact: ``uk``,
    ``foreign`` or ``not_country``; without it, a name this module does not know may be either.
    """
    if any(char.isdigit() for char in line):
        return "digit"  # the server never reads a line with a digit as a country
    if _is_no_fixed_abode(line):
        return "not_country"
    key = _country_key(line)
    if key in _UK_KEYS:
        return "uk"
    probably_uk = key in _PROBABLY_UK_KEYS or any(
        prefix + key in _UK_KEYS or prefix + key in _PROBABLY_UK_KEYS
        for prefix in _COUNTRY_PREFIXES
    )
    if foreign_country is not None:
        if probably_uk:
            return "uk"
        return "foreign" if foreign_country(line) else "not_country"
    if probably_uk:
        return "probably_uk"
    if any(char.isalpha() for char in key) and all(
        not char.isascii() or char in _ASCII_IN_COUNTRY_NAMES for char in key
    ):
        return "maybe_country"
    return "not_country"


def _extract_bfpo(lines: list[str]) -> tuple[int | None, list[str]]:
    """The first BFPO line with a number gives the number; then every BFPO line is removed."""
    matches = [_BFPO.match(line.lower()) for line in lines]
    for match in matches:
        if match is not None and match.group(1):
            number = int(match.group(1))
            return number, [line for line, m in zip(lines, matches, strict=True) if m is None]
    return None, lines
