"""API v1 of the segmentation: runs, segments and the matrix, scoped like everything else."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from analysis.models import AnalysisRun
from analysis.services import run_create, run_execute
from sales.services import sales_lines_bulk_import

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2025, 6, 30)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def run(admin_user, account, foreign_account):
    lines = [
        {"account_external_id": ext, "date": f"2025-0{m}-10", "amount": str(amount)}
        for ext, amount in ((account.external_id, 900), (foreign_account.external_id, 100))
        for m in range(1, 7)
    ]
    sales_lines_bulk_import(by=admin_user, lines=lines)
    return run_execute(run=run_create(by=None, as_of=AS_OF, trigger="command"))


def test_segments_of_the_latest_run_are_scoped_to_visible_accounts(kam, account, run):
    body = client_for(kam).get("/api/v1/segments/", {"run": "latest"}).json()
    assert [row["account_external_id"] for row in body["results"]] == ["00017"]
    assert body["results"][0]["abc_class"] == "A"


def test_segments_filter_by_class(head, run):
    body = client_for(head).get("/api/v1/segments/", {"abc_class": "B"}).json()
    assert [row["account_name"] for row in body["results"]] == ["Baltic Foods"]


def test_a_foreign_segment_is_404(kam, foreign_account, run):
    assert client_for(kam).get(f"/api/v1/segments/{foreign_account.pk}/").status_code == 404


def test_an_unknown_run_is_404(head, run):
    assert client_for(head).get("/api/v1/segments/", {"run": "9999"}).status_code == 404


def test_the_matrix_counts_only_what_the_caller_sees(kam, head, run):
    kam_matrix = client_for(kam).get("/api/v1/analysis/matrix/").json()
    head_matrix = client_for(head).get("/api/v1/analysis/matrix/").json()
    assert (kam_matrix["accounts"], head_matrix["accounts"]) == (1, 2)
    assert kam_matrix["total_value"] == "5400.00"
    a_row = next(row for row in head_matrix["rows"] if row["abc_class"] == "A")
    assert a_row["cells"][0] == {"xyz_class": "X", "count": 1, "value": "5400.00", "share": 0.9}


def test_a_head_starts_a_run_and_gets_it_back(head, run, celery_worker):
    response = client_for(head).post("/api/v1/analysis-runs/", {"as_of": "2025-05-31", "window_months": 3})
    assert response.status_code == 202, response.json()
    started = AnalysisRun.objects.get(pk=response.json()["id"])
    assert started.policy_values["window_months"] == 3


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"as_of": "2999-01-31"}, "as_of"),
        ({"abc_a": "0.99", "abc_b": "0.5"}, "policy"),
        ({"basis": "x"}, "basis"),
    ],
)
def test_bad_run_parameters_are_a_clear_400(head, run, payload, field):
    response = client_for(head).post("/api/v1/analysis-runs/", payload)
    assert response.status_code == 400
    assert field in response.json()
    assert AnalysisRun.objects.get() == run


def test_an_as_of_before_the_first_sale_is_a_clear_400_and_no_run_is_left(head, run):
    response = client_for(head).post("/api/v1/analysis-runs/", {"as_of": "2000-01-01"})
    assert response.status_code == 400
    assert response.json()["as_of"] == ["No sales on or before 2000-01-01: the ledger starts on 2025-01-10."]
    assert AnalysisRun.objects.get() == run


def test_a_run_on_an_empty_ledger_is_a_clear_400(head):
    response = client_for(head).post("/api/v1/analysis-runs/", {})
    assert response.status_code == 400
    assert response.json()["as_of"] == ["The ledger is empty: import sales first."]
    assert not AnalysisRun.objects.exists()


def test_a_run_before_any_sale_completes_empty_rather_than_failing(run):
    """The command and the nightly task take any date: the engine copes with no lines at all."""
    empty = run_execute(run=run_create(by=None, as_of=dt.date(2000, 1, 1), trigger="command"))
    assert (empty.status, empty.account_count, empty.error) == (AnalysisRun.Status.COMPLETE, 0, "")
    assert not empty.segments.exists()


def test_kams_and_analysts_cannot_start_runs(kam, analyst):
    assert client_for(kam).post("/api/v1/analysis-runs/", {}).status_code == 403
    assert client_for(analyst).post("/api/v1/analysis-runs/", {}).status_code == 403
