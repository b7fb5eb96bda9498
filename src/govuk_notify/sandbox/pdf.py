"""A small PDF writer for letters: A4 pages of Helvetica text, written by hand.

The files are real PDF 1.4 documents (a catalogue, a page tree, the two standard Helvetica fonts
in WinAnsiEncoding, one content stream per page and an exact cross-reference table), so any PDF
reader opens them. Letters are laid out like Notify's: the contact block at the top right, the
address in the envelope window at the top left, the date, the subject in bold, then the body.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["TextLine", "build_pdf", "letter_pdf", "minimal_pdf"]

PAGE_WIDTH = 595  # A4 in points
PAGE_HEIGHT = 842
LEFT = 57
RIGHT = PAGE_WIDTH - 57
TOP = PAGE_HEIGHT - 50
BOTTOM = 60

# Helvetica advance widths (1/1000 em) of printable ASCII, from the standard AFM metrics.
_WIDTHS = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
]  # fmt: skip


@dataclass(frozen=True)
class TextLine:
    """One line of text at ``(x, y)`` points from the bottom left of the page."""

    x: float
    y: float
    text: str
    size: float = 11.0
    bold: bool = False


def text_width(text: str, size: float, bold: bool = False) -> float:
    total = 0
    for char in text:
        code = ord(char)
        total += _WIDTHS[code - 32] if 32 <= code < 127 else 556
    return total * size / 1000 * (1.06 if bold else 1.0)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", errors="replace")
    out = bytearray(b"(")
    for byte in raw:
        if byte in (0x28, 0x29, 0x5C):  # ( ) \
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    out += b")"
    return bytes(out)


def _content_stream(lines: Sequence[TextLine]) -> bytes:
    parts = [b"BT"]
    for line in lines:
        font = b"/F2" if line.bold else b"/F1"
        parts.append(
            font
            + b" %.1f Tf 1 0 0 1 %.2f %.2f Tm " % (line.size, line.x, line.y)
            + _pdf_string(line.text)
            + b" Tj"
        )
    parts.append(b"ET")
    return b"\n".join(parts) + b"\n"


def build_pdf(pages: Sequence[Sequence[TextLine]], *, title: str = "Letter") -> bytes:
    """A PDF with one page per item of ``pages`` (at least one page, even if empty)."""
    pages = list(pages) or [[]]
    objects: list[bytes] = []
    # 1 catalogue, 2 page tree, 3 and 4 fonts, 5 info; then a page and its contents per page.
    first_page = 6
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(pages)))
    for name in (b"Helvetica", b"Helvetica-Bold"):
        objects.append(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /" + name
            + b" /Encoding /WinAnsiEncoding >>"
        )  # fmt: skip
    objects.append(b"<< /Title " + _pdf_string(title) + b" /Producer (govuk-notify sandbox) >>")
    for index, lines in enumerate(pages):
        contents = first_page + 2 * index + 1
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d]"
            b" /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents %d 0 R >>"
            % (PAGE_WIDTH, PAGE_HEIGHT, contents)
        )
        stream = _content_stream(lines)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"endstream")

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 5 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def minimal_pdf(text: str = "Hello from the govuk-notify sandbox") -> bytes:
    """A one-page PDF with one line of text (handy for precompiled letters)."""
    lines = [TextLine(LEFT, 720 - 14 * i, part) for i, part in enumerate(text.splitlines())]
    return build_pdf([lines], title="Precompiled letter")


def _wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    words = text.split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        candidate = word if not current else f"{current} {word}"
        if current and text_width(candidate, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
        while text_width(current, size, bold) > width and len(current) > 1:
            # a single word longer than the line: break it
            cut = len(current)
            while cut > 1 and text_width(current[:cut], size, bold) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    lines.append(current)
    return lines


_BOLD_MARKS = re.compile(r"\*\*(.+?)\*\*")


def _body_blocks(body: str) -> list[tuple[str, str]]:
    """Markdown-ish letter body → ``(kind, text)``: paragraph, heading, bullet, gap, page."""
    blocks: list[tuple[str, str]] = []
    for raw in body.replace("\r\n", "\n").split("\n"):
        line = _BOLD_MARKS.sub(r"\1", raw.strip())
        if not line:
            blocks.append(("gap", ""))
        elif line == "***":
            blocks.append(("page", ""))
        elif line == "---":
            blocks.append(("gap", ""))
        elif line.startswith("#"):
            blocks.append(("heading", line.lstrip("#").strip()))
        elif line[:2] in ("* ", "- ", "• "):
            blocks.append(("bullet", line[2:].strip()))
        else:
            blocks.append(("paragraph", line))
    return blocks


def letter_pdf(
    *,
    address_lines: Sequence[str],
    body: str,
    subject: str,
    contact_block: str | None = None,
    date: dt.date | None = None,
) -> tuple[bytes, int]:
    """Lay a letter out on A4 pages; return the PDF and its page count."""
    size, leading = 11.0, 14.0
    pages: list[list[TextLine]] = [[]]
    page = pages[0]

    y: float = TOP
    for line in (contact_block or "").splitlines():
        page.append(TextLine(380, y, line, size=10))
        y -= 13
    y = 700
    for line in address_lines:
        page.append(TextLine(LEFT + 10, y, line))
        y -= leading
    when = date or dt.datetime.now(dt.timezone.utc).date()
    page.append(TextLine(380, 600, f"{when.day} {when:%B %Y}"))
    y = 560
    for part in _wrap(subject, RIGHT - LEFT, 12, bold=True):
        page.append(TextLine(LEFT, y, part, size=12, bold=True))
        y -= 16
    y -= 8

    def new_page() -> None:
        nonlocal page, y
        page = []
        pages.append(page)
        y = TOP

    for kind, text in _body_blocks(body):
        if kind == "page":
            new_page()
            continue
        if kind == "gap":
            if y < TOP:
                y -= leading / 2
            continue
        bold = kind == "heading"
        indent = 14.0 if kind == "bullet" else 0.0
        wrapped = _wrap(text, RIGHT - LEFT - indent, size, bold)
        for index, part in enumerate(wrapped):
            if y < BOTTOM:
                new_page()
            if kind == "bullet" and index == 0:
                page.append(TextLine(LEFT, y, "\u2022", size=size))
            page.append(TextLine(LEFT + indent, y, part, size=size, bold=bold))
            y -= leading
    return build_pdf(pages, title=subject or "Letter"), len(pages)
