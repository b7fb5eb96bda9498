"""Template placeholders, matched and filled as the Notify server does.

A placeholder is `((name))`; a conditional one, `((name??text))`, shows `text` or nothing. Keys
match placeholders ignoring case, spaces, `_` and `-`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from ._text import remove_obscure_whitespace

__all__ = [
    "Placeholder",
    "fill_placeholders",
    "find_placeholders",
    "missing_personalisation",
    "normalise_key",
]

# '((' + one or more characters that are neither '(' nor ')' + '))'.
_PLACEHOLDER: Final = re.compile(r"\(\(([^()]+)\)\)")
_CONDITIONAL_SEPARATOR: Final = "??"
_KEY_DELETIONS: Final = {ord(c): None for c in " _-"}
_SHOW_CONDITIONAL: Final = frozenset({"yes", "y", "true", "t", "1", "include", "show"})


@dataclass(frozen=True)
class Placeholder:
    """One placeholder of a template."""

    name: str
    """As first spelt in the template; for a conditional, the text before the first ``??``."""
    conditional_text: str | None
    """The text after the first ``??``; ``None`` when the placeholder is not conditional."""

    @property
    def is_conditional(self) -> bool:
        """True for ``((name??text))`` placeholders (still required, shown or hidden by value)."""
        return self.conditional_text is not None


def normalise_key(key: str) -> str:
    """The server's key for matching a personalisation key to a placeholder.

    Args:
        key: A placeholder name or a personalisation key.

    Returns:
        `key` with spaces, `_` and `-` deleted, lower-cased: `"First name"`, `"first_name"` and
        `"FIRST-NAME"` all give `"firstname"`.
    """
    return key.translate(_KEY_DELETIONS).lower()


def _placeholder_from_body(body: str) -> Placeholder:
    name, separator, conditional_text = body.partition(_CONDITIONAL_SEPARATOR)
    return Placeholder(name=name, conditional_text=conditional_text if separator else None)


def find_placeholders(*texts: str | None) -> list[Placeholder]:
    """The placeholders of one or more texts, in order of appearance.

    Args:
        *texts: A template's texts (subject, body...); None and empty texts are skipped.

    Returns:
        One `Placeholder` per name (names that normalise alike count once, with their first
        spelling).

    Example:
        ```python
        [p.name for p in find_placeholders("Hi ((name))", "((Name)) ((urgent??Now.))")]
        # ['name', 'urgent']
        ```
    """
    found: dict[str, Placeholder] = {}
    for text in texts:
        if not text:
            continue
        for match in _PLACEHOLDER.finditer(text):
            placeholder = _placeholder_from_body(match.group(1))
            found.setdefault(normalise_key(placeholder.name), placeholder)
    return list(found.values())


def _normalised_values(personalisation: Mapping[str, object] | None) -> dict[str, object]:
    # A later key wins when two keys normalise alike, as in the server's dict.
    if not personalisation:
        return {}
    return {normalise_key(key): value for key, value in personalisation.items()}


def missing_personalisation(
    texts: Sequence[str | None], personalisation: Mapping[str, object] | None
) -> list[str]:
    """The placeholders a personalisation leaves without a value, as the server finds them.

    Args:
        texts: The template's texts, in the server's order: for an email the subject then the
            body; for a letter the contact block, (Welsh subject, Welsh body,) subject, body.
        personalisation: The values to send, or None.

    Returns:
        The names without a value (absent, or `None`), first spelling, in template order.
        Conditional placeholders need a value too.

    Example:
        ```python
        missing_personalisation(["Hi ((name)), ((urgent??now))"], {"Name": "Amala"})
        # ['urgent']
        ```
    """
    values = _normalised_values(personalisation)
    return [
        placeholder.name
        for placeholder in find_placeholders(*texts)
        if values.get(normalise_key(placeholder.name)) is None
    ]


def _list_items(items: Iterable[object]) -> list[str]:
    cleaned = (
        remove_obscure_whitespace(str(item)).strip(string.whitespace)
        for item in items
        if item is not None
    )
    return [item for item in cleaned if item]


def _render(value: object, lists_as: Literal["markdown", "prose"]) -> str:
    if not isinstance(value, (list, tuple)):  # a tuple goes over the wire as a JSON array
        return str(value)
    items = _list_items(value)
    if not items:
        return ""
    if lists_as == "markdown":
        return "\n\n" + "\n".join(f"* {item}" for item in items)
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"


def fill_placeholders(
    text: str,
    personalisation: Mapping[str, object] | None,
    *,
    lists_as: Literal["markdown", "prose"] = "markdown",
) -> str:
    r"""Replace each placeholder of a text with its value, as the server renders it.

    Args:
        text: A template's subject or body.
        personalisation: The values, matched to placeholders ignoring case, spaces, `_` and
            `-`; or None.
        lists_as: How a list value is written: `"markdown"`, a bullet list
            (`"\n\n* a\n* b"`, for bodies), or `"prose"`, `a, b and c` (for subjects).

    Returns:
        The text filled in. Strings go in as they are; numbers, booleans and objects through
        `str()`. A conditional `((name??text))` becomes `text` when the value, lower-cased, is
        one of `yes y true t 1 include show`, else nothing. A placeholder with no value (absent
        or `None`) is left as written.

    Example:
        ```python
        fill_placeholders("Dear ((name)).((urgent?? Act now.))", {"name": "Amala", "urgent": "y"})
        # 'Dear Amala. Act now.'
        ```
    """
    values = _normalised_values(personalisation)

    def replace(match: re.Match[str]) -> str:
        placeholder = _placeholder_from_body(match.group(1))
        value = values.get(normalise_key(placeholder.name))
        if value is None:
            return match.group(0)
        rendered = _render(value, lists_as)
        if placeholder.conditional_text is None:
            return rendered
        return placeholder.conditional_text if rendered.lower() in _SHOW_CONDITIONAL else ""

    return _PLACEHOLDER.sub(replace, text)
