"""The demo ledger: three years of lines for the demo accounts, through the real import path."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.files import File
from django.db.models import Sum

from accounts.models import Account, Department, User

from .ledger_generator import generate_lines, write_csv
from .models import ImportBatch, MonthlySales, ProductLine, SalesPlan
from .periods import Period, containing
from .services import import_batch_create, import_batch_run, sales_lines_bulk_import

DEMO_FILE = "demo-ledger.csv"


def last_month_end(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


def load_demo_ledger(*, today: dt.date | None = None, lines: int = 15_000, months: int = 36) -> str:
    """Import the demo ledger once; a second call finds it imported and does nothing."""
    if ImportBatch.objects.filter(source=ImportBatch.Source.DEMO, status=ImportBatch.Status.DONE).exists():
        return "Demo ledger: already imported."
    account_ids = list(
        Account.objects.exclude(status=Account.Status.PROSPECT)
        .exclude(external_id="")
        .order_by("external_id")
        .values_list("external_id", flat=True)
    )
    if not account_ids:
        return "Demo ledger: no demo accounts to sell to."
    end = last_month_end(today or dt.date.today())
    rows = generate_lines(
        lines=lines, accounts=len(account_ids), months=months, seed=20261123, end=end, account_ids=account_ids
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / DEMO_FILE
        write_csv(path, rows)
        with path.open("rb") as handle:
            batch = import_batch_create(
                by=None, source=ImportBatch.Source.DEMO, upload=File(handle, name=DEMO_FILE), options={}
            )
    batch = import_batch_run(batch=batch)
    big_orders = _big_orders_last_month(account_ids, end)
    flagship = _flagship_orders(end, months)
    return (
        f"Demo ledger: {batch.inserted + big_orders + flagship:,} sales lines imported "
        f"({batch.get_status_display().lower()})."
    )


def _big_orders_last_month(account_ids: list[str], end: dt.date) -> int:
    """Two small clients place large orders in the last month, so the segmentation moves."""
    movers = account_ids[-2:]
    lines = [
        {
            "account_external_id": external_id,
            "date": end.replace(day=15).isoformat(),
            "amount": amount,
            "product_line": "equipment",
            "line_external_id": f"DEMO-BIG-{external_id}",
        }
        for external_id, amount in zip(movers, ("420000.00", "160000.00"), strict=False)
    ]
    return sales_lines_bulk_import(by=None, lines=lines, source=ImportBatch.Source.DEMO).inserted


# The flagship: Nordic Steel, the strategic image-maker whose business review says "volumes up 8 %"
# and whose plant-expansion tender was won. Its share of the generated ledger is small and stops
# part-way (a random lifecycle); over the whole ledger it also orders twice a month under its framework
# agreement, growing 8 % a year, so that every 12 months are about 8 % over the 12 before and it is
# an A account buying to the last month.
FLAGSHIP = "00001"
FLAGSHIP_MONTHLY = Decimal(25_000)  # a month's orders in the last month, before the seasons: ~290,000 a year
FLAGSHIP_YEARLY_GROWTH = 1.08
FLAGSHIP_ORDERS = ((12, "bulk-materials", Decimal("0.6")), (26, "spare-parts", Decimal("0.4")))
SEASON = (0.85, 0.9, 1.05, 1.0, 1.0, 1.05, 0.9, 0.8, 1.05, 1.1, 1.1, 1.2)  # January … December


def _flagship_orders(end: dt.date, months: int) -> int:
    if not Account.objects.filter(external_id=FLAGSHIP).exclude(status=Account.Status.PROSPECT).exists():
        return 0
    month = end.replace(day=1)
    for _ in range(months - 1):  # back to the ledger's first month
        month = (month - dt.timedelta(days=1)).replace(day=1)
    lines = []
    while month <= end:
        behind = (end.year - month.year) * 12 + end.month - month.month  # months before the last one
        factor = Decimal(SEASON[month.month - 1] / FLAGSHIP_YEARLY_GROWTH ** (behind / 12))
        for day, product_line, share in FLAGSHIP_ORDERS:
            lines.append(
                {
                    "account_external_id": FLAGSHIP,
                    "date": month.replace(day=day).isoformat(),
                    "amount": str((FLAGSHIP_MONTHLY * share * factor).quantize(Decimal("0.01"))),
                    "product_line": product_line,
                    "line_external_id": f"DEMO-FLAGSHIP-{month:%Y-%m}-{day}",
                }
            )
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if not lines:
        return 0
    return sales_lines_bulk_import(by=None, lines=lines, source=ImportBatch.Source.DEMO).inserted


GROWTH = Decimal("1.08")  # the demo's plans ask for 8 % more than the same period last year
ROUND_TO = Decimal(1000)


def _last_year_revenue(period: Period, account_filter: dict) -> Decimal:
    ly = period.last_year()
    total = MonthlySales.objects.filter(month__gte=ly.start, month__lte=ly.end, **account_filter).aggregate(
        total=Sum("revenue")
    )["total"]
    return total or Decimal(0)


def _target(period: Period, account_filter: dict) -> Decimal:
    """Last year's revenue for the period plus 8 %, in whole thousands (at least 10,000)."""
    planned = (_last_year_revenue(period, account_filter) * GROWTH / ROUND_TO).quantize(Decimal(1)) * ROUND_TO
    return max(planned, Decimal(10_000))


def _plan_once(target: dict, period: Period, line: ProductLine | None, accounts: dict) -> int:
    _plan, made = SalesPlan.objects.get_or_create(
        **target, period_kind=period.kind, period_start=period.start, product_line=line,
        defaults={"amount": _target(period, accounts), "note": "Last year + 8 %"},
    )  # fmt: skip
    return int(made)


def load_demo_plans(*, today: dt.date | None = None) -> str:
    """Plans for the current year and quarter: every KAM, every key account and every department.
    Safe to run again: a plan already there is left as it is."""
    today = today or dt.date.today()
    created = 0
    periods = (containing(today, "year"), containing(today, "quarter"))
    targets: list[tuple[dict, dict]] = []
    for kam in User.objects.filter(role=User.Role.KAM):
        targets.append(({"kam": kam}, {"account__owner": kam}))
    for account in Account.objects.exclude(key_client_type=""):
        targets.append(({"account": account}, {"account": account}))
    for department in Department.objects.all():
        targets.append(({"department": department}, {"account__department": department}))
    # Each department's quarter per product line too, so that the product-line level has rows.
    lines = [
        (department, line) for department in Department.objects.all() for line in ProductLine.objects.all()
    ]
    for period in periods:
        for target, accounts in targets:
            created += _plan_once(target, period, None, accounts)
    for department, line in lines:
        created += _plan_once({"department": department}, periods[1], line,
                              {"account__department": department, "product_line": line})  # fmt: skip
    return f"Demo plans: {created} sales plans for {periods[0].label} and {periods[1].label}."
