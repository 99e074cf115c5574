"""API v1 for the ledger: file imports, bulk JSON lines, sales lines."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.visibility import cached_subtree_ids as keep_visible_ids
from sales.models import ImportBatch, SalesLine
from sales.services import MAX_BULK_LINES
from tests.sales.test_pages import wait_until_finished

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def line(n: int, account: str = "00017", **extra) -> dict:
    return {
        "account_external_id": account,
        "date": "2025-01-15",
        "amount": "10.00",
        "line_external_id": f"L{n}",
        **extra,
    }


def test_bulk_lines_are_imported_and_reported(head, account):
    response = client_for(head).post(
        "/api/v1/sales-lines/bulk/", {"lines": [line(1), line(2)]}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["inserted"], response.json()["status"]) == (2, "done")
    again = client_for(head).post("/api/v1/sales-lines/bulk/", {"lines": [line(1), line(2)]}, format="json")
    assert (again.json()["inserted"], again.json()["duplicates"]) == (0, 2)


def test_bulk_with_a_bad_line_writes_nothing_and_says_where(head, account):
    lines = [line(1), line(2, amount="ten"), line(3, date="2025-02-30")]
    response = client_for(head).post("/api/v1/sales-lines/bulk/", {"lines": lines}, format="json")
    body = response.json()
    assert response.status_code == 400
    assert body["status"] == "refused"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(2, "amount"), (3, "date")]
    assert not SalesLine.objects.exists()


def test_bulk_lines_sent_twice_with_some_without_ids_are_refused_the_second_time(head, account):
    lines = [line(1), {**line(2), "line_external_id": ""}]
    first = client_for(head).post("/api/v1/sales-lines/bulk/", {"lines": lines}, format="json")
    assert (first.status_code, first.json()["inserted"]) == (201, 2)
    again = client_for(head).post("/api/v1/sales-lines/bulk/", {"lines": lines}, format="json")
    assert again.status_code == 400
    assert "1 row has no line id" in again.json()["message"]
    assert SalesLine.objects.count() == 2


def test_bulk_refuses_more_than_ten_thousand_lines(head, account):
    lines = [line(n) for n in range(MAX_BULK_LINES + 1)]
    response = client_for(head).post("/api/v1/sales-lines/bulk/", {"lines": lines}, format="json")
    assert response.status_code == 400
    assert "lines" in response.json()
    assert not ImportBatch.objects.exists()


def test_bulk_refuses_unknown_fields(head, account):
    response = client_for(head).post(
        "/api/v1/sales-lines/bulk/", {"lines": [line(1, colour="red")]}, format="json"
    )
    assert response.status_code == 400
    assert "Unknown field 'colour'" in response.json()["errors"][0]["reason"]


def test_file_import_through_the_api(head, account, celery_worker):
    content = b"account_external_id,date,amount,line_external_id\n00017,2025-01-05,1.50,X1\n"
    response = client_for(head).post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("l.csv", content)}, format="multipart"
    )
    assert response.status_code == 202, response.json()
    batch = wait_until_finished(ImportBatch.objects.get(pk=response.json()["id"]))
    body = client_for(head).get(f"/api/v1/imports/{batch.pk}/").json()
    assert (body["status"], body["inserted"]) == ("done", 1)


def test_file_import_options_are_validated(head, db):
    response = client_for(head).post(
        "/api/v1/imports/",
        {"file": SimpleUploadedFile("l.csv", b"a"), "delimiter": "|"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "delimiter" in response.json()


def test_sales_lines_are_scoped_to_visible_accounts(kam, account, foreign_account, admin_user):
    client_for(admin_user).post(
        "/api/v1/sales-lines/bulk/",
        {"lines": [line(1), line(2, account=foreign_account.external_id)]},
        format="json",
    )
    rows = client_for(kam).get("/api/v1/sales-lines/").json()["results"]
    assert [row["external_id"] for row in rows] == ["L1"]
    foreign_line = SalesLine.objects.get(external_id="L2")
    assert client_for(kam).get(f"/api/v1/sales-lines/{foreign_line.pk}/").status_code == 404


def test_sales_lines_list_runs_a_fixed_number_of_queries(kam, account, admin_user, django_assert_num_queries):
    client_for(admin_user).post(
        "/api/v1/sales-lines/bulk/", {"lines": [line(n) for n in range(40)]}, format="json"
    )
    client = client_for(kam)
    keep_visible_ids(kam)  # as after a first request: a KAM's account ids are kept (accounts.visibility)
    # 1 count of visible lines, 2 the page's line ids, 3 those lines with product line (batch is an id)
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/sales-lines/").json()["results"]) == 40
