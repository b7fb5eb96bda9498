"""How ``govuk-notify`` prints.

Colour (only on a terminal, never with ``NO_COLOR``), aligned tables, blocks of fields,
timestamps in local time and UTC, and models as JSON.

Example:
    >>> style = Style(colour=False)
    >>> print(table(["ID", "NAME"], [["1", "one"], ["22", "two"]], style))
    ID  NAME
    1   one
    22  two
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "Style",
    "block",
    "colour_wanted",
    "local_and_utc",
    "local_time",
    "print_json",
    "table",
    "utc_time",
]

_RESET = "\033[0m"
_CODES = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33", "cyan": "36"}

_GOOD = frozenset({"delivered", "received", "accepted", "sent"})
_BAD = frozenset(
    {
        "permanent-failure",
        "temporary-failure",
        "technical-failure",
        "failed",
        "validation-failed",
        "virus-scan-failed",
        "cancelled",
        "returned-letter",
    }
)


def colour_wanted(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour what goes to ``stream``.

    Only a terminal, and never when ``NO_COLOR`` is set to anything (https://no-color.org) or
    ``TERM`` is ``dumb``.

    Args:
        stream: where the text goes.
        environ: the environment (default: ``os.environ``).

    Returns:
        True to colour.
    """
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Style:
    """Wraps text in ANSI colours, or leaves it alone.

    Args:
        colour: whether to colour at all.
    """

    def __init__(self, colour: bool) -> None:
        """Make a style.

        Args:
            colour: whether to colour at all.
        """
        self.colour = colour

    @classmethod
    def for_stream(cls, stream: TextIO) -> Style:
        """The style for text written to ``stream`` (see :func:`colour_wanted`).

        Args:
            stream: where the text goes.

        Returns:
            The style.
        """
        return cls(colour_wanted(stream))

    def paint(self, text: str, *names: str) -> str:
        """``text`` in the named styles, or unchanged without colour.

        The styles are ``bold``, ``dim``, ``red``, ``green``, ``yellow`` and ``cyan``.

        Args:
            text: the text.
            *names: the styles.

        Returns:
            The text, with escape codes around it when colouring.
        """
        if not self.colour or not names or not text:
            return text
        codes = ";".join(_CODES[name] for name in names)
        return f"\033[{codes}m{text}{_RESET}"

    def status(self, status: str) -> str:
        """A notification status as a word, coloured.

        Green when it went well, red when it failed, yellow while it is on its way.

        Args:
            status: the raw status (``delivered``, ``permanent-failure``...).

        Returns:
            The status, coloured.
        """
        if status in _GOOD:
            return self.paint(status, "green")
        if status in _BAD:
            return self.paint(status, "red")
        return self.paint(status, "yellow")

    def error(self, text: str) -> str:
        """``text`` in bold red.

        Args:
            text: the text.

        Returns:
            The text, coloured.
        """
        return self.paint(text, "bold", "red")

    def heading(self, text: str) -> str:
        """``text`` in bold.

        Args:
            text: the text.

        Returns:
            The text, coloured.
        """
        return self.paint(text, "bold")


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal, ignoring escape codes."""
    width = 0
    in_escape = False
    for char in text:
        if in_escape:
            in_escape = char != "m"
        elif char == "\033":
            in_escape = True
        elif not unicodedata.combining(char):
            width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def one_line(text: str | None, limit: int = 60) -> str:
    """``text`` on one line (whitespace runs become one space), cut to ``limit`` characters.

    Args:
        text: the text, or None (printed as empty).
        limit: the most characters to keep; the last is ``…`` when cut.

    Returns:
        The text.
    """
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], style: Style) -> str:
    """Rows in aligned columns under bold headers, two spaces apart, the last column unpadded.

    Args:
        headers: the column names.
        rows: the cells (they may hold escape codes; their width ignores them).
        style: how to print the headers.

    Returns:
        The table, without a final newline.
    """
    body = [list(row) for row in rows]
    widths = [_width(h) for h in headers]
    for row in body:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], _width(cell))

    def render(cells: Sequence[str], paint: bool) -> str:
        out = []
        for index, cell in enumerate(cells):
            text = style.heading(cell) if paint else cell
            last = index == len(cells) - 1
            out.append(text if last else text + " " * (widths[index] - _width(cell)))
        return "  ".join(out).rstrip()

    return "\n".join([render(headers, True), *(render(row, False) for row in body)])


def block(fields: Sequence[tuple[str, str]], style: Style) -> str:
    """``name  value`` lines, the names bold and aligned.

    Empty values are left out, and a value of several lines is indented under its first.

    Args:
        fields: the names and values.
        style: how to print the names.

    Returns:
        The block, without a final newline.
    """
    shown = [(name, value) for name, value in fields if value]
    width = max((len(name) for name, _ in shown), default=0)
    lines = []
    for name, value in shown:
        first, *rest = value.split("\n")
        lines.append(f"{style.heading(name.ljust(width))}  {first}")
        lines.extend(" " * (width + 2) + line for line in rest)
    return "\n".join(lines)


def local_time(moment: datetime) -> str:
    """A time in the local time zone, to the second, with the zone's name.

    Args:
        moment: an aware datetime.

    Returns:
        For example ``2026-12-01 09:15:02 GMT``.
    """
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def utc_time(moment: datetime) -> str:
    """A time in UTC, to the second.

    Args:
        moment: an aware datetime.

    Returns:
        For example ``2026-12-01 09:15:02 UTC``.
    """
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def local_and_utc(moment: datetime | None) -> str:
    """A time in local time, then in UTC in brackets; empty for None.

    Args:
        moment: an aware datetime, or None.

    Returns:
        For example ``2026-12-01 23:15:02 +14 (2026-12-01 09:15:02 UTC)``.
    """
    if moment is None:
        return ""
    return f"{local_time(moment)} ({utc_time(moment)})"


def print_json(models: Iterable[BaseModel], out: TextIO) -> None:
    """Print models as JSON, one object a line (JSON lines), as the API spells them.

    Args:
        models: the models.
        out: where to print.
    """
    for model in models:
        # warnings=False: a letter's status (one of two enums) makes pydantic warn needlessly.
        out.write(model.model_dump_json(by_alias=True, warnings=False) + "\n")
    out.flush()
