"""Reads of the ledger, always scoped to the accounts the user may see."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import Account, User, of_visible_accounts
from common.calendar import month_floor, months_back

from .filters import ImportBatchFilter
from .importing.sources import ImportOptions, SourceError, read_preview
from .models import DailySales, ImportBatch, MonthlySales, ProductLine, SalesLine


def sales_line_queryset(*, user: User) -> QuerySet[SalesLine]:
    return SalesLine.objects.filter(of_visible_accounts(user)).select_related("product_line", "batch")


def ledger_first_date() -> dt.date | None:
    """The date of the earliest line in the whole ledger (None while it is empty).

    Company-wide on purpose: analysis runs cover every account, and only heads and admins start them.
    """
    return DailySales.objects.aggregate(first=Min("date"))["first"]


def batch_queryset(*, user: User) -> QuerySet[ImportBatch]:
    """Import batches span many accounts: heads, admins and analysts see them, KAMs do not."""
    if user.is_kam:
        return ImportBatch.objects.none()
    return ImportBatch.objects.select_related("created_by")


def batch_list(*, user: User, filters: Any = None) -> ImportBatchFilter:
    """The import batches the user sees, newest first, filtered; `.rows`, `.form`."""
    batches = batch_queryset(user=user).order_by("-created_at", "-pk")
    return ImportBatchFilter(filters or None, queryset=batches, user=user)


def batch_get(*, user: User, pk: int) -> ImportBatch:
    return get_object_or_404(batch_queryset(user=user), pk=pk)


def _month_start(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` before day's month."""
    return months_back(month_floor(day), months)


def last_12_months(day: dt.date) -> tuple[dt.date, dt.date]:
    """Our "last 12 months" of revenue: the twelve complete months before day's month, as the months'
    [first, end) — the same months an analysis run of today covers. A part month would read as a drop."""
    return _month_start(day, 12), _month_start(day, 0)


def last_purchase_date(*, account: Account) -> dt.date | None:
    """The account's last purchase date (a day with a line that is not negative), or None."""
    return (
        DailySales.objects.filter(account=account, purchase_lines__gt=0)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


def account_sales_summary(
    *, account: Account, today: dt.date | None = None, months: int = 36
) -> dict[str, Any]:
    """What the Sales tab shows for one (visible) account, from the rollups."""
    today = today or dt.date.today()
    first = _month_start(today, months - 1)
    month_keys = [_month_start(today, months - 1 - i) for i in range(months)]
    rows = (
        MonthlySales.objects.filter(account=account, month__gte=first)
        .values("month", "product_line__code", "product_line__name")
        .annotate(revenue=Sum("revenue"))
    )
    series: dict[str, dict[dt.date, Decimal]] = defaultdict(dict)
    for row in rows:
        label = row["product_line__name"] or row["product_line__code"] or gettext("No product line")
        series[label][row["month"]] = row["revenue"]
    years = (
        MonthlySales.objects.filter(account=account)
        .values("month__year")
        .annotate(
            revenue=Sum("revenue"),
            margin=Sum("margin"),
            margin_lines=Sum("margin_lines"),
            lines=Sum("line_count"),
        )
        .order_by("-month__year")
    )
    rhythm = DailySales.objects.filter(account=account, purchase_lines__gt=0).aggregate(
        purchase_dates=Count("pk"), last_purchase=Max("date")
    )
    first, end = last_12_months(today)
    last_12 = MonthlySales.objects.filter(account=account, month__gte=first, month__lt=end).aggregate(
        revenue=Sum("revenue")
    )
    return {
        "labels": [date_format(m, "YEAR_MONTH_FORMAT") for m in month_keys],
        "datasets": [
            {"label": label, "data": [float(values.get(m, 0)) for m in month_keys]}
            for label, values in sorted(series.items())
        ],
        "years": list(years),
        "purchase_dates": rhythm["purchase_dates"],
        "last_purchase": rhythm["last_purchase"],
        "revenue_12m": last_12["revenue"] or Decimal(0),
        "last_lines": SalesLine.objects.filter(account=account)
        .select_related("product_line", "batch")
        .order_by("-date", "-pk")[:20],
    }


def product_lines() -> QuerySet[ProductLine]:
    return ProductLine.objects.all()


def batch_preview(*, batch: ImportBatch, limit: int = 10) -> dict[str, Any]:
    """The first rows of a stored file as the import will read them, or why it cannot."""
    try:
        table, rows = read_preview(
            batch.upload.path, batch.file_name, ImportOptions.from_dict(batch.options), limit
        )
    except SourceError as error:
        return {"error": error.as_error()}
    field_of = {position: field for field, position in table.columns.items()}
    return {
        "header": [(name, field_of.get(position, "")) for position, name in enumerate(table.header)],
        "rows": rows,
        "delimiter": {",": "comma", ";": "semicolon", "\t": "tab"}.get(table.delimiter, table.delimiter),
    }


def sales_by_year(*, account: Account, years: list[int]) -> dict[int, Decimal]:
    """The account's revenue per calendar year, from the monthly rollup (for plan vs actual)."""
    if not years:
        return {}
    rows = (
        MonthlySales.objects.filter(account=account, month__year__in=years)
        .values_list("month__year")
        .annotate(total=Sum("revenue"))
        .values_list("month__year", "total")
    )
    return {year: Decimal(str(total)).quantize(Decimal("0.01")) for year, total in rows}


def revenue_12m_of_outer_account(*, today: dt.date | None = None) -> Coalesce:
    """Our revenue from `OuterRef("pk")` over the last 12 complete months (`last_12_months`), from the
    monthly rollup: one index range per account row returned, 0 without sales."""
    first, end = last_12_months(today or dt.date.today())
    months = (
        MonthlySales.objects.filter(account=OuterRef("pk"), month__gte=first, month__lt=end)
        .order_by()
        .values("account")
        .annotate(total=Sum("revenue"))
        .values("total")
    )
    return Coalesce(
        Subquery(months), Value(Decimal(0)), output_field=DecimalField(max_digits=16, decimal_places=2)
    )


def account_revenue_trend(*, account: Account, today: dt.date | None = None) -> tuple[Decimal, Decimal]:
    """Our revenue from the account over the last 12 complete months (`last_12_months`) and over the
    twelve before, from the monthly rollup, in one query."""
    last_start, end = last_12_months(today or dt.date.today())
    previous_start = months_back(last_start, 12)
    totals = MonthlySales.objects.filter(account=account, month__gte=previous_start, month__lt=end).aggregate(
        last=Sum("revenue", filter=Q(month__gte=last_start)),
        previous=Sum("revenue", filter=Q(month__lt=last_start)),
    )
    return totals["last"] or Decimal(0), totals["previous"] or Decimal(0)
