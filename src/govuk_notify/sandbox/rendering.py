"""How the sandbox renders messages (server contract §2 and §8.4).

Placeholders are filled by `govuk_notify.validation.placeholders`, the same rules the SDK
checks locally. This module adds what happens around them on the server:

* text messages: GSM sanitisation (non-GSM characters downgraded, the rest become ``?``),
  whitespace rules, and the fragment count used for billing;
* subjects: "nice typography" (smart quotes, en dashes) and collapsed whitespace;
* the HTML body of an email, for previews (escaped values, a small markdown converter and
  autolinked URLs, styled like Notify's emails);
* ``sanitise_content_for`` (§9).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, Final

from ..validation._text import ZERO_WIDTH_CHARACTERS
from ..validation.placeholders import fill_placeholders, normalise_key

__all__ = [
    "SMS_CHAR_COUNT_LIMIT",
    "ContentSanitisationError",
    "email_body",
    "email_html",
    "email_subject",
    "gsm_sanitise",
    "letter_body",
    "letter_subject",
    "sanitise_content_for",
    "sanitise_value",
    "smart_typography",
    "sms_body",
    "sms_fragment_count",
]

SMS_CHAR_COUNT_LIMIT: Final = 918

_GSM_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED: Final = frozenset("^{}\\[~]|€")
_WELSH_DIACRITICS: Final = frozenset("àÀâÂäÄèÈéÉêÊëËìÌíÍîÎïÏòÒóÓôÔöÖùÙúÚûÛüÜŵŴŷŶýÝÿŸẁẀẃẂẅẄỳỲ")
_WELSH_NON_GSM: Final = _WELSH_DIACRITICS - _GSM_BASIC
_SMS_ALLOWED: Final = _GSM_BASIC | _GSM_EXTENDED | _WELSH_NON_GSM

_SMS_REPLACEMENTS: Final[Mapping[str, str]] = {
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u00a0": " ",
    "\u202f": " ",
    "\u2002": " ",
    "\u2003": " ",
    "\u2009": " ",
    "\t": " ",
    **dict.fromkeys(ZERO_WIDTH_CHARACTERS, ""),
}


def _downgrade(char: str) -> str:
    if char in _SMS_ALLOWED:
        return char
    replacement = _SMS_REPLACEMENTS.get(char)
    if replacement is not None:
        return replacement
    decomposed = "".join(
        c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
    )
    if decomposed and all(c in _SMS_ALLOWED for c in decomposed):
        return decomposed
    return "?"


def gsm_sanitise(text: str) -> str:
    """Downgrade what a text message cannot carry.

    Accents are stripped, smart quotes and dashes made plain, ``…`` becomes ``...``, zero-width
    characters are deleted and anything else outside the GSM alphabet becomes ``?``.

    Args:
        text: The text.

    Returns:
        The text as it can be sent.
    """
    return "".join(_downgrade(char) for char in text)


_SPACE_BEFORE_PUNCTUATION: Final = re.compile(r"[ \t]+([,.])")
_MANY_NEWLINES: Final = re.compile(r"\n{3,}")


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def sms_body(template_body: str, personalisation: Mapping[str, Any] | None) -> str:
    """The text as sent: placeholders filled (lists as prose), GSM-sanitised, whitespace tidied."""
    filled = fill_placeholders(template_body, personalisation, lists_as="prose")
    text = gsm_sanitise(_normalise_newlines(filled))
    text = _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


def sms_fragment_count(text: str) -> int:
    """How many billable fragments a text message is.

    GSM text fits 160 characters in one (extended characters count twice), else 153 in each;
    Welsh accented characters outside GSM make it 70 in one, then 67 in each.

    Args:
        text: The text as sent.

    Returns:
        The number of fragments.
    """
    if any(char in _WELSH_NON_GSM for char in text):
        length = len(text)
        return 1 if length <= 70 else math.ceil(length / 67)
    length = sum(2 if char in _GSM_EXTENDED else 1 for char in text)
    return 1 if length <= 160 else math.ceil(length / 153)


# --- subjects -----------------------------------------------------------------------------------

_OPENING_CONTEXT: Final = frozenset(" \t\n([{<\u2018\u201c-\u2013\u2014")


def smart_typography(text: str) -> str:
    """Smart quotes (``'`` → ‘ ’, ``"`` → “ ”) and spaced hyphens to en dashes."""
    out: list[str] = []
    previous = ""
    for char in text:
        if char == '"':
            out.append("\u201c" if previous == "" or previous in _OPENING_CONTEXT else "\u201d")
        elif char == "'":
            out.append("\u2018" if previous == "" or previous in _OPENING_CONTEXT else "\u2019")
        else:
            out.append(char)
        previous = char
    return re.sub(r"(?<=\s)-{1,2}(?=\s)", "\u2013", "".join(out))


def _collapse_whitespace(text: str) -> str:
    return " ".join(text.split())


def email_subject(template_subject: str, personalisation: Mapping[str, Any] | None) -> str:
    """An email's subject as sent: placeholders filled, smart typography, whitespace collapsed.

    Args:
        template_subject: The template's subject, with ``((placeholders))``.
        personalisation: The placeholders' values; lists are written as prose.

    Returns:
        The subject.
    """
    filled = fill_placeholders(template_subject, personalisation, lists_as="prose")
    return _collapse_whitespace(smart_typography(filled))


def email_body(template_body: str, personalisation: Mapping[str, Any] | None) -> str:
    """An email's body as sent (Markdown): placeholders filled, surrounding whitespace stripped.

    Args:
        template_body: The template's body, with ``((placeholders))``.
        personalisation: The placeholders' values; lists are written as Markdown lists.

    Returns:
        The body.
    """
    return fill_placeholders(template_body, personalisation, lists_as="markdown").strip()


def letter_subject(template_subject: str, personalisation: Mapping[str, Any] | None) -> str:
    """A letter's heading as sent: HTML-escaped, smart typography, whitespace collapsed.

    Args:
        template_subject: The template's subject, with ``((placeholders))``.
        personalisation: The placeholders' values; lists are written as prose.

    Returns:
        The heading.
    """
    filled = fill_placeholders(template_subject, personalisation, lists_as="prose")
    return _collapse_whitespace(smart_typography(html.escape(filled, quote=False)))


def letter_body(template_body: str, personalisation: Mapping[str, Any] | None) -> str:
    """A letter's body as sent (Markdown): placeholders filled, surrounding whitespace stripped.

    Args:
        template_body: The template's body, with ``((placeholders))``.
        personalisation: The placeholders' values; lists are written as Markdown lists.

    Returns:
        The body.
    """
    return fill_placeholders(template_body, personalisation, lists_as="markdown").strip()


# --- email HTML ---------------------------------------------------------------------------------

_P_STYLE: Final = "Margin: 0 0 20px 0; font-size: 19px; line-height: 25px; color: #0B0C0C;"
_H2_STYLE: Final = (
    "Margin: 0 0 15px 0; padding: 10px 0 0 0; font-size: 27px; line-height: 35px;"
    " font-weight: bold; color: #0B0C0C;"
)
_LIST_STYLE: Final = "Margin: 0 0 20px 20px; padding: 0;"
_LI_STYLE: Final = (
    "Margin: 5px 0 5px; padding: 0 0 0 5px; font-size: 19px; line-height: 25px; color: #0B0C0C;"
)
_QUOTE_STYLE: Final = (
    "Margin: 0 0 20px 0; border-left: 10px solid #B1B4B6; padding: 15px 0 0.1px 15px;"
    " font-size: 19px; line-height: 25px;"
)
_HR_STYLE: Final = "border: 0; height: 1px; background: #B1B4B6; Margin: 30px 0 30px 0;"
_LINK_STYLE: Final = "word-wrap: break-word; color: #1D70B8;"

_MARKDOWN_LINK: Final = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_BARE_URL: Final = re.compile(r"(?<![\w/\"=])(https?://[^\s<>\"]+[^\s<>\".,;:!?)\]])")
_BULLET: Final = re.compile(r"^[*\-•] +")
_NUMBERED: Final = re.compile(r"^\d+\. +")


def _link(url: str, text: str) -> str:
    return f'<a style="{_LINK_STYLE}" href="{url}">{text}</a>'


def _inline(text: str) -> str:
    """Links in already escaped text: ``[text](url)`` and bare URLs."""
    stash: list[str] = []

    def keep(match: re.Match[str]) -> str:
        stash.append(_link(match.group(2), match.group(1)))
        return f"\x00{len(stash) - 1}\x00"

    text = _MARKDOWN_LINK.sub(keep, text)
    text = _BARE_URL.sub(lambda m: _link(m.group(1), m.group(1)), text)
    return re.sub(r"\x00(\d+)\x00", lambda m: stash[int(m.group(1))], text)


def _escape_values(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, (list, tuple)):
        return [_escape_values(item) for item in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return html.escape(str(value), quote=False)


def _markdown_to_html(source: str) -> str:
    blocks = re.split(r"\n[ \t]*\n", source.strip())
    out: list[str] = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and lines[0] in ("---", "***", "* * *"):
            out.append(f'<hr style="{_HR_STYLE}">')
        elif len(lines) == 1 and lines[0].startswith("#"):
            out.append(f'<h2 style="{_H2_STYLE}">{_inline(lines[0].lstrip("#").strip())}</h2>')
        elif all(_BULLET.match(line) for line in lines):
            items = "".join(
                f'<li style="{_LI_STYLE}">{_inline(_BULLET.sub("", line))}</li>' for line in lines
            )
            out.append(f'<ul style="{_LIST_STYLE} list-style-type: disc;">{items}</ul>')
        elif all(_NUMBERED.match(line) for line in lines):
            items = "".join(
                f'<li style="{_LI_STYLE}">{_inline(_NUMBERED.sub("", line))}</li>' for line in lines
            )
            out.append(f'<ol style="{_LIST_STYLE} list-style-type: decimal;">{items}</ol>')
        elif lines[0].startswith("^"):
            text = "<br />".join(_inline(line.lstrip("^").strip()) for line in lines)
            out.append(f'<blockquote style="{_QUOTE_STYLE}"><p style="{_P_STYLE}">{text}</p>'
                       "</blockquote>")  # fmt: skip
        else:
            text = "<br />".join(_inline(line) for line in lines)
            out.append(f'<p style="{_P_STYLE}">{text}</p>')
    return "\n".join(out)


def email_html(template_body: str, personalisation: Mapping[str, Any] | None) -> str:
    """The HTML body of an email: template and values escaped, markdown converted, URLs linked."""
    escaped_values = {key: _escape_values(value) for key, value in (personalisation or {}).items()}
    filled = fill_placeholders(
        html.escape(template_body, quote=False), escaped_values, lists_as="markdown"
    )
    return _markdown_to_html(_normalise_newlines(filled))


# --- sanitise_content_for (§9) ------------------------------------------------------------------


class ContentSanitisationError(Exception):
    """The server fails with a 500 here (a ``TypeError`` inside its sanitiser)."""


_URL_LIKE: Final = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.\-]*://[^\s]+"
    r"|(?:www\.)?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}(?:[/?#][^\s]*)?)"
)
_BARE_HOST: Final = re.compile(r"[A-Za-z0-9.\-]+")
_MARKDOWN_SPECIALS: Final = frozenset("`*_()\\{}[]<>#+-.!|")


def sanitise_value(value: str) -> str:
    """Defuse the links and Markdown in one personalisation value.

    A bare host gets a space after each ``.``, other URLs are removed, then every Markdown
    character is backslash-escaped.

    Args:
        value: The value.

    Returns:
        The value, safe to put in an email's Markdown.
    """

    def defuse(match: re.Match[str]) -> str:
        found = match.group(0)
        if _BARE_HOST.fullmatch(found):
            return found.replace(".", ". ")
        return ""

    defused = _URL_LIKE.sub(defuse, value)
    return "".join(f"\\{char}" if char in _MARKDOWN_SPECIALS else char for char in defused)


def sanitise_content_for(
    keys: Sequence[Any] | None, personalisation: Mapping[str, Any] | None
) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """Apply ``sanitise_content_for`` to the personalisation.

    Returns the new personalisation and the ``sanitised_content`` report (only the keys whose
    value changed). Raises `ContentSanitisationError` where the server answers 500: a
    listed key that is not a string, or a listed value that is not a string.
    """
    values = dict(personalisation or {})
    if not keys or not values:
        return values, {}
    wanted: set[str] = set()
    for key in keys:
        if not isinstance(key, str):
            raise ContentSanitisationError("sanitise_content_for items must be strings")
        wanted.add(normalise_key(key))
    report: dict[str, dict[str, str]] = {}
    for key, value in list(values.items()):
        if normalise_key(key) not in wanted:
            continue
        if not isinstance(value, str):
            raise ContentSanitisationError("only string values can be sanitised")
        sanitised = sanitise_value(value)
        if sanitised != value:
            values[key] = sanitised
            report[key] = {"unsanitised": value, "sanitised": sanitised}
    return values, report
