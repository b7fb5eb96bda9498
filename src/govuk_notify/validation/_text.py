"""Character sets and text clean-up shared by the recipient checks, as the server defines them."""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Mapping

__all__ = [
    "ALL_WHITESPACE",
    "NON_BREAKING_SPACES",
    "ZERO_WIDTH_CHARACTERS",
    "ascii_downgrade",
    "remove_obscure_whitespace",
]

ZERO_WIDTH_CHARACTERS = "\u180e\u200b\u200c\u200d\u2060\ufeff\u2028\u2029"
"""Deleted outright wherever the server cleans text (U+2028/U+2029 included)."""

NON_BREAKING_SPACES = "\u00a0\u202f"
"""Turned into a plain space inside address lines, deleted from email addresses."""

ALL_WHITESPACE = string.whitespace + ZERO_WIDTH_CHARACTERS + NON_BREAKING_SPACES
"""What the server calls whitespace in phone numbers and postcodes."""

_OBSCURE_DELETIONS = {ord(c): None for c in ZERO_WIDTH_CHARACTERS + NON_BREAKING_SPACES}

_PRINTABLE_ASCII = frozenset(chr(code) for code in range(32, 127))

# The server's ASCII downgrade table (SanitiseASCII): dashes, quotes, zero-width and odd spaces.
_ASCII_REPLACEMENTS: Mapping[str, str] = {
    "\u2011": "-",  # non-breaking hyphen
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2212": "-",  # minus sign
    "\u2026": "...",  # horizontal ellipsis
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201a": "'",
    "\u201e": '"',
    "\u180e": "",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u2028": "",
    "\u2029": "",
    "\u00a0": " ",
    "\u202f": " ",
    "\t": " ",
    "\u0141": "L",
    "\u0142": "l",
}


def remove_obscure_whitespace(text: str) -> str:
    """Delete the zero-width characters and the non-breaking spaces."""
    return text.translate(_OBSCURE_DELETIONS)


def _downgrade_character(char: str) -> str:
    decomposition = unicodedata.decomposition(char)
    if decomposition and "<" not in decomposition:
        # A letter with a combining mark, such as 'á' = 'a' + U+0301: keep the base if it is ASCII.
        first = decomposition.split()[0]
        if len(first) == 4:
            base = chr(int(first, 16))
            if base in _PRINTABLE_ASCII:
                return base
        return "?"
    return _ASCII_REPLACEMENTS.get(char, "?")


def ascii_downgrade(text: str) -> str:
    """Printable ASCII as is, known look-alikes downgraded, anything else as ``?``."""
    if text.isascii() and all(char in _PRINTABLE_ASCII for char in text):
        return text
    return "".join(
        char if char in _PRINTABLE_ASCII else _downgrade_character(char) for char in text
    )
