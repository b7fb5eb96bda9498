"""Reading the file of a bulk send: ``.csv``, ``.tsv``, ``.xlsx``, ``.xls`` or ``.ods``.

These are the formats Notify's own spreadsheet upload takes.

CSV and TSV need nothing extra. The binary formats are read with python-calamine, the optional
extra ``spreadsheets`` (``pip install 'govuk-notify[spreadsheets]'``), from the workbook's first
visible sheet.

Cells are turned into text as Notify's upload turns them. The admin app
(alphagov/notifications-admin ``app/models/spreadsheet.py``, ``Spreadsheet.from_file``) reads a
spreadsheet with pyexcel and writes every row out with ``csv.writer``, so each cell becomes
``str(value)``; pyexcel's readers first turn a whole-number float into an ``int``
(pyexcel-xls ``auto_detect_int``), and a date cell whose time is midnight into a ``date``
(pyexcel-xls ``xldate_to_python_date``, likewise pyexcel-ods). So, matched here:

- ``7700900123.0`` (a phone number whose leading 0 the spreadsheet dropped) becomes
  ``7700900123``, which Notify reads as the UK mobile ``07700 900123`` (as the SDK's phone
  validation does); ``1.5`` stays ``1.5``;
- a date becomes ``2026-05-01``, a date and time ``2026-05-01 09:30:00``, a time ``09:30:00``;
- ``TRUE``/``FALSE`` become ``True``/``False``; an empty cell is empty.

One difference: for ``.xlsx`` the admin app's pyexcel-xlsx passes openpyxl's ``datetime`` through,
which prints a date as ``2026-05-01 00:00:00``; here every format prints a date as a date.
"""

from __future__ import annotations

import csv
import datetime
import io
import os
from dataclasses import dataclass

__all__ = [
    "SPREADSHEET_EXTENSIONS",
    "SUPPORTED_EXTENSIONS",
    "InputError",
    "SheetFile",
    "SheetRow",
    "cell_text",
    "read_rows",
]

SPREADSHEET_EXTENSIONS = (".xlsx", ".xls", ".ods")
SUPPORTED_EXTENSIONS = (".csv", ".tsv", *SPREADSHEET_EXTENSIONS)


class InputError(Exception):
    """A problem with the input that stops the command before anything is sent."""


@dataclass(frozen=True)
class SheetRow:
    """One row of data, numbered as the spreadsheet shows it (the header is row 1)."""

    number: int
    values: dict[str, str | None]
    """Header -> stripped cell text; empty cells are None."""
    extra_cells: int
    """Non-empty cells to the right of the last header."""


@dataclass(frozen=True)
class SheetFile:
    """The header and the data rows of a file (blank rows left out, numbers kept)."""

    path: str
    headers: list[str]
    rows: list[SheetRow]


def cell_text(value: object) -> str:
    """A spreadsheet cell as Notify's upload reads it (see the module's notes).

    Args:
        value: A cell from the reader: text, a number, a bool, a date, time or duration.

    Returns:
        The cell's text, not yet stripped.
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return str(value)


def _records(path: str) -> list[list[str]]:
    extension = os.path.splitext(path)[1].lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise InputError(
            f"{path}: a file's name must end in one of {', '.join(SUPPORTED_EXTENSIONS)}"
            " (the formats Notify's spreadsheet upload takes)"
        )
    if extension in SPREADSHEET_EXTENSIONS:
        return _spreadsheet_records(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            f"{path} is not UTF-8 text (save the spreadsheet as 'CSV UTF-8', or as .xlsx)"
        ) from None
    delimiter = "\t" if extension == ".tsv" else ","
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as err:
        raise InputError(f"{path} is not a valid {extension[1:].upper()} file: {err}") from None


def _spreadsheet_records(path: str) -> list[list[str]]:
    try:
        from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum
    except ImportError:
        raise InputError(
            f"{path}: reading .xlsx, .xls and .ods files needs python-calamine: "
            "pip install 'govuk-notify[spreadsheets]' (or save the sheet as CSV)"
        ) from None
    try:
        with CalamineWorkbook.from_path(path) as workbook:
            visible = [
                sheet.name
                for sheet in workbook.sheets_metadata
                if sheet.visible == SheetVisibleEnum.Visible
            ]
            if not visible:
                raise InputError(f"{path} has no visible sheet")
            sheet = workbook.get_sheet_by_name(visible[0])
            # skip_empty_area=False keeps leading blank rows and columns: row and column
            # numbers stay the ones the spreadsheet shows.
            return [
                [cell_text(cell) for cell in row] for row in sheet.to_python(skip_empty_area=False)
            ]
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from None
    except CalamineError as err:
        raise InputError(f"{path} cannot be read as a spreadsheet: {err}") from None
    except (ValueError, TypeError) as err:  # a file that is not the format its name says
        raise InputError(f"{path} cannot be read as a spreadsheet: {err}") from None


def read_rows(path: str) -> SheetFile:
    """Read a file's header (row 1) and data rows.

    Args:
        path: A ``.csv``, ``.tsv``, ``.xlsx``, ``.xls`` or ``.ods`` file.

    Returns:
        The file's headers and rows; blank rows are left out but keep their numbers.

    Raises:
        InputError: The file is missing, empty, of another format, or (for a spreadsheet)
            python-calamine is not installed.
    """
    records = _records(path)
    if not records or not any(cell.strip() for cell in records[0]):
        raise InputError(f"{path} is empty (row 1 must be the column headers)")
    headers = [cell.strip() for cell in records[0]]
    while headers and not headers[-1]:
        headers.pop()
    rows: list[SheetRow] = []
    for offset, cells in enumerate(records[1:]):
        stripped = [cell.strip() for cell in cells]
        if not any(stripped):
            continue  # a blank row
        values: dict[str, str | None] = {}
        for header, cell in zip(headers, stripped, strict=False):
            if header:
                values[header] = cell or None
        extra = sum(1 for cell in stripped[len(headers) :] if cell)
        rows.append(SheetRow(number=offset + 2, values=values, extra_cells=extra))
    return SheetFile(path, headers, rows)
