"""Each account plan's revenue target becomes the account's yearly sales plan (sales.SalesPlan): the
yearly target is stated once, where plan vs actual and the forecasts read it."""

import datetime as dt

from django.db import migrations


def to_sales_plans(apps, schema_editor):
    AccountPlan = apps.get_model("dossiers", "AccountPlan")
    SalesPlan = apps.get_model("sales", "SalesPlan")
    for plan in AccountPlan.objects.filter(revenue_target__isnull=False).iterator():
        # A yearly sales plan already set for the account stays: it is the newer statement.
        SalesPlan.objects.get_or_create(
            account_id=plan.account_id, kam=None, department=None, product_line=None,
            period_kind="year", period_start=dt.date(plan.year, 1, 1),
            defaults={"amount": plan.revenue_target, "note": "From the account plan"},
        )


def to_account_plans(apps, schema_editor):
    AccountPlan = apps.get_model("dossiers", "AccountPlan")
    SalesPlan = apps.get_model("sales", "SalesPlan")
    yearly = SalesPlan.objects.filter(account__isnull=False, product_line__isnull=True, period_kind="year")
    for plan in yearly.iterator():
        AccountPlan.objects.filter(account_id=plan.account_id, year=plan.period_start.year).update(
            revenue_target=plan.amount
        )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0004_service_plan_and_gift_value"),
        ("sales", "0005_sales_plan"),
    ]

    operations = [migrations.RunPython(to_sales_plans, to_account_plans)]
