"""Import of sales plans from CSV or XLSX, read by the ledger import's own sources.

All or nothing: every row is checked first, and one bad row refuses the whole file with a report
of row, column, value and reason. Idempotent: a plan is upserted on its natural key (target,
period, product line), so the same file twice creates nothing the second time and changes nothing.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User

from .importing.sources import ImportOptions, Layout, SourceError, open_file, storable
from .models import ProductLine, SalesPlan
from .periods import Period, parse
from .plan_scope import accounts_in_scope, can_edit_plans, departments_in_scope, kams_in_scope

PLAN_LAYOUT = Layout(
    columns=("period", "account_external_id", "kam", "department", "product_line", "amount", "note"),
    required=("period", "amount"),
)
MAX_ROWS = 50_000
MAX_BYTES = 10 << 20
_AMOUNT = re.compile(r"\d{1,12}(?:\.\d{1,2})?", re.ASCII)
TARGET_COLUMNS = ("account_external_id", "kam", "department")


@dataclass
class PlanImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.errors)

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "refused": self.refused, "errors": self.errors}  # fmt: skip


@dataclass
class _Row:
    number: int
    cells: dict[str, str]
    period: Period | None = None
    target: tuple[str, int] | None = None  # ("account", id)
    line_id: int | None = None
    amount: Decimal | None = None


def _error(report: PlanImportReport, row: int | None, column: str, value: str, reason: str) -> None:
    if len(report.errors) < 1000:
        report.errors.append({"row": row, "column": column, "value": storable(value)[:200], "reason": reason})


def _read(
    path: str, file_name: str, options: ImportOptions, report: PlanImportReport
) -> tuple[list[_Row], bool]:
    """The file's rows as text, and whether its amounts have a decimal comma (semicolon CSV)."""
    table, stream = open_file(path, file_name, options, PLAN_LAYOUT)
    try:
        rows: list[_Row] = []
        for number, values in table.rows:
            if len(rows) >= MAX_ROWS:
                raise SourceError(
                    _("More than %(limit)s plans in one file: split it.")
                    % {"limit": number_format(MAX_ROWS, force_grouping=True)},
                    row=number,
                )
            cells = {
                name: values[pos].strip() if pos < len(values) else "" for name, pos in table.columns.items()
            }
            rows.append(_Row(number, cells))
        report.rows = len(rows)
        return rows, table.delimiter == ";"
    finally:
        if stream is not None:
            stream.close()


def _lookups(by: User, rows: list[_Row]) -> dict[str, dict[str, int]]:
    """Text in the file → id, among the targets the importer may plan for (3 queries + lines)."""
    wanted = {column: {r.cells.get(column, "") for r in rows} - {""} for column in TARGET_COLUMNS}
    lines = {r.cells.get("product_line", "") for r in rows} - {""}
    return {
        "account_external_id": dict(
            accounts_in_scope(by)
            .filter(external_id__in=wanted["account_external_id"])
            .values_list("external_id", "pk")
        ),
        "kam": dict(kams_in_scope(by).filter(username__in=wanted["kam"]).values_list("username", "pk")),
        "department": dict(
            departments_in_scope(by).filter(code__in=wanted["department"]).values_list("code", "pk")
        ),
        "product_line": dict(ProductLine.objects.filter(code__in=lines).values_list("code", "pk")),
    }


_NOT_FOUND = {
    "account_external_id": gettext_lazy("No account you plan for has this external id."),
    "kam": gettext_lazy("No KAM you plan for has this username."),
    "department": gettext_lazy("No department you plan for has this code."),
}


def _check_row(row: _Row, known: dict[str, dict[str, int]], comma: bool, report: PlanImportReport) -> None:
    cells = row.cells
    try:
        row.period = parse(cells["period"])
        if row.period.kind not in SalesPlan.PeriodKind.values:
            raise ValueError(_("Plans are per month, quarter or year: 2026, 2026Q3 or 2026-07."))
    except ValueError as error:
        _error(report, row.number, "period", cells["period"], str(error))
    given = [c for c in TARGET_COLUMNS if cells.get(c)]
    if len(given) != 1:
        reason = _("Give exactly one target: account_external_id, kam or department.")
        _error(report, row.number, given[1] if len(given) > 1 else "account_external_id",
               " / ".join(cells[c] for c in given), reason)  # fmt: skip
    elif (target_id := known[given[0]].get(cells[given[0]])) is None:
        _error(report, row.number, given[0], cells[given[0]], str(_NOT_FOUND[given[0]]))
    else:
        row.target = ("account" if given[0] == "account_external_id" else given[0], target_id)
    if code := cells.get("product_line"):
        row.line_id = known["product_line"].get(code)
        if row.line_id is None:
            _error(report, row.number, "product_line", code, _("No product line has this code."))
    text = cells["amount"].replace(" ", "").replace("\u00a0", "")
    text = text.replace(",", ".") if comma and "." not in text else text
    if _AMOUNT.fullmatch(text):
        row.amount = Decimal(text)
    else:
        _error(
            report,
            row.number,
            "amount",
            cells["amount"],
            _("Not an amount of 0 or more (at most 2 decimals)."),
        )


def _key(row: _Row) -> tuple[Any, ...]:
    assert row.period is not None and row.target is not None  # noqa: S101 - checked rows only
    return (row.target, row.period.kind, row.period.start, row.line_id)


def _check_repeats(rows: list[_Row], report: PlanImportReport) -> None:
    first: dict[tuple[Any, ...], int] = {}
    for row in rows:
        if row.period is None or row.target is None or row.amount is None:
            continue
        key = _key(row)
        if key in first:
            reason = _("The same plan as row %(row)s (target, period and product line).") % {
                "row": first[key]
            }
            _error(report, row.number, "period", row.cells["period"], reason)
        first.setdefault(key, row.number)


def _upsert(by: User, rows: list[_Row], report: PlanImportReport, with_note: bool) -> None:
    starts = {r.period.start for r in rows if r.period}
    existing: dict[tuple[Any, ...], SalesPlan] = {}
    for plan in SalesPlan.objects.select_for_update().filter(period_start__in=starts):
        target = ("account", plan.account_id) if plan.account_id else (
            ("kam", plan.kam_id) if plan.kam_id else ("department", plan.department_id))  # fmt: skip
        existing[(target, plan.period_kind, plan.period_start, plan.product_line_id)] = plan
    for row in rows:
        assert row.period is not None and row.target is not None and row.amount is not None  # noqa: S101
        note = row.cells.get("note", "")[:255]
        found = existing.get(_key(row))
        if found is None:
            SalesPlan.objects.create(
                **{f"{row.target[0]}_id": row.target[1]}, period_kind=row.period.kind,
                period_start=row.period.start, product_line_id=row.line_id, amount=row.amount,
                note=note, created_by=by,
            )  # fmt: skip
            report.created += 1
        elif found.amount != row.amount or (with_note and found.note != note):
            found.amount, found.version = row.amount, found.version + 1
            found.note = note if with_note else found.note
            found.save(update_fields=["amount", "note", "version", "updated_at"])
            report.updated += 1
        else:
            report.unchanged += 1


def plans_import(*, by: User, upload: File, options: dict[str, Any] | None = None) -> PlanImportReport:
    """Check every row of a plan file, then upsert them all in one transaction — or none."""
    if not can_edit_plans(by):
        raise PermissionDenied(_("Sales plans are set by department heads and admins."))
    report = PlanImportReport()
    name = (upload.name or "plans.csv").rsplit("/", 1)[-1]
    if not upload.size or upload.size > MAX_BYTES:
        _error(
            report,
            None,
            "file",
            name,
            _("The file is empty.") if not upload.size else _("Larger than 10 MiB."),
        )
        return report
    read_options = ImportOptions.from_dict({k: v for k, v in (options or {}).items() if k != "mapping"})
    read_options.mapping = dict((options or {}).get("mapping") or {})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("plans.xlsx" if name.lower().endswith((".xlsx", ".xlsm")) else "plans.csv")
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            rows, comma = _read(str(path), path.name, read_options, report)
        except SourceError as error:
            report.errors.append(error.as_error())
            return report
    if not rows:
        _error(report, 2, "", "", _("The file has a header but no rows."))
        return report
    known = _lookups(by, rows)
    for row in rows:
        _check_row(row, known, comma, report)
    if not report.errors:
        _check_repeats(rows, report)
    if report.errors:
        return report
    with transaction.atomic():
        _upsert(by, rows, report, with_note=any("note" in r.cells for r in rows[:1]))
    return report
