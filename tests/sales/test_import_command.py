"""manage.py import_sales, end to end: a mapped file checked, imported, then a bad one refused."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from sales.models import ImportBatch, SalesLine
from tests.sales.ledger_files import ledger_snapshot, write_file

pytestmark = pytest.mark.django_db

MAP = ["--map", "account_external_id=Kunde", "--map", "date=Datum", "--map", "amount=Betrag"]


def import_sales(*args: str) -> str:
    out = io.StringIO()
    call_command("import_sales", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_import_sales_checks_imports_and_refuses(tmp_path, kam, account):
    path = write_file(
        tmp_path,
        "Kunde;Datum;Betrag;line_external_id\n00017;01.03.2024;5,50;A\nNEW-1;02.03.2024;-1,25;B\n",
    )
    before = ledger_snapshot()

    output = import_sales(str(path), *MAP, "--date-format", "%d.%m.%Y", "--dry-run", "--user", "owner")
    assert "Checked (dry run, nothing written)" in output
    assert "lines inserted:       2" in output
    assert "accounts created:     1" in output
    assert ledger_snapshot() == before
    checked = ImportBatch.objects.get()
    assert (checked.status, checked.source, checked.created_by) == ("checked", "command", kam)

    output = import_sales(str(path), *MAP, "--date-format", "%d.%m.%Y", "--user", "owner")
    assert ": Imported in " in output
    assert sorted(SalesLine.objects.values_list("account__external_id", "amount")) == [
        ("00017", Decimal("5.50")),
        ("NEW-1", Decimal("-1.25")),
    ]

    imported = ledger_snapshot()
    bad = write_file(tmp_path, "Kunde;Datum;Betrag\n00017;2024-03-05;1,005\nNEW-2;2024-03-05;x\n")
    with pytest.raises(CommandError) as raised:
        import_sales(str(bad), *MAP)
    assert str(raised.value) == (
        f"Import #{ImportBatch.objects.first().pk} refused (bad input): "
        "2 rows have problems; nothing was imported."
    )
    assert ledger_snapshot() == imported


def test_import_sales_refuses_a_file_it_cannot_read(tmp_path, account):
    path = write_file(tmp_path, "Kunde,Datum,Betrag\n00017,2024-03-01,5.00\n")
    with pytest.raises(CommandError, match="Unknown column 'Kunde'"):
        import_sales(str(path))
    with pytest.raises(CommandError, match="--map colour=Kunde: expected FIELD=Column"):
        import_sales(str(path), "--map", "colour=Kunde")
    with pytest.raises(CommandError, match="No file at"):
        import_sales(str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match=r"The file is empty \(0 bytes\)"):
        import_sales(str(write_file(tmp_path, b"")))
    assert not SalesLine.objects.exists()
