"""What people read about sales imports and plans: the row report says what was wrong and where,
counts are pluralised, and the plan import's refusal counts its problems in words."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sales.importing.rows import RowValidator
from sales.importing.sources import ImportOptions

pytestmark = pytest.mark.django_db

COLUMNS = {"account_external_id": 0, "date": 1, "amount": 2, "quantity": 3}


def _errors(values):
    _staged, errors = RowValidator(COLUMNS, ImportOptions(), decimal_comma=False).validate(7, values)
    return errors


def test_a_bad_row_is_reported_with_its_row_column_value_and_a_sentence():
    errors = _errors(["", "31.02.2026", "12,5", "\N{ARABIC-INDIC DIGIT ONE}"])
    by_column = {e["column"]: e for e in errors}
    assert set(by_column) == {"account_external_id", "date", "amount", "quantity"}
    assert all(e["row"] == 7 for e in errors)
    assert by_column["account_external_id"]["reason"] == "Required: the account's external id."
    assert by_column["date"]["reason"] == "Not a date in the format YYYY-MM-DD."
    assert by_column["amount"]["value"] == "12,5"
    assert by_column["quantity"]["reason"].startswith("Not a quantity")
    assert "is not one of the digits 0-9" in by_column["quantity"]["reason"]


def test_one_refused_row_is_counted_in_the_singular(client, head):
    client.force_login(head)
    upload = SimpleUploadedFile("plans.csv", b"period,account_external_id,amount\n2026,nobody,-3\n")
    response = client.post(reverse("sales:plan-import"), {"file": upload, "encoding": "utf-8"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "2 problems found." in page and "The file has 1 row." in page
    assert "(s)" not in page


def test_a_plan_import_reports_its_rows_in_words(client, head, account):
    client.force_login(head)
    content = f"period,account_external_id,amount\n2026,{account.external_id},1000\n".encode()
    upload = SimpleUploadedFile("plans.csv", content)
    response = client.post(reverse("sales:plan-import"), {"file": upload, "encoding": "utf-8"}, follow=True)
    page = response.content.decode()
    assert "1 row read. Plans created: 1, updated: 0, unchanged: 0." in page


def test_the_import_pages_read_in_words(client, head):
    client.force_login(head)
    for name in ("sales:plans", "sales:plan-import", "sales:batches", "sales:upload"):
        page = client.get(reverse(name)).content.decode()
        assert "(s)" not in page, name
