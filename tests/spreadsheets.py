"""Real spreadsheet files for send-bulk's tests, each written by the library people's tools use
for that format: openpyxl (.xlsx), xlwt (.xls), odfpy (.ods). A cell is text, an int or float
(a number cell), a date or datetime (a date cell), or None (empty)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path
from typing import Union

Cell = Union[str, int, float, datetime.date, None]  # noqa: UP007


def write_xlsx(path: Path, rows: Sequence[Sequence[Cell]], *, hidden_first: bool = False) -> Path:
    """An .xlsx file; with ``hidden_first`` a hidden sheet comes before the data's."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if hidden_first:
        sheet.title = "hidden"
        sheet.append(["phone number"])
        sheet.append(["not this sheet"])
        sheet.sheet_state = "hidden"
        sheet = workbook.create_sheet("people")
    else:
        sheet.title = "people"
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=number, column=column, value=value)
            if isinstance(value, datetime.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    workbook.save(path)
    return path


def write_xls(path: Path, rows: Sequence[Sequence[Cell]]) -> Path:
    """An Excel 97-2003 .xls file."""
    import xlwt  # type: ignore[import-untyped]

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("people")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    datetime_style = xlwt.easyxf(num_format_str="YYYY-MM-DD HH:MM")
    for number, row in enumerate(rows):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, datetime.datetime):
                sheet.write(number, column, value, datetime_style)
            elif isinstance(value, datetime.date):
                sheet.write(number, column, value, date_style)
            else:
                sheet.write(number, column, value)
    workbook.save(str(path))
    return path


def write_ods(path: Path, rows: Sequence[Sequence[Cell]]) -> Path:
    """An OpenDocument .ods file, typed cells as LibreOffice writes them."""
    from odf.opendocument import OpenDocumentSpreadsheet  # type: ignore[import-untyped]
    from odf.table import Table, TableCell, TableRow  # type: ignore[import-untyped]
    from odf.text import P  # type: ignore[import-untyped]

    document = OpenDocumentSpreadsheet()
    table = Table(name="people")
    for row in rows:
        table_row = TableRow()
        for value in row:
            if value is None:
                cell = TableCell()
            elif isinstance(value, datetime.datetime):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.strftime("%d/%m/%Y %H:%M")))
            elif isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.strftime("%d/%m/%Y")))
            elif isinstance(value, (int, float)):
                cell = TableCell(valuetype="float", value=repr(value))
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
            table_row.addElement(cell)
        table.addElement(table_row)
    document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


WRITERS = {".xlsx": write_xlsx, ".xls": write_xls, ".ods": write_ods}
