"""Ledger files for the import tests: write one into a folder, import it, look at what changed."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import openpyxl
from django.core.files import File

from accounts.models import Account, User
from sales.models import DailySales, ImportBatch, MonthlySales, ProductLine, SalesLine
from sales.services import import_batch_create, import_batch_run

_names = itertools.count(1)


def write_file(folder: Path, content: bytes | str, name: str = "ledger.csv") -> Path:
    """Write `content` (text is written as UTF-8) under a fresh sub-folder of `folder`."""
    target = folder / f"in-{next(_names)}"
    target.mkdir(parents=True)
    path = target / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def write_xlsx(folder: Path, rows: list[list[Any]], name: str = "ledger.xlsx", merge: str = "") -> Path:
    """A one-sheet workbook with `rows` (the first is the header); `merge` is a range like "A2:A3"."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    target = folder / f"in-{next(_names)}"
    target.mkdir(parents=True)
    path = target / name
    workbook.save(path)
    return path


def create_batch(path: Path, *, by: User | None, **options: Any) -> ImportBatch:
    with open(path, "rb") as handle:
        return import_batch_create(
            by=by, source=ImportBatch.Source.COMMAND, upload=File(handle, name=path.name), options=options
        )


def import_path(path: Path, *, by: User | None, **options: Any) -> ImportBatch:
    """Store the file as an upload and run the import, as the page and the command do."""
    batch = import_batch_run(batch=create_batch(path, by=by, **options))
    batch.refresh_from_db()
    return batch


def import_file(
    folder: Path, content: bytes | str, *, by: User | None, name: str = "ledger.csv", **options: Any
) -> ImportBatch:
    return import_path(write_file(folder, content, name), by=by, **options)


def ledger_snapshot() -> dict[str, list[tuple]]:
    """Everything an import may write, row by row, to compare before and after."""
    return {
        "lines": sorted(SalesLine.objects.values_list("pk", "account_id", "date", "amount", "external_id")),
        "accounts": sorted(Account.objects.values_list("pk", "external_id", "name")),
        "product_lines": sorted(ProductLine.objects.values_list("pk", "code")),
        "monthly": sorted(
            MonthlySales.objects.values_list(
                "account_id", "month", "product_line_id", "revenue", "line_count"
            ),
            key=str,
        ),
        "daily": sorted(DailySales.objects.values_list("account_id", "date", "revenue", "line_count")),
    }


def only_error(batch: ImportBatch) -> dict[str, Any]:
    """The one problem a refused batch reports."""
    assert batch.status == ImportBatch.Status.REFUSED, batch.message
    assert batch.error_count == 1, batch.errors
    assert len(batch.errors) == 1
    return batch.errors[0]
