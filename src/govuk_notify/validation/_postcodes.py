"""UK postcodes as the Notify server reads them: the pattern, the check and the format."""

from __future__ import annotations

import re
from typing import Final

from ._text import ALL_WHITESPACE

_POSTCODE_ZONES: Final = (
    "AB|AL|B|BA|BB|BD|BF|BH|BL|BN|BR|BS|BT|BX|CA|CB|CF|CH|CM|CO|CR|CT|CV|CW|DA|DD|DE|DG|DH|DL|DN"
    "|DT|DY|E|EC|EH|EN|EX|FK|FY|G|GL|GU|GY|HA|HD|HG|HP|HR|HS|HU|HX|IG|IM|IP|IV|JE|KA|KT|KW|KY|L"
    "|GIR|LA|LD|LE|LL|LN|LS|LU|M|ME|MK|ML|N|NE|NG|NN|NP|NR|NW|OL|OX|PA|PE|PH|PL|PO|PR|RG|RH|RM|S"
    "|SA|SE|SG|SK|SL|SM|SN|SO|SP|SR|SS|ST|SW|SY|TA|TD|TF|TN|TQ|TR|TS|TW|UB|W|WA|WC|WD|WF|WN|WR|WS"
    "|WV|YO|ZE"
)
_POSTCODE: Final = re.compile(rf"({_POSTCODE_ZONES})[0-9][0-9A-Z]?[0-9][A-BD-HJLNP-UW-Z]{{2}}")
_REMOVE_ALL_WHITESPACE: Final = {ord(c): None for c in ALL_WHITESPACE}


def _compact_postcode(text: str) -> str:
    return text.translate(_REMOVE_ALL_WHITESPACE).upper()


def is_a_real_uk_postcode(text: str) -> bool:
    """Whether a line is a real UK postcode, by the server's pattern.

    Args:
        text: A line; whitespace is removed and letters upper-cased before matching.

    Returns:
        True for a postcode such as `SW1A 1AA`, `sw1a1aa` or `GIR 0AA`.
    """
    return _POSTCODE.fullmatch(_compact_postcode(text)) is not None


def format_postcode(text: str) -> str:
    """Format a UK postcode as Notify prints it.

    Args:
        text: A postcode in any case and spacing.

    Returns:
        The postcode upper-cased with one space before the last three characters:
        `'sw1a1aa'` gives `'SW1A 1AA'`.

    Raises:
        ValueError: `text` is not a real UK postcode.
    """
    compact = _compact_postcode(text)
    if _POSTCODE.fullmatch(compact) is None:
        raise ValueError(f"{text!r} is not a real UK postcode")
    return f"{compact[:-3]} {compact[-3:]}"
