"""The import pages and the Sales tab, end to end through the real task runner."""

from __future__ import annotations

import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from sales.models import ImportBatch, MonthlySales, SalesLine
from sales.services import sales_lines_bulk_import

LEDGER = (
    "account_external_id;date;amount;account_name;product_line;line_external_id\n"
    "00017;2025-01-05;100,50;Nordic Steel;STEEL;L1\n"
    "00017;2025-02-07;-10,00;Nordic Steel;STEEL;L2\n"
    "00099;2025-02-07;5;New Client;PIPES;L3\n"
)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, content: str | bytes = LEDGER, name: str = "ledger.csv", **options) -> ImportBatch:
    raw = content.encode() if isinstance(content, str) else content
    data = {"file": SimpleUploadedFile(name, raw), "encoding": "utf-8", **options}
    response = client.post("/sales/imports/new/", {"create_accounts": "on", **data})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return ImportBatch.objects.latest("pk")


def wait_until_finished(batch: ImportBatch, seconds: float = 30) -> ImportBatch:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.is_finished:
            return batch
        time.sleep(0.1)
    raise AssertionError(f"import #{batch.pk} still {batch.status}")


def test_upload_preview_start_and_report(head, account, celery_worker):
    client = logged_in(head)
    batch = upload(client)
    preview = client.get(f"/sales/imports/{batch.pk}/")
    assert preview.context["preview"]["delimiter"] == "semicolon"
    assert ("amount", "amount") in preview.context["preview"]["header"]
    assert "100,50" in preview.content.decode()
    assert not SalesLine.objects.exists()  # nothing before the import is started

    client.post(f"/sales/imports/{batch.pk}/start/")
    batch = wait_until_finished(batch)

    assert (batch.status, batch.inserted, batch.accounts_created) == ("done", 3, 1)
    page = client.get(f"/sales/imports/{batch.pk}/").content.decode()
    assert "Lines inserted" in page
    assert MonthlySales.objects.filter(account=account).count() == 2


def test_a_refused_file_shows_every_problem(head, account, celery_worker):
    client = logged_in(head)
    batch = upload(client, "account_external_id,date,amount\n00017,2025-13-01,1\n00017,2025-01-01,abc\n")
    client.post(f"/sales/imports/{batch.pk}/start/")
    batch = wait_until_finished(batch)
    page = client.get(f"/sales/imports/{batch.pk}/").content.decode()
    assert batch.status == "refused"
    assert "Not a date in the format YYYY-MM-DD" in page
    assert "Not an amount" in page
    assert not SalesLine.objects.exists()


def test_the_preview_names_an_unknown_column_and_the_mapping_fixes_it(head, db):
    client = logged_in(head)
    batch = upload(client, "account_external_id,OrderDate,amount\nA1,2025-01-01,1\n")
    page = client.get(f"/sales/imports/{batch.pk}/").content.decode()
    assert "Unknown column &#x27;OrderDate&#x27;" in page
    client.post(f"/sales/imports/{batch.pk}/options/", {"mapping": "date=OrderDate", "encoding": "utf-8"})
    preview = client.get(f"/sales/imports/{batch.pk}/").context["preview"]
    assert ("OrderDate", "date") in preview["header"]


def test_upload_form_refuses_an_empty_file_next_to_the_field(head, db):
    response = logged_in(head).post(
        "/sales/imports/new/", {"file": SimpleUploadedFile("empty.csv", b""), "encoding": "utf-8"}
    )
    assert "file" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_sales_tab_shows_the_accounts_sales_only(kam, account, foreign_account, admin_user):
    lines = [
        {
            "account_external_id": account.external_id,
            "date": "2025-03-03",
            "amount": "1234.50",
            "line_external_id": "a",
        },
        {
            "account_external_id": foreign_account.external_id,
            "date": "2025-03-03",
            "amount": "99",
            "line_external_id": "b",
        },
    ]
    sales_lines_bulk_import(by=admin_user, lines=lines)
    page = logged_in(kam).get(f"/accounts/{account.pk}/sales/")
    html = page.content.decode()
    assert "1,234 EUR" in html or "1,235 EUR" in html
    assert page.context["summary"]["purchase_dates"] == 1
    assert logged_in(kam).get(f"/accounts/{foreign_account.pk}/sales/").status_code == 404


def test_the_yearly_margin_says_how_many_lines_carried_one(kam, account, admin_user):
    """A year without any margin shows none (not 0 EUR); a year with a margin on some lines says on
    how many: 40 EUR of margin over 1,000 EUR of revenue is no 4 % margin when one line of two has it."""
    lines = [
        {"account_external_id": account.external_id, "date": day, "amount": "500", "line_external_id": ref,
         "margin": margin}
        for day, ref, margin in (("2024-05-02", "m1", "40"), ("2024-06-02", "m2", ""),
                                 ("2025-05-02", "n1", ""), ("2025-06-02", "n2", ""))
    ]  # fmt: skip
    assert sales_lines_bulk_import(by=admin_user, lines=lines).status == "done"
    page = logged_in(kam).get(f"/accounts/{account.pk}/sales/")
    years = {
        y["month__year"]: (y["margin"], y["margin_lines"], y["lines"])
        for y in page.context["summary"]["years"]
    }
    assert years == {2024: (40, 1, 2), 2025: (0, 0, 2)}
    html = page.content.decode()
    assert "on 1 of 2 lines" in html
    assert 'title="No line of this year carried a margin."' in html


def test_an_admin_rolls_a_batch_back_from_its_page(admin_user, account):
    batch = sales_lines_bulk_import(
        by=admin_user, lines=[{"account_external_id": "00017", "date": "2025-03-03", "amount": "10"}]
    )
    logged_in(admin_user).post(f"/sales/imports/{batch.pk}/rollback/")
    batch.refresh_from_db()
    assert batch.status == "rolled_back"
    assert not SalesLine.objects.exists()
    assert not MonthlySales.objects.exists()
