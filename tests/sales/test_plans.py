"""Sales plans: who sees and sets them, the optimistic lock, plan vs actual and its forecast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from common.errors import StaleEditError
from sales import forecast as fc
from sales.models import ImportBatch, SalesPlan
from sales.periods import parse
from sales.plan_scope import plan_queryset
from sales.plan_selectors import plan_rows
from sales.plan_services import plan_create, plan_delete, plan_update
from sales.services import sales_lines_bulk_import
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db
Q4 = parse("2026Q4")
TODAY = dt.date(2026, 11, 15)


def sell(*lines: tuple) -> None:
    """Ledger lines (account, date, amount[, product line]) through the real import."""
    admin = UserFactory(username="ledger-admin", role=User.Role.ADMIN)
    rows = [
        {"account_external_id": a.external_id, "date": d, "amount": str(v), "product_line": (rest or [""])[0]}
        for a, d, v, *rest in lines
    ]
    batch = sales_lines_bulk_import(by=admin, lines=rows)
    assert batch.status == ImportBatch.Status.DONE, batch.errors


@pytest.fixture
def plans(account, foreign_account, kam, outsider, department, head):
    return {
        "account": plan_create(by=head, period=Q4, amount=Decimal(1000), account=account),
        "foreign": plan_create(by=head, period=Q4, amount=Decimal(500), account=foreign_account),
        "kam": plan_create(by=head, period=Q4, amount=Decimal(2000), kam=kam),
        "outsider": plan_create(by=head, period=Q4, amount=Decimal(700), kam=outsider),
        "department": plan_create(by=head, period=Q4, amount=Decimal(9000), department=department),
    }


def test_a_kam_sees_their_own_kam_plan_and_their_accounts_plans_only(kam, plans):
    assert set(plan_queryset(user=kam)) == {plans["account"], plans["kam"]}


def test_a_head_sees_every_plan_of_their_department_and_the_other_head_none(head, other_head, plans):
    assert set(plan_queryset(user=head)) == set(plans.values())
    assert not plan_queryset(user=other_head).exists()


def test_analysts_and_admins_see_every_plan(analyst, admin_user, plans):
    assert plan_queryset(user=analyst).count() == plan_queryset(user=admin_user).count() == len(plans)


def test_kams_and_analysts_cannot_set_plans(kam, analyst, account):
    for user in (kam, analyst):
        with pytest.raises(PermissionDenied):
            plan_create(by=user, period=Q4, amount=Decimal(1), account=account)


def test_a_head_cannot_plan_for_another_departments_account(other_head, account):
    with pytest.raises(ValidationError) as error:
        plan_create(by=other_head, period=Q4, amount=Decimal(1), account=account)
    assert "account" in error.value.message_dict


def test_a_plan_has_exactly_one_target(head, account, kam):
    with pytest.raises(ValidationError) as error:
        plan_create(by=head, period=Q4, amount=Decimal(1), account=account, kam=kam)
    assert set(error.value.message_dict) == {"account", "kam"}


def test_the_same_target_period_and_line_is_planned_once(head, account, plans):
    with pytest.raises(ValidationError) as error:
        plan_create(by=head, period=Q4, amount=Decimal(1), account=account)
    assert "already has a plan" in error.value.message_dict["period"][0]


def test_a_half_year_is_no_plan_period(head, account):
    with pytest.raises(ValidationError) as error:
        plan_create(by=head, period=parse("2026H1"), amount=Decimal(1), account=account)
    assert "period" in error.value.message_dict


def test_an_edit_on_a_stale_copy_is_refused_with_a_clear_message(head, plans):
    plan = plans["account"]
    plan_update(plan=plan, by=head, data={"amount": Decimal(1100)}, version=1)
    with pytest.raises(StaleEditError) as error:
        plan_update(plan=plan, by=head, data={"amount": Decimal(1200)}, version=1)
    assert "changed by someone else" in error.value.message_dict["version"][0]
    assert SalesPlan.objects.get(pk=plan.pk).amount == Decimal(1100)


def test_a_plan_is_removed_by_a_head_of_its_scope_only(head, other_head, plans):
    with pytest.raises(ValidationError):
        plan_delete(plan=plans["department"], by=other_head)
    plan_delete(plan=plans["department"], by=head)
    assert not SalesPlan.objects.filter(pk=plans["department"].pk).exists()


def rows_by_label(user, level, **kwargs):
    return {r.label: r for r in plan_rows(user=user, level=level, period=Q4, today=TODAY, **kwargs)}


def test_plan_vs_actual_per_account_counts_the_period_up_to_today(kam, account, plans):
    sell((account, "2026-10-10", 300), (account, "2026-11-20", 999), (account, "2026-09-30", 50))
    row = rows_by_label(kam, "account")["Nordic Steel"]
    assert (row.plan, row.actual, row.attainment_pct) == (Decimal(1000), Decimal(300), Decimal("30.0"))
    assert row.url.endswith(f"/accounts/{account.pk}/sales/")


def test_a_kams_actual_is_the_revenue_of_the_accounts_they_own_now(head, kam, account, foreign_account):
    sell((account, "2026-10-10", 300), (foreign_account, "2026-10-11", 80))
    rows = rows_by_label(head, "kam")
    assert rows[str(kam)].actual == Decimal(300)
    assert rows[str(foreign_account.owner)].actual == Decimal(80)


def test_a_kam_gets_no_department_rows_and_no_other_kams(kam, account, plans):
    sell((account, "2026-10-10", 300))
    assert plan_rows(user=kam, level="department", period=Q4, today=TODAY) == []
    assert [r.target_id for r in plan_rows(user=kam, level="kam", period=Q4, today=TODAY)] == [kam.pk]


def test_a_heads_kam_total_leaves_out_accounts_the_head_cannot_see(head, kam, account, other_department):
    elsewhere = AccountFactory(owner=kam, department=other_department)
    sell((account, "2026-10-10", 300), (elsewhere, "2026-10-10", 5000))
    assert rows_by_label(head, "kam")[str(kam)].actual == Decimal(300)


def test_a_department_total_sums_its_accounts(head, department, account, foreign_account, plans):
    sell((account, "2026-10-10", 300), (foreign_account, "2026-10-11", 80))
    row = rows_by_label(head, "department")["Key Accounts"]
    assert (row.plan, row.actual) == (Decimal(9000), Decimal(380))


def test_a_product_line_plan_compares_with_that_lines_revenue_only(head, account):
    sell((account, "2026-10-10", 300, "COIL"), (account, "2026-10-11", 80, "PIPE"))
    from sales.models import ProductLine

    plan_create(by=head, period=Q4, amount=Decimal(600), account=account,
                product_line=ProductLine.objects.get(code="COIL"))  # fmt: skip
    (row,) = plan_rows(user=head, level="product_line", period=Q4, today=TODAY)
    assert (row.plan, row.actual, row.attainment_pct, row.product_line) == (
        Decimal(600), Decimal(300), Decimal("50.0"), "COIL"
    )  # fmt: skip


def test_the_forecast_follows_last_years_season_and_says_so(head, account, plans):
    # Last year: 100 by 15 November out of 400 for the quarter (25 %); this year 150 so far.
    sell((account, "2025-10-05", 100), (account, "2025-12-10", 300), (account, "2026-10-05", 150))
    row = rows_by_label(head, "account")["Nordic Steel"]
    # 150 / 25 % = 600 for the quarter at this year's pace; its own last year was 400. The 75 % still
    # to come is estimated from 25 % x 600 + 75 % x 400 = 450: 150 + 75 % x 450 = 487.50.
    assert row.forecast.method == fc.SEASONAL and row.forecast.value == Decimal("487.50")
    assert (
        row.method
        == "Seasonal: 25 % of last year's 2025Q4 was in by 15 November, weighed with its own 2025Q4"
    )


def test_a_new_account_takes_the_season_of_every_account_the_user_sees(head, account, foreign_account):
    sell((account, "2025-10-05", 100), (account, "2025-12-10", 300), (foreign_account, "2026-10-05", 50))
    row = rows_by_label(head, "account")["Baltic Foods"]
    assert (row.forecast.method, row.forecast.value) == (fc.SEASONAL, Decimal("200.00"))
    assert row.method == "Seasonal: 25 % of last year's 2025Q4 was in by 15 November"


def test_without_last_year_the_forecast_is_the_run_rate(head, account, plans):
    sell((account, "2026-10-05", 460))
    row = rows_by_label(head, "account")["Nordic Steel"]
    assert row.forecast.method == fc.RUN_RATE and row.method == "Run-rate: no usable last year"
    assert row.forecast.value == Decimal(460 * 92 / 46).quantize(Decimal("0.01"))


@pytest.mark.parametrize("level", ["account", "kam", "department", "product_line"])
def test_plan_rows_run_the_same_queries_for_few_and_many_targets(head, department, level):
    def build(n: int) -> int:
        for _ in range(n):
            owner = UserFactory(role=User.Role.KAM, departments=[department])
            account = AccountFactory(owner=owner, department=department)
            sell((account, "2026-10-10", 10, "COIL"), (account, "2025-10-10", 5, "COIL"))
            plan_create(by=head, period=Q4, amount=Decimal(20), account=account)
            plan_create(by=head, period=Q4, amount=Decimal(20), kam=owner)
        from sales.models import ProductLine

        plan_create(by=head, period=Q4, amount=Decimal(1), department=department,
                    product_line=ProductLine.objects.get(code="COIL"))  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            rows = plan_rows(user=head, level=level, period=Q4, today=TODAY)
        assert rows
        return len(queries)

    few = build(2)
    SalesPlan.objects.all().delete()
    assert build(8) == few


@pytest.mark.parametrize("level", ["account", "kam"])
def test_the_plan_vs_actual_page_runs_the_same_queries_for_few_and_many_rows(client, head, department, level):
    client.force_login(head)
    url = f"{reverse('management:plan-vs-actual')}?level={level}&period=2026Q4"

    def build(n: int) -> int:
        for _ in range(n):
            owner = UserFactory(role=User.Role.KAM, departments=[department])
            account = AccountFactory(owner=owner, department=department)
            sell((account, "2026-10-10", 10))
            plan_create(by=head, period=Q4, amount=Decimal(20), account=account)
            plan_create(by=head, period=Q4, amount=Decimal(20), kam=owner)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert build(2) == build(6)
