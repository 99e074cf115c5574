"""Input made to break the reader: each is refused with a clear reason, never a server error.

Digits that only look like 0-9, names of codecs that are not character sets, text without its
byte order, lines and cells of tens of megabytes, broken workbook XML, formulas in disguise and
workbooks that expand a thousandfold. Every refusal leaves the ledger exactly as it was.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from sales.models import ImportBatch, SalesLine
from sales.services import import_batch_run
from tests.sales.handmade_xlsx import HUGE, MAIN, write_workbook
from tests.sales.ledger_files import (
    create_batch,
    import_file,
    import_path,
    ledger_snapshot,
    only_error,
    write_file,
)
from tests.sales.test_api import client_for, line
from tests.sales.test_pages import logged_in, upload

pytestmark = pytest.mark.django_db

HEADER = ["account_external_id", "date", "amount", "account_name"]
NOT_CHARSETS = ["bogus", "rot13", "hex", "base64", "zlib"]
ARABIC = "\u0661\u0662"  # 12 in Arabic-Indic digits
FULLWIDTH = "\uff11\uff12.\uff15"  # 12.5 in fullwidth digits
MAX_CELL_CHARS = 32_767  # Excel's limits: a cell's characters, a sheet's rows
MAX_ROWS = 1_048_576
OTHER_DIGITS = ["\u00b2", ARABIC, FULLWIDTH]  # "²" too: str.isdigit() says it is one


def post_file(user, name: str, content: bytes, **options):
    file = SimpleUploadedFile(name, content)
    return client_for(user).post("/api/v1/imports/", {"file": file, **options}, format="multipart")


def refused_upload(user, name: str, content: bytes, **options) -> dict:
    """The API's answer to a file it cannot read: 400 with the refused batch and its one problem."""
    response = post_file(user, name, content, **options)
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["status"] == "refused"
    assert body["error_count"] == 1
    assert body["message"] == body["errors"][0]["reason"]
    assert ImportBatch.objects.get(pk=body["id"]).status == ImportBatch.Status.REFUSED
    return body["errors"][0]


# Numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["amount", "quantity", "margin"])
@pytest.mark.parametrize("value", OTHER_DIGITS, ids=["superscript", "arabic-indic", "fullwidth"])
def test_digits_other_than_0_to_9_are_refused_in_every_numeric_column(tmp_path, kam, before, column, value):
    cells = {"amount": "5.00", "quantity": "1", "margin": "1.00", column: value}
    batch = import_file(
        tmp_path,
        "account_external_id,date,amount,quantity,margin\n"
        "00017,2024-03-01,5.00,1,1.00\n"
        f"00017,2024-03-02,{cells['amount']},{cells['quantity']},{cells['margin']}\n",
        by=kam,
    )
    error = only_error(batch)
    assert (error["row"], error["column"], error["value"]) == (3, column, value)
    assert f"{value[0]!r} is not one of the digits 0-9" in error["reason"]
    assert ledger_snapshot() == before


def test_rows_with_other_digits_are_set_aside_and_the_rest_is_loaded(tmp_path, kam, before):
    # On PostgreSQL the good rows go through COPY: a "١٢" let through would break the whole load.
    batch = import_file(
        tmp_path,
        "account_external_id,date,amount,line_external_id\n"
        f"00017,2024-03-01,{ARABIC},X1\n00017,2024-03-02,12.50,X2\n00017,2024-03-03,{FULLWIDTH},X3\n",
        by=kam,
        skip_invalid=True,
    )
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    assert (batch.inserted, batch.rejected) == (1, 2)
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "amount"), (4, "amount")]
    assert list(batch.lines.values_list("external_id", flat=True)) == ["X2"]


def test_bulk_lines_with_other_digits_are_a_400_with_nothing_written(head, account):
    lines = [line(1), line(2, amount=ARABIC), line(3, quantity=FULLWIDTH)]
    response = client_for(head).post("/api/v1/sales-lines/bulk/", {"lines": lines}, format="json")
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(2, "amount"), (3, "quantity")]
    assert not SalesLine.objects.exists()


def test_half_of_a_utf16_pair_is_refused_not_sent_to_the_database(head, account):
    body = json.dumps({"lines": [line(1, account_name="Nordic \ud800 Steel")]})  # as "\\ud800"
    response = client_for(head).post("/api/v1/sales-lines/bulk/", body, content_type="application/json")
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["row"], error["column"], error["value"]) == (1, "account_name", "Nordic \ufffd Steel")
    assert "half of a UTF-16 character pair" in error["reason"]
    assert not SalesLine.objects.exists()


# Encodings -----------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", NOT_CHARSETS)
def test_the_api_refuses_a_codec_that_is_not_a_character_set(head, account, encoding):
    response = post_file(
        head, "l.csv", b"account_external_id,date,amount\n00017,2025-01-05,1.50\n", encoding=encoding
    )
    assert response.status_code == 400
    assert "encoding" in response.json()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("encoding", NOT_CHARSETS)
def test_the_upload_page_refuses_a_codec_that_is_not_a_character_set(head, account, encoding):
    file = SimpleUploadedFile("l.csv", b"account_external_id,date,amount\n00017,2025-01-05,1.50\n")
    response = logged_in(head).post("/sales/imports/new/", {"file": file, "encoding": encoding})
    assert response.status_code == 200
    assert "is not" in response.context["form"].errors["encoding"][0]
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("encoding", NOT_CHARSETS)
def test_import_sales_refuses_a_codec_that_is_not_a_character_set(tmp_path, account, encoding):
    path = write_file(tmp_path, "account_external_id,date,amount\n00017,2025-01-05,1.50\n")
    with pytest.raises(CommandError, match=f"--encoding {encoding}: '{encoding}' is not"):
        call_command("import_sales", str(path), "--encoding", encoding, stdout=io.StringIO())
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("encoding", NOT_CHARSETS)
def test_a_waiting_batch_with_such_a_codec_shows_why_and_is_refused(tmp_path, head, before, encoding):
    batch = create_batch(
        write_file(tmp_path, "account_external_id,date,amount\n00017,2025-01-05,1.50\n"), by=head
    )
    ImportBatch.objects.filter(pk=batch.pk).update(options={**batch.options, "encoding": encoding})

    page = logged_in(head).get(f"/sales/imports/{batch.pk}/")
    assert page.status_code == 200
    assert f"{encoding!r} is not" in page.context["preview"]["error"]["reason"]

    batch = import_batch_run(batch=batch)
    assert batch.status == ImportBatch.Status.REFUSED
    assert f"{encoding!r} is not" in batch.message
    assert ledger_snapshot() == before


def test_utf16_without_a_byte_order_mark_is_refused_until_the_order_is_named(head, account):
    content = "account_external_id,date,amount\n00017,2025-01-05,1.50\n".encode("utf-16-be")
    error = refused_upload(head, "l.csv", content, encoding="utf-16")
    assert error["row"] == 1
    assert "no byte-order mark" in error["reason"]
    assert "utf-16-le" in error["reason"]
    assert not SalesLine.objects.exists()

    response = post_file(head, "l.csv", content, encoding="utf-16-be")
    assert response.status_code == 202, response.json()
    import_batch_run(batch=ImportBatch.objects.get(pk=response.json()["id"]))
    assert SalesLine.objects.get().amount == Decimal("1.50")


def test_the_preview_page_says_why_utf16_without_a_byte_order_mark_cannot_be_read(head, account):
    client = logged_in(head)
    content = "account_external_id,date,amount\n00017,2025-01-05,1.50\n".encode("utf-16-le")
    response = client.post(
        "/sales/imports/new/", {"file": SimpleUploadedFile("l.csv", content), "encoding": "utf-16"}
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "no byte-order mark" in page.content.decode()
    assert ImportBatch.objects.get().status == ImportBatch.Status.PENDING  # fixable in the options


# Sizes ---------------------------------------------------------------------------------------


def test_a_30_mb_line_is_refused_without_reading_it_whole(head, account):
    error = refused_upload(head, "l.csv", b"account_external_id,date,amount," + b"x" * (30 << 20))
    assert error["row"] == 1
    assert error["reason"].startswith("Line 1 is longer than 1 MiB")


def test_a_30_mb_row_deep_in_the_file_is_refused_at_its_row(tmp_path, kam, before):
    content = b"account_external_id,date,amount\n00017,2024-03-01,1.00\n00017,2024-03-01," + b"9" * (30 << 20)
    error = only_error(import_file(tmp_path, content, by=kam))
    assert error["row"] == 3
    assert "longer than 1 MiB" in error["reason"]
    assert ledger_snapshot() == before


def test_a_30_mb_line_of_utf16_is_refused_too(tmp_path, kam, before):
    content = "account_external_id,date,amount\n".encode("utf-16") + "x".encode("utf-16-le") * (15 << 20)
    error = only_error(import_file(tmp_path, content, by=kam, encoding="utf-16"))
    assert error["row"] == 2
    assert "longer than 1 MiB" in error["reason"]
    assert ledger_snapshot() == before


def test_a_1_mb_workbook_holding_a_1_gib_cell_is_refused_before_it_is_unpacked(tmp_path, head, account):
    path = write_workbook(tmp_path / "bomb.xlsx", [HEADER, ["00017", "2025-01-05", 5, HUGE]], huge_mib=1024)
    assert path.stat().st_size < 2 << 20
    error = refused_upload(head, "bomb.xlsx", path.read_bytes())
    assert error["reason"].startswith(
        "The workbook is too large once unpacked: its part xl/sharedStrings.xml would take 1,073,7"
    )
    assert "more than the 128 MiB allowed" in error["reason"]
    assert not SalesLine.objects.exists()


def test_a_cell_longer_than_excel_allows_is_refused_before_the_sheet_is_read(tmp_path, kam, before):
    path = write_workbook(tmp_path / "long.xlsx", [HEADER, ["00017", "2025-01-05", 5, HUGE]], huge_mib=3)
    error = only_error(import_path(path, by=kam))
    assert error["reason"] == (
        f"A cell in xl/sharedStrings.xml holds more than {MAX_CELL_CHARS:,} characters, "
        "Excel's own limit: this is not a ledger sheet."
    )
    assert ledger_snapshot() == before


def test_a_sheet_past_excels_last_row_is_refused(tmp_path, kam, before):
    far = MAX_ROWS + 5
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>account_external_id</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>date</t></is></c>'
        '<c r="C1" t="inlineStr"><is><t>amount</t></is></c></row>'
        f'<row r="{far}"><c r="A{far}" t="inlineStr"><is><t>00017</t></is></c>'
        f'<c r="B{far}" t="inlineStr"><is><t>2025-01-05</t></is></c><c r="C{far}"><v>5</v></c></row>'
        "</sheetData></worksheet>"
    ).encode()
    path = write_workbook(tmp_path / "far.xlsx", [HEADER], sheet=sheet)
    error = only_error(import_path(path, by=kam))
    assert error["reason"] == f"The sheet has more than {MAX_ROWS:,} rows, Excel's own limit."
    assert ledger_snapshot() == before


def test_a_sheet_declaring_every_column_and_row_is_read_at_its_real_size(tmp_path, kam, before):
    rows = [HEADER, ["00017", "2025-01-05", 5, "Nordic Steel"]]
    path = write_workbook(tmp_path / "wide.xlsx", rows, dimension="A1:XFD1048576")
    batch = import_path(path, by=kam)
    assert (batch.status, batch.rows, batch.inserted) == (ImportBatch.Status.DONE, 1, 1)


# Broken and disguised workbooks ----------------------------------------------------------------

BROKEN_SHEETS = {
    "not XML": b"this is not XML",
    "cut off in row 3": (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        '<c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2"><v>5</v></c></row>'
        '<row r="3"><c r="A3" t='
    ).encode(),
    "tags crossed": f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"></sheetData></row>'.encode(),
}


@pytest.mark.parametrize("broken", BROKEN_SHEETS, ids=list(BROKEN_SHEETS))
def test_an_xlsx_with_broken_sheet_xml_is_a_400_from_the_api(tmp_path, head, account, broken):
    rows = [HEADER, ["00017", "2025-01-05", 5, "Nordic Steel"]]
    path = write_workbook(tmp_path / "broken.xlsx", rows, sheet=BROKEN_SHEETS[broken])
    error = refused_upload(head, "broken.xlsx", path.read_bytes())
    assert error["reason"].startswith("This is not a readable XLSX workbook: ")
    assert not SalesLine.objects.exists()


@pytest.mark.parametrize("broken", BROKEN_SHEETS, ids=list(BROKEN_SHEETS))
def test_an_xlsx_with_broken_sheet_xml_shows_why_and_is_refused(tmp_path, head, before, broken):
    rows = [HEADER, ["00017", "2025-01-05", 5, "Nordic Steel"]]
    path = write_workbook(tmp_path / "broken.xlsx", rows, sheet=BROKEN_SHEETS[broken])
    batch = upload(logged_in(head), path.read_bytes(), name="broken.xlsx")

    page = logged_in(head).get(f"/sales/imports/{batch.pk}/")
    assert page.status_code == 200
    assert "This is not a readable XLSX workbook" in page.content.decode()

    batch = import_batch_run(batch=batch)
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.message.startswith("This is not a readable XLSX workbook: ")
    assert ledger_snapshot() == before


def formula_workbook(tmp_path, formula) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(["00017", "2025-01-05", 5, "Nordic Steel"])
    sheet.append(["00017", "2025-01-06", 6, None])
    sheet["D3"] = formula
    path = tmp_path / "formula.xlsx"
    workbook.save(path)
    return path.read_bytes()


@pytest.mark.parametrize(
    "formula",
    [ArrayFormula("D3", "=UPPER(A3)"), DataTableFormula(ref="D3", dt2D=False, dtr=False, r1="A1")],
    ids=["array formula", "data table formula"],
)
def test_array_and_data_table_formulas_are_refused_like_any_formula(tmp_path, kam, before, formula):
    path = write_file(tmp_path, formula_workbook(tmp_path, formula), name="ledger.xlsx")
    error = only_error(import_path(path, by=kam))
    assert (error["row"], error["column"]) == (3, "account_name")
    assert error["reason"] == "A formula: export the sheet with values only (paste as values)."
    assert ledger_snapshot() == before  # no account named "<openpyxl…ArrayFormula object at 0x…>"


def test_an_encoding_the_service_is_given_is_checked_too(tmp_path, kam):
    path = write_file(tmp_path, "account_external_id,date,amount\n00017,2025-01-05,1.50\n")
    with pytest.raises(ValidationError) as raised:
        create_batch(path, by=kam, encoding="rot13")
    assert "'rot13' is not a text encoding" in raised.value.message_dict["encoding"][0]
