"""The one writer of every CSV and XLSX file the app hands out.

A spreadsheet treats a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as
a formula (CSV/formula injection). Every cell written here goes through `safe_cell`: such text gets a
leading apostrophe, so it shows as typed and never runs; numbers, negative amounts included, stay numbers.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import IO, Any

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Sheet = tuple[str, Sequence[str], Iterable[Sequence[Any]]]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text that is just a number ("-12.50", "+3", "1e5") opens as that number: nothing to neutralise.
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
# Characters Excel refuses in a sheet's name (translated titles may carry them).
_NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")


def safe_cell(value: Any) -> Any:
    """`value` unchanged unless it is text a spreadsheet would run as a formula; then quoted.
    Lazily translated text is written as the text it is now."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class SafeCsvWriter:
    """`csv.writer` with every cell passed through `safe_cell`."""

    def __init__(self, stream: IO[str], **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def sheet_title(title: str) -> str:
    """`title` as Excel accepts a sheet name: at most 31 characters, none of `[]:*?/\\`."""
    return _NOT_IN_SHEET_TITLE.sub(" ", str(safe_cell(title)))[:31]


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """One workbook with a sheet per (title, header, rows), bold frozen header, safe cells."""
    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(sheet_title(title))
        sheet.append(safe_row(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(safe_row(row))
        sheet.freeze_panes = "A2"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def workbook_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """A download of one workbook with a sheet per (title, header, rows)."""
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
