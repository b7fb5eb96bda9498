"""A letter's PDF pages as SVG images, for letters the sandbox wrote itself.

The sandbox's PDF writer (`govuk_notify.sandbox.pdf`) puts each line of text in the content
stream as ``/F1 11.0 Tf 1 0 0 1 x y Tm (text) Tj``; that is read back here and drawn as SVG text
at the same place, so the inbox shows the pages without a PDF viewer or a rasteriser. Any other
PDF (a precompiled letter) gives ``None``: the inbox embeds the PDF itself instead.
"""

from __future__ import annotations

import re
from typing import Final

from ..pdf import PAGE_HEIGHT, PAGE_WIDTH, TextLine
from .pages import e

__all__ = ["pdf_pages", "svg_page"]

_STREAM: Final = re.compile(rb"stream\n(.*?)endstream", re.DOTALL)
_SHOW: Final = re.compile(
    rb"/F([12]) ([0-9.]+) Tf 1 0 0 1 (-?[0-9.]+) (-?[0-9.]+) Tm \(((?:\\.|[^\\)])*)\) Tj"
)
_BOLD: Final = ' font-weight="bold"'
_ESCAPE: Final = re.compile(rb"\\([0-7]{3}|.)", re.DOTALL)


def _text(raw: bytes) -> str:
    def unescape(match: re.Match[bytes]) -> bytes:
        code = match.group(1)
        return bytes([int(code, 8)]) if len(code) == 3 else code

    return _ESCAPE.sub(unescape, raw).decode("cp1252", "replace")


def pdf_pages(pdf: bytes) -> list[list[TextLine]] | None:
    """The text lines of each page of a PDF the sandbox wrote.

    Args:
        pdf: The PDF.

    Returns:
        One list of lines per page, or ``None`` if the PDF is not one of the sandbox's own.
    """
    if b"/Producer (govuk-notify sandbox)" not in pdf:
        return None
    pages = []
    for stream in _STREAM.findall(pdf):
        pages.append(
            [
                TextLine(float(x), float(y), _text(text), float(size), bold=font == b"2")
                for font, size, x, y, text in _SHOW.findall(stream)
            ]
        )
    return pages or None


def svg_page(lines: list[TextLine], label: str) -> str:
    """One A4 page as an SVG image with its text where the PDF prints it.

    Args:
        lines: The page's lines (``y`` from the bottom, as in the PDF).
        label: The image's accessible name.

    Returns:
        The ``svg`` element.
    """
    texts = "".join(
        f'<text x="{line.x:.1f}" y="{PAGE_HEIGHT - line.y:.1f}" font-size="{line.size:.1f}"'
        f'{_BOLD if line.bold else ""} xml:space="preserve">{e(line.text)}</text>'
        for line in lines
    )
    return (
        f'<svg class="page" viewBox="0 0 {PAGE_WIDTH} {PAGE_HEIGHT}" role="img" '
        f'aria-label="{e(label)}" xmlns="http://www.w3.org/2000/svg" '
        'font-family="Helvetica, Arial, sans-serif">'
        f'<rect width="{PAGE_WIDTH}" height="{PAGE_HEIGHT}" fill="#fff"/>{texts}</svg>'
    )
