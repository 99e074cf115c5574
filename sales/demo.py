"""The demo ledger: three years of lines for the demo accounts, through the real import path."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from django.core.files import File

from accounts.models import Account

from .ledger_generator import generate_lines, write_csv
from .models import ImportBatch
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
    return (
        f"Demo ledger: {batch.inserted + big_orders:,} sales lines imported "
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
