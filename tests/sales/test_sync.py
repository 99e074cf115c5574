"""The ERP sync endpoint: lines inserted, corrected and deleted by line id and source time."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from sales.models import ImportBatch, MonthlySales, SalesLine
from tests.sales.rollup_sums import actual_rhythm, actual_rollups, assert_rollups_match_lines
from tests.sales.test_rollups_property import clear_ledger

pytestmark = pytest.mark.django_db

URL = "/api/v1/sales-lines/sync/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def line(n: int, amount: str = "10.00", at: str = "2025-01-20T08:00:00Z", **extra) -> dict:
    return {
        "line_external_id": f"ERP-{n}",
        "account_external_id": "00017",
        "date": "2025-01-15",
        "amount": amount,
        "updated_at": at,
        **extra,
    }


def sync(user, lines: list[dict]):
    return client_for(user).put(URL, {"lines": lines}, format="json")


def january_revenue(account) -> Decimal:
    return sum(
        (m.revenue for m in MonthlySales.objects.filter(account=account, month=dt.date(2025, 1, 1))),
        Decimal(0),
    )


def counts(response) -> tuple[int, int, int, int]:
    body = response.json()
    return body["inserted"], body["updated"], body["deleted"], body["unchanged"]


def test_new_lines_are_inserted_and_reported(head, account):
    response = sync(head, [line(1), line(2, amount="5.50", product_line="PIPES")])
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "done"
    assert counts(response) == (2, 0, 0, 0)
    assert january_revenue(account) == Decimal("15.50")
    stored = SalesLine.objects.get(external_id="ERP-1")
    assert stored.updated_at == dt.datetime(2025, 1, 20, 8, tzinfo=dt.UTC)
    assert_rollups_match_lines()


def test_a_corrected_amount_changes_the_monthly_rollup_by_exactly_the_difference(head, account):
    sync(head, [line(1, amount="100.00"), line(2, amount="40.00")])
    before = january_revenue(account)
    response = sync(head, [line(1, amount="130.25", at="2025-01-21T08:00:00Z")])
    assert counts(response) == (0, 1, 0, 0)
    assert january_revenue(account) - before == Decimal("30.25")
    assert_rollups_match_lines()


def test_a_line_moved_to_another_month_leaves_the_old_month(head, account):
    sync(head, [line(1, amount="100.00")])
    sync(head, [line(1, amount="100.00", date="2025-02-03", at="2025-02-04T00:00:00Z")])
    assert january_revenue(account) == 0
    assert MonthlySales.objects.get(account=account, month=dt.date(2025, 2, 1)).revenue == Decimal("100.00")
    assert_rollups_match_lines()


def test_a_deleted_line_leaves_the_ledger_and_the_rollups(head, account):
    sync(head, [line(1, amount="100.00"), line(2, amount="40.00")])
    deletion = {"line_external_id": "ERP-1", "updated_at": "2025-01-22T00:00:00Z", "deleted": True}
    response = sync(head, [deletion])
    assert counts(response) == (0, 0, 1, 0)
    assert not SalesLine.objects.filter(external_id="ERP-1").exists()
    assert january_revenue(account) == Decimal("40.00")
    assert_rollups_match_lines()


def test_deleting_the_last_line_of_an_account_empties_its_rollups(head, account):
    sync(head, [line(1)])
    sync(head, [{"line_external_id": "ERP-1", "updated_at": "2025-02-01T00:00:00Z", "deleted": True}])
    assert actual_rollups() == ({}, {})
    assert actual_rhythm() == {}


def test_the_same_payload_twice_changes_nothing_the_second_time(head, account):
    lines = [line(1), line(2, amount="-3.00"), {**line(3), "deleted": True}]
    first = sync(head, lines)
    assert counts(first) == (2, 0, 0, 1)
    snapshot = (list(SalesLine.objects.values()), actual_rollups(), actual_rhythm())
    again = sync(head, lines)
    assert again.status_code == 200
    assert counts(again) == (0, 0, 0, 3)
    assert (list(SalesLine.objects.values()), actual_rollups(), actual_rhythm()) == snapshot


def test_an_older_or_equal_version_is_ignored(head, account):
    sync(head, [line(1, amount="100.00", at="2025-01-20T08:00:00Z")])
    stale = sync(head, [line(1, amount="1.00", at="2025-01-19T08:00:00Z")])
    same_time = sync(head, [line(1, amount="2.00", at="2025-01-20T09:00:00+01:00")])
    deletion = {"line_external_id": "ERP-1", "updated_at": "2025-01-01T00:00", "deleted": True}
    late_delete = sync(head, [deletion])
    assert [counts(r) for r in (stale, same_time, late_delete)] == [(0, 0, 0, 1)] * 3
    assert SalesLine.objects.get(external_id="ERP-1").amount == Decimal("100.00")
    assert january_revenue(account) == Decimal("100.00")


def test_a_line_imported_without_a_source_time_is_corrected_by_any_sync(head, account):
    imported = {key: value for key, value in line(1, amount="7").items() if key != "updated_at"}
    client_for(head).post("/api/v1/sales-lines/bulk/", {"lines": [imported]}, format="json")
    response = sync(head, [line(1, amount="8.00")])
    assert counts(response) == (0, 1, 0, 0)
    assert january_revenue(account) == Decimal("8.00")


def test_a_bad_row_refuses_the_request_and_writes_nothing(head, account):
    sync(head, [line(1, amount="100.00")])
    snapshot = (list(SalesLine.objects.values()), actual_rollups(), actual_rhythm())
    lines = [
        line(1, amount="150.00", at="2025-02-01T00:00:00Z"),
        line(2, amount="ten"),
        line(3, at="yesterday"),
        {"line_external_id": "ERP-4", "updated_at": "2025-02-01T00:00:00Z", "deleted": "yes"},
        line(1, at="2025-02-02T00:00:00Z"),
        {**line(6), "colour": "red"},
    ]
    response = sync(head, lines)
    body = response.json()
    assert response.status_code == 400
    assert body["status"] == "refused"
    assert [(e["row"], e["column"]) for e in body["errors"]] == [
        (2, "amount"), (3, "updated_at"), (4, "deleted"), (5, "line_external_id"), (6, "colour"),
    ]  # fmt: skip
    assert all(e["reason"] for e in body["errors"])
    assert (list(SalesLine.objects.values()), actual_rollups(), actual_rhythm()) == snapshot


def test_a_line_without_id_or_time_is_refused(head, account):
    lines = [{k: v for k, v in line(1).items() if k != "line_external_id"}, {**line(2), "updated_at": None}]
    body = sync(head, lines).json()
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(1, "line_external_id"), (2, "updated_at")]
    assert not SalesLine.objects.exists()


def test_only_those_who_may_import_may_sync(kam, analyst, account):
    assert sync(kam, [line(1)]).status_code == 403
    assert sync(analyst, [line(1)]).status_code == 403
    assert APIClient().put(URL, {"lines": [line(1)]}, format="json").status_code == 401
    assert not SalesLine.objects.exists()


def test_a_sync_batch_is_kept_with_its_report(head, account):
    sync(head, [line(1), line(2)])
    batch = ImportBatch.objects.get()
    assert (batch.source, batch.status, batch.inserted, batch.rows) == ("api_sync", "done", 2, 2)
    assert "2 inserted" in batch.message


ACCOUNTS = ("S-1", "S-2")
DAYS = (dt.date(2024, 1, 31), dt.date(2024, 2, 1), dt.date(2024, 2, 29), dt.date(2024, 12, 31))
sync_line = st.fixed_dictionaries(
    {
        "line_external_id": st.sampled_from(("A", "B", "C", "D")),
        "account_external_id": st.sampled_from(ACCOUNTS),
        "date": st.sampled_from(DAYS).map(dt.date.isoformat),
        "amount": st.integers(-10_000, 10_000).map(lambda c: str(Decimal(c).scaleb(-2))),
        "updated_at": st.integers(0, 5).map(lambda h: f"2025-01-01T0{h}:00:00Z"),
    },
    optional={
        "margin": st.integers(-1000, 1000).map(str),
        "product_line": st.sampled_from(("PL-A", "PL-B")),
        "deleted": st.booleans(),
    },
)


def unique_ids(lines: list[dict]) -> list[dict]:
    seen: dict[str, dict] = {}
    for item in lines:
        seen[item["line_external_id"]] = item
    return list(seen.values())


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@pytest.mark.slow(10)
@given(requests=st.lists(st.lists(sync_line, min_size=1, max_size=5).map(unique_ids), min_size=1, max_size=6))
def test_rollups_equal_the_sums_of_the_lines_after_any_syncs(head, requests):
    with transaction.atomic():
        clear_ledger()
        expected: dict[str, tuple[str, dict]] = {}  # line id → (source time, values), deleted: gone
        for lines in requests:
            response = sync(head, lines)
            assert response.status_code == 200, response.json()
            for item in lines:
                stored = expected.get(item["line_external_id"])
                if stored is not None and item["updated_at"] <= stored[0]:
                    continue
                if item.get("deleted"):
                    expected.pop(item["line_external_id"], None)
                elif stored is None or item["updated_at"] > stored[0]:
                    expected[item["line_external_id"]] = (item["updated_at"], item)
            got = {
                external_id: (str(amount), account)
                for external_id, amount, account in SalesLine.objects.values_list(
                    "external_id", "amount", "account__external_id"
                )
            }
            assert got == {
                key: (str(Decimal(item["amount"])), item["account_external_id"])
                for key, (_at, item) in expected.items()
            }
            assert_rollups_match_lines()
        transaction.set_rollback(True)


def test_broken_text_is_reported_not_stored(head, account):
    lines = [
        {**line(1), "colour\x00": "red"},
        {**line(2), "line_external_id": "ERP-\x00"},
        {"line_external_id": "\ud800", "updated_at": "2025-01-01T00:00:00Z", "deleted": True},
        {**line(4), "amount": "1\x00"},
        {**line(5), "line_external_id": "X" * 65},
    ]
    body = json.dumps({"lines": lines})  # escaped: the lone surrogate travels as \\ud800
    response = client_for(head).put(URL, body, content_type="application/json")
    assert response.status_code == 400
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [
        (1, "colour\\0"), (2, "line_external_id"), (3, "line_external_id"), (4, "amount"),
        (5, "line_external_id"),
    ]  # fmt: skip
    assert not SalesLine.objects.exists()
