"""Who is in a run and what counts as a purchase date, through the real import and run."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Account
from analysis.models import AccountSegment
from analysis.services import run_create, run_execute
from sales.services import sales_lines_bulk_import

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2025, 12, 31)


def _import(by, rows):
    lines = [
        {"line_external_id": f"L{i}", "account_external_id": account, "date": day, "amount": amount}
        for i, (account, day, amount) in enumerate(rows)
    ]
    batch = sales_lines_bulk_import(by=by, lines=lines)
    assert batch.status == "done", batch.errors


@pytest.fixture
def run(admin_user):
    _import(
        admin_user,
        [
            ("BUYER", "2025-10-03", "500.00"),
            ("BUYER", "2025-11-03", "500.00"),
            ("FREE", "2025-11-20", "0.00"),  # a free delivery: its only order
            ("RETURNS", "2025-11-25", "-40.00"),  # nothing but a return
            ("MIXED", "2025-09-01", "100.00"),
            ("MIXED", "2025-12-01", "300.00"),
            ("MIXED", "2025-12-01", "-450.00"),  # a purchase and a bigger return on one day
        ],
    )
    return run_execute(run=run_create(by=None, as_of=AS_OF, trigger="command"))


def _segment(run, external_id) -> AccountSegment:
    return AccountSegment.objects.get(run=run, account__external_id=external_id)


def test_every_account_with_a_line_is_in_the_run(run):
    assert set(run.segments.values_list("account__external_id", flat=True)) == {
        "BUYER", "FREE", "RETURNS", "MIXED"
    }  # fmt: skip
    assert run.account_count == 4


def test_a_zero_amount_line_is_a_delivery_so_its_date_is_a_purchase_date(run):
    free = _segment(run, "FREE")
    assert (free.purchase_dates, free.last_purchase, free.abc_class) == (1, dt.date(2025, 11, 20), "C")
    assert free.days_since_last_purchase == 41 and free.churn_status == "active"


def test_a_day_of_returns_only_is_not_a_purchase_date(run):
    returns = _segment(run, "RETURNS")
    assert (returns.purchase_dates, returns.last_purchase, returns.days_since_last_purchase) == (
        0,
        None,
        None,
    )
    assert returns.abc_class == "C" and returns.churn_status == "lost"


def test_a_day_with_a_purchase_and_a_bigger_return_is_a_purchase_date(run):
    mixed = _segment(run, "MIXED")
    assert (mixed.purchase_dates, mixed.last_purchase) == (2, dt.date(2025, 12, 1))


def test_the_export_and_the_segment_list_show_every_account(run, head, client):
    out = StringIO()
    call_command("export_segments", "--run", str(run.pk), stdout=out)
    exported = {line.split(",")[0] for line in out.getvalue().splitlines()[1:]}
    assert exported == {"BUYER", "FREE", "RETURNS", "MIXED"}
    Account.objects.update(department=head.departments.first())
    client.force_login(head)
    page = client.get("/analysis/segments/", {"run": run.pk}).content.decode()
    for name in Account.objects.values_list("name", flat=True):
        assert name in page
