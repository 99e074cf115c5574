"""Bad ledger files: each is refused with row, column, value and reason, and writes nothing at all.

Every test starts from a ledger that already holds one import (so rollups exist to be disturbed)
and ends by comparing the whole ledger with the snapshot taken before the bad file.
"""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from sales.models import ImportBatch
from sales.services import ERRORS_KEPT
from tests.sales.ledger_files import (
    create_batch,
    import_file,
    import_path,
    ledger_snapshot,
    only_error,
    write_file,
    write_xlsx,
)

pytestmark = pytest.mark.django_db

HEADER = "account_external_id,date,amount"


def refused_one_row(tmp_path, kam, row: str, header: str = HEADER, **options) -> dict:
    batch = import_file(tmp_path, f"{header}\n00017,2024-03-01,5.00\n{row}\n", by=kam, **options)
    error = only_error(batch)
    assert batch.message == "1 row has problems; nothing was imported."
    assert batch.inserted == 0
    return error


def test_a_missing_required_column_is_named(tmp_path, kam, before):
    batch = import_file(tmp_path, "account_external_id,date\n00017,2024-03-01\n", by=kam)
    error = only_error(batch)
    assert error["row"] == 1
    assert error["reason"].startswith("Required column missing: amount.")
    assert "amount=YourColumn" in error["reason"]
    assert batch.message == error["reason"]
    assert ledger_snapshot() == before


def test_an_unknown_column_without_a_mapping_is_named(tmp_path, kam, before):
    batch = import_file(tmp_path, f"{HEADER},colour\n00017,2024-03-01,5.00,red\n", by=kam)
    error = only_error(batch)
    assert (error["row"], error["column"]) == (1, "colour")
    assert error["reason"].startswith("Unknown column 'colour': map it to a field")
    assert ledger_snapshot() == before


def test_a_date_in_another_format_is_refused(tmp_path, kam, before):
    error = refused_one_row(tmp_path, kam, "00017,05/03/2024,5.00")
    assert error == {
        "row": 3,
        "column": "date",
        "value": "05/03/2024",
        "reason": "Not a date in the format YYYY-MM-DD.",
    }
    assert ledger_snapshot() == before


def test_an_impossible_date_is_refused(tmp_path, kam, before):
    error = refused_one_row(tmp_path, kam, "00017,2023-02-30,5.00")
    assert (error["row"], error["column"], error["value"]) == (3, "date", "2023-02-30")
    assert error["reason"] == "Not a date in the format YYYY-MM-DD."
    assert ledger_snapshot() == before


def test_a_non_numeric_amount_is_refused(tmp_path, kam, before):
    error = refused_one_row(tmp_path, kam, "00017,2024-03-02,ten euros")
    assert (error["row"], error["column"], error["value"]) == (3, "amount", "ten euros")
    assert error["reason"] == "Not an amount (digits, optional sign, at most 2 decimals)."
    assert ledger_snapshot() == before


def test_an_amount_with_three_decimals_is_refused(tmp_path, kam, before):
    error = refused_one_row(tmp_path, kam, "00017,2024-03-02,10.005")
    assert (error["row"], error["column"], error["value"]) == (3, "amount", "10.005")
    assert "at most 2 decimals" in error["reason"]
    assert ledger_snapshot() == before


def test_an_empty_file_is_refused_before_a_batch_exists(tmp_path, kam, before):
    path = write_file(tmp_path, b"")
    with pytest.raises(ValidationError) as raised:
        create_batch(path, by=kam)
    assert raised.value.message_dict == {"file": ["The file is empty (0 bytes)."]}
    assert ImportBatch.objects.count() == 1  # the earlier import only
    assert ledger_snapshot() == before


def test_a_header_without_rows_is_refused(tmp_path, kam, before):
    batch = import_file(tmp_path, f"{HEADER}\n\n", by=kam)
    error = only_error(batch)
    assert error["row"] == 2
    assert error["reason"] == "The file has a header but no rows."
    assert batch.rows == 0
    assert ledger_snapshot() == before


def test_a_file_of_whitespace_is_refused_as_empty(tmp_path, kam, before):
    batch = import_file(tmp_path, "   \n\t\n  \n", by=kam)
    error = only_error(batch)
    assert error["row"] == 1
    assert error["reason"] == "The file is empty: expected a header row with the column names."
    assert ledger_snapshot() == before


def test_a_line_id_twice_in_one_file_names_both_rows(tmp_path, kam, before):
    batch = import_file(
        tmp_path,
        "account_external_id,date,amount,line_external_id\n"
        "NEW-1,2024-03-01,5.00,INV-7\n"
        "00017,2024-03-02,6.00,INV-8\n"
        "00017,2024-03-03,7.00,INV-7\n",
        by=kam,
    )
    error = only_error(batch)
    assert (error["row"], error["column"], error["value"]) == (4, "line_external_id", "INV-7")
    assert error["reason"] == "The line id INV-7 already appears in row 2 of this file."
    assert ledger_snapshot() == before  # NEW-1 is not created either


def test_cp1252_bytes_read_as_utf8_are_refused_then_import_with_the_encoding(tmp_path, kam, before):
    content = "account_external_id,account_name,date,amount\nC-9,Café Müller €,2024-03-01,5.00\n"
    path = write_file(tmp_path, content.encode("cp1252"))

    refused = import_path(path, by=kam)
    error = only_error(refused)
    assert error["reason"].startswith("The file is not valid utf-8 text.")
    assert "cp1252" in error["reason"]
    assert ledger_snapshot() == before

    done = import_path(path, by=kam, encoding="cp1252")
    assert done.status == ImportBatch.Status.DONE, done.errors
    assert (done.inserted, done.accounts_created) == (1, 1)
    line = done.lines.get()
    assert line.account.name == "Café Müller €"


def test_an_xlsx_formula_is_refused(tmp_path, kam, before):
    path = write_xlsx(
        tmp_path,
        [
            ["account_external_id", "date", "amount"],
            ["00017", dt.date(2024, 3, 1), 5],
            ["00017", "2024-03-02", "=2*5"],
        ],
    )
    error = only_error(import_path(path, by=kam))
    assert (error["row"], error["column"], error["value"]) == (3, "amount", "=2*5")
    assert error["reason"].startswith("A formula")
    assert ledger_snapshot() == before


def test_an_xlsx_with_merged_cells_is_refused(tmp_path, kam, before):
    path = write_xlsx(
        tmp_path,
        [
            ["account_external_id", "date", "amount"],
            ["00017", dt.date(2024, 3, 1), 5],
            [None, dt.date(2024, 3, 2), 6],
        ],
        merge="A2:A3",
    )
    error = only_error(import_path(path, by=kam))
    assert "merged cells" in error["reason"]
    assert ledger_snapshot() == before


def test_an_unknown_account_is_refused_when_creating_accounts_is_off(tmp_path, kam, before):
    error = refused_one_row(tmp_path, kam, "NEW-1,2024-03-02,6.00", create_accounts=False)
    assert error == {
        "row": 3,
        "column": "account_external_id",
        "value": "NEW-1",
        "reason": "No account has the external id NEW-1 (creating accounts is switched off).",
    }
    assert ledger_snapshot() == before


def test_every_bad_row_is_counted_and_the_first_thousand_problems_kept(tmp_path, kam, before):
    rows = [f"00017,2024-13-{n % 28 + 1:02d},{n}.999" for n in range(1, 601)]  # two problems each
    rows += [f"00017,2024-03-01,{n}.00,PIPES" for n in range(1, 51)]  # fine
    batch = import_file(tmp_path, "\n".join([f"{HEADER},product_line", *rows]), by=kam)
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.rows == 650
    assert batch.error_count == 1200
    assert len(batch.errors) == ERRORS_KEPT
    assert batch.message == "600 rows have problems; nothing was imported."
    assert batch.errors[:2] == [
        {"row": 2, "column": "date", "value": "2024-13-02", "reason": "Not a date in the format YYYY-MM-DD."},
        {"row": 2, "column": "amount", "value": "1.999", "reason": batch.errors[1]["reason"]},
    ]
    assert batch.errors[-1]["row"] == 501  # rows 2..501 carry the first 1,000 problems
    assert ledger_snapshot() == before


def test_problems_of_different_rows_and_columns_are_all_listed(tmp_path, kam, before):
    batch = import_file(
        tmp_path,
        "account_external_id,date,amount,quantity,margin\n"
        ",2024-03-01,5.00,,\n"
        "00017,,5.00,1.2345,\n"
        "00017,2024-03-01,,,1,5\n"
        "00017,2024-03-01,7.00,2,1.5\n",
        by=kam,
    )
    found = [(e["row"], e["column"]) for e in batch.errors]
    assert found == [(2, "account_external_id"), (3, "date"), (3, "quantity"), (4, "amount")]
    assert batch.errors[1]["reason"] == "Required: the date."
    assert batch.errors[3]["reason"] == "Required: the amount."
    assert ledger_snapshot() == before


def test_more_than_a_thousand_rows_of_unknown_accounts_are_all_counted(tmp_path, kam, before):
    # Once looked up with LIMIT 1000: the rows past it went uncounted.
    rows = [f"NEW-{n % 3},2024-03-01,{n}.00" for n in range(1200)]
    batch = import_file(tmp_path, "\n".join([HEADER, *rows]), by=kam, create_accounts=False)
    assert batch.status == ImportBatch.Status.REFUSED
    assert len(batch.errors) == ERRORS_KEPT
    assert batch.error_count == 1200
    assert batch.message == "1200 rows have problems; nothing was imported."
    assert ledger_snapshot() == before


def test_skip_invalid_reports_every_dropped_row_of_an_unknown_account(tmp_path, kam, before):
    rows = [f"NEW-{n % 3},2024-03-01,{n}.00" for n in range(1200)] + ["00017,2024-03-01,1.00"]
    batch = import_file(
        tmp_path, "\n".join([HEADER, *rows]), by=kam, create_accounts=False, skip_invalid=True
    )
    assert batch.status == ImportBatch.Status.DONE
    assert (batch.inserted, batch.rejected, batch.error_count) == (1, 1200, 1200)
    with batch.rejects.open("r") as handle:
        rejected = list(csv.DictReader(handle))
    assert len(rejected) == 1200
    assert rejected[-1]["row"] == "1201"
    assert (rejected[-1]["account_external_id"], rejected[-1]["amount"]) == ("NEW-2", "1199.00")
    assert len(ledger_snapshot()["lines"]) == len(before["lines"]) + 1
    assert ledger_snapshot()["accounts"] == before["accounts"]


def test_the_refusal_message_counts_rows_not_problems(tmp_path, kam, before):
    batch = import_file(
        tmp_path,
        "account_external_id,date,amount,line_external_id\nNEW-1,2024-03-01,5.00,X\nNEW-1,2024-03-02,6.00,X\n",
        by=kam,
        create_accounts=False,
    )
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.error_count == 3  # row 3 repeats X; rows 2 and 3 name NEW-1
    assert batch.message == "2 rows have problems; nothing was imported."


def test_a_bad_byte_deep_in_a_file_is_reported_at_its_row(tmp_path, kam, before):
    rows = [f"A{n},2024-03-01,1.00" for n in range(3000)]  # rows 2 to 3001
    content = "\n".join([HEADER, *rows, "Ä,2024-03-01,1.00"]).encode("cp1252")  # row 3002
    error = only_error(import_file(tmp_path, content, by=kam))
    assert ledger_snapshot() == before
    assert error["row"] == 3002


def test_a_nul_byte_in_a_cell_is_refused_with_its_row_and_column(tmp_path, kam, before):
    batch = import_file(tmp_path, f"{HEADER},sku\n00017,2024-03-01,1.00,AB\x00C\n", by=kam)
    error = only_error(batch)
    assert (error["row"], error["column"]) == (2, "sku")
    assert ledger_snapshot() == before


def test_a_repeated_file_with_line_ids_and_bad_rows_is_refused_for_its_rows(tmp_path, kam, account):
    path = write_file(tmp_path, "account_external_id,date,amount,line_external_id\n00017,01.03.2024,5.00,A\n")
    assert import_path(path, by=kam, date_format="%d.%m.%Y").status == ImportBatch.Status.DONE
    before = ledger_snapshot()
    batch = import_path(path, by=kam)  # the same bytes, without the date format
    assert ledger_snapshot() == before
    assert batch.status == ImportBatch.Status.REFUSED
    assert batch.message == "1 row has problems; nothing was imported."


def test_a_refused_batch_reports_no_accounts_created(tmp_path, kam, before):
    batch = import_file(
        tmp_path,
        "account_external_id,date,amount,line_external_id\nNEW-1,2024-03-01,5.00,X\nNEW-2,2024-03-02,6.00,X\n",
        by=kam,
    )
    assert batch.status == ImportBatch.Status.REFUSED
    assert ledger_snapshot() == before
    assert batch.accounts_created == 0
