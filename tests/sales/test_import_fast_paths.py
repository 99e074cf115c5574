"""The import's set-based roads on PostgreSQL give what the row-by-row road gives.

A plain CSV file is parsed by PostgreSQL and checked in SQL; a batch large against the ledger is
written with the ledger's secondary indexes dropped and rebuilt. Each test runs the same input
both ways, or checks that nothing of the ledger's shape changed.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from accounts import bulk as account_writes
from accounts.models import Account
from common import bulk_indexes as indexes
from sales.importing.plain_csv import PlainCsv
from sales.models import ImportBatch, SalesLine
from tests.sales.ledger_files import import_file, ledger_snapshot
from tests.sales.rollup_sums import assert_rollups_match_lines

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based roads are PostgreSQL's"),
]

# Cells the SQL rules take as they are, and cells only RowValidator can judge: spaces to strip,
# signs, no-break spaces, dates with a time, impossible dates, long ids, blank rows.
TRICKY = (
    "account_external_id,date,amount,account_name,quantity,margin,product_line,line_external_id,sku\n"
    "00017,2024-01-05,100.00,Acme,2,40.10,PIPES,T-1,SKU-1\n"
    " 00018 ,2024-01-06,+5,  Spaced Name  , 3 ,,  VALVES ,T-2,  S2  \n"
    "00019,2024-01-07 10:30,1 234.50,Bolt\u00a0,,,,T-3,\n"
    "00020,2024-02-30,7,Bad date,,,,T-4,\n"
    "00021,2024-03-01,12.345,Bad amount,,,,T-5,\n"
    ",2024-03-02,1,No account,,,,T-6,\n"
    ",,,,,,,,\n"
    "00022,2024-03-03,-4.5,Return,-1.5,-0.5,PIPES,,\n"
    f"00023,2024-03-04,1,Long id,,,,{'L' * 65},\n"
    "00017,2024-03-05,\u0661,Arabic digit,,,,T-8,\n"
    "00024, 2024-03-06 ,0,Free,0.001,0,PIPES,T-9,SKU-9\n"
    "00017,2024-03-07,3,Again,,,,T-1,\n"
)


def _forget_everything() -> None:
    SalesLine.objects.all().delete()
    ImportBatch.objects.all().delete()
    Account.objects.all().delete()


def _outcome(batch: ImportBatch) -> tuple:
    batch.refresh_from_db()
    lines = sorted(
        SalesLine.objects.values_list(
            "account__external_id", "date", "amount", "quantity", "margin", "product_line__code",
            "external_id", "sku",
        ),
        key=str,
    )  # fmt: skip
    accounts = sorted(Account.objects.values_list("external_id", "name"))
    counts = (batch.status, batch.rows, batch.inserted, batch.duplicates, batch.rejected, batch.error_count)
    return counts, batch.errors, lines, accounts


@pytest.mark.parametrize("skip_invalid", [False, True])
@pytest.mark.parametrize(
    ("content", "delimiter"),
    [(TRICKY, ","), (TRICKY.replace(",", ";").replace(".", ","), ";"), (TRICKY.replace("\n", "\r\n"), ",")],
    ids=["comma", "semicolon-decimal-comma", "crlf"],
)
def test_a_plain_file_is_read_as_the_row_by_row_road_reads_it(
    tmp_path, monkeypatch, content, delimiter, skip_invalid
):
    fast = _outcome(import_file(tmp_path, content, by=None, skip_invalid=skip_invalid))
    _forget_everything()
    monkeypatch.setattr(PlainCsv, "applies", staticmethod(lambda table: False))
    slow = _outcome(import_file(tmp_path, content, by=None, skip_invalid=skip_invalid))
    assert fast[0][0] == (ImportBatch.Status.DONE if skip_invalid else ImportBatch.Status.REFUSED)
    assert fast == slow


def _import_tables() -> list[str]:
    """The import's work tables that exist now, in any session's view of the catalog."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relname LIKE 'sales\\_import\\_%%'")
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.parametrize("skip_invalid", [False, True], ids=["refused", "done"])
def test_the_plain_road_leaves_no_table_behind(tmp_path, skip_invalid):
    """The file's text and its dates are in unlogged tables (which parallel workers can scan),
    not temporary ones: they must go before the import's transaction ends, either way."""
    batch = import_file(tmp_path, TRICKY, by=None, skip_invalid=skip_invalid)
    assert batch.status == (ImportBatch.Status.DONE if skip_invalid else ImportBatch.Status.REFUSED)
    assert batch.rows == 11
    assert _import_tables() == []


@pytest.mark.parametrize(
    "content",
    [
        '00017,2024-01-05,1,"Acme, Inc."\n',  # a quote: Python's CSV rules
        "00017,2024-01-05,1,Acme\n\n00018,2024-01-05,2,Bolt\n",  # a blank line
        "00017,2024-01-05,1,Acme\n00018,2024-01-05\n",  # a short row
        "00017,2024-01-05,1,Acme\n\\.\n00018,2024-01-05,2,Bolt\n",  # COPY's end-of-data mark
        "00017,2024-01-05,1,Acme\r\n00018,2024-01-05,2,Bolt\n",  # line ends that change
    ],
    ids=["quote", "blank-line", "short-row", "end-of-data-mark", "mixed-line-ends"],
)
def test_a_file_that_is_not_plain_goes_the_row_by_row_road(tmp_path, monkeypatch, content):
    content = "account_external_id,date,amount,account_name\n" + content
    fast = _outcome(import_file(tmp_path, content, by=None))
    _forget_everything()
    monkeypatch.setattr(PlainCsv, "applies", staticmethod(lambda table: False))
    slow = _outcome(import_file(tmp_path, content, by=None))
    assert fast == slow
    assert fast[0][0] in (ImportBatch.Status.DONE, ImportBatch.Status.REFUSED)


BULK_WRITTEN = ("accounts_account", "sales_salesline", "sales_monthlysales", "sales_dailysales")


def _ledger_shape() -> list[tuple]:
    """The indexes and constraints of the tables an import writes in bulk: the accounts, the ledger and
    the two rollups."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1, 2",
            [list(BULK_WRITTEN)],
        )
        found = list(cursor.fetchall())
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
            [list(BULK_WRITTEN)],
        )
        return found + list(cursor.fetchall())


@pytest.fixture
def every_batch_is_large(monkeypatch):
    """Any batch takes the drop-and-rebuild road for the indexes of the accounts, the ledger and the
    rollups."""
    monkeypatch.setattr(indexes, "REBUILD_MIN_ROWS", 1)
    monkeypatch.setattr(account_writes, "REBUILD_FROM", 1)
    monkeypatch.setattr(indexes, "REBUILD_MIN_SHARE", 0.0)


def test_a_large_batch_rebuilds_the_indexes_as_they_were(tmp_path, every_batch_is_large, before):
    shape = _ledger_shape()
    batch = import_file(
        tmp_path,
        "account_external_id,date,amount,product_line,line_external_id\n"
        "00017,2024-01-20,5.00,PIPES,INV-3\n"
        "NEW-1,2024-02-01,7.00,,INV-4\n"
        "00017,2024-01-05,100.00,PIPES,INV-1\n",
        by=None,
    )
    assert (batch.status, batch.inserted, batch.duplicates) == (ImportBatch.Status.DONE, 2, 1), batch.errors
    assert _ledger_shape() == shape
    assert_rollups_match_lines()


def test_a_refused_large_batch_leaves_the_ledger_and_its_indexes(tmp_path, every_batch_is_large, before):
    shape = _ledger_shape()
    batch = import_file(
        tmp_path,
        "account_external_id,date,amount,product_line,line_external_id\n00017,2024-01-20,5.00,PIPES,INV-3\n",
        by=None,
        dry_run=True,
    )
    assert batch.status == ImportBatch.Status.CHECKED, batch.errors
    assert ledger_snapshot() == before
    assert _ledger_shape() == shape


def test_new_accounts_with_a_department_gone_write_nothing(every_batch_is_large):
    """The foreign keys the new accounts share are checked once, before the rows go in with the
    row triggers off: a department deleted meanwhile still refuses the whole write."""
    existing = Account.objects.count()
    with pytest.raises(IntegrityError, match="department"), transaction.atomic():
        account_writes.accounts_copy_create(
            accounts=[("GONE-1", "Gone one"), ("GONE-2", "")],
            defaults=Account(status=Account.Status.ACTIVE, department_id=987_654_321),
        )
    assert Account.objects.count() == existing


def test_new_accounts_take_their_shared_keys(every_batch_is_large, kam):
    department = kam.departments.get()
    created = account_writes.accounts_copy_create(
        accounts=[("KEYS-1", "Keys one"), ("KEYS-2", "")],
        defaults=Account(status=Account.Status.ACTIVE, department=department),
    )
    assert created == 2
    assert sorted(
        Account.objects.filter(external_id__startswith="KEYS-").values_list("name", "department")
    ) == [
        ("KEYS-2", department.pk),
        ("Keys one", department.pk),
    ]
