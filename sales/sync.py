"""Keeping the ledger in step with a source system (an ERP): lines inserted, corrected or deleted.

Each line is keyed by its line id and carries the time the source last changed it: a newer version
replaces the stored one, an older or equal one is ignored, so a payload sent twice changes nothing.
The whole request is one transaction, and the rollups of every key it touched are recomputed from
the lines before it commits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Account, User
from accounts.services import accounts_create_for_ledger

from . import rollups
from .importing.rows import MAX_ID, RowValidator, Staged
from .importing.sources import CANONICAL_COLUMNS, ImportOptions, cell_text, storable
from .models import ImportBatch, ProductLine, SalesLine
from .services import IMPORT_LOCK_KEY, MAX_BULK_LINES, product_line_name
from .sql import advisory_lock

SYNC_FIELDS = (*CANONICAL_COLUMNS, "updated_at", "deleted")
_COLUMNS = {name: position for position, name in enumerate(CANONICAL_COLUMNS)}
CHUNK = 1000


@dataclass
class SyncRow:
    """One checked line of a sync request: its new values, or None for a deletion."""

    row: int
    line_id: str
    updated_at: dt.datetime
    staged: Staged | None


@dataclass
class SyncResult:
    batch: ImportBatch
    inserted: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    touched: set[tuple[int, dt.date]] = field(default_factory=set)

    @property
    def changed(self) -> int:
        return self.inserted + self.updated + self.deleted


def _error(row: int, column: str, value: Any, reason: str) -> dict[str, Any]:
    """A problem as the report keeps it: NUL and broken text shown, not stored (PostgreSQL refuses them)."""
    return {
        "row": row,
        "column": storable(column[:200]),
        "value": storable(cell_text(value)[:200]),
        "reason": storable(reason),
    }


def _updated_at(row: int, value: Any, errors: list[dict[str, Any]]) -> dt.datetime | None:
    text = cell_text(value).strip()
    try:
        moment = parse_datetime(text) if text else None
    except ValueError:
        moment = None
    if moment is None:
        reason = _("Not a date and time (ISO 8601).") if text else _("Required: when the line last changed.")
        errors.append(_error(row, "updated_at", value, reason))
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return moment


def _check_row(
    number: int, item: Any, validator: RowValidator, errors: list[dict[str, Any]]
) -> SyncRow | None:
    if not isinstance(item, dict):
        errors.append(_error(number, "", "", _("Each line must be a JSON object.")))
        return None
    unknown = sorted(set(item) - set(SYNC_FIELDS))
    if unknown:
        errors.append(_error(number, unknown[0], "", _("Unknown field %(name)r.") % {"name": unknown[0]}))
        return None
    deleted = item.get("deleted", False)
    if not isinstance(deleted, bool):
        errors.append(_error(number, "deleted", deleted, _("Must be true or false.")))
        return None
    line_id = cell_text(item.get("line_external_id"))
    if not line_id.strip():
        errors.append(_error(number, "line_external_id", line_id, _("Required: the line's id.")))
    elif storable(line_id) != line_id:
        reason = _("Contains a NUL character or broken text: no line id can hold it.")
        errors.append(_error(number, "line_external_id", line_id, reason))
    elif len(line_id) > MAX_ID:
        reason = _("Longer than %(limit)s characters.") % {"limit": MAX_ID}
        errors.append(_error(number, "line_external_id", line_id, reason))
    updated_at = _updated_at(number, item.get("updated_at"), errors)
    staged = None
    if not deleted:  # a deletion needs only the line id and the time
        values = [cell_text(item.get(name)) for name in CANONICAL_COLUMNS]
        staged, row_errors = validator.validate(number, values)
        errors.extend(error for error in row_errors if error["column"] != "line_external_id")  # checked above
    if (errors and errors[-1]["row"] == number) or updated_at is None:
        return None
    return SyncRow(number, line_id, updated_at, staged)


def sync_rows_check(lines: list[Any]) -> tuple[list[SyncRow], list[dict[str, Any]]]:
    """Every line checked: the good ones, and the problems (row from 1, column, value, reason)."""
    validator = RowValidator(_COLUMNS, ImportOptions.from_dict({}), decimal_comma=False)
    rows: list[SyncRow] = []
    errors: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for number, item in enumerate(lines, start=1):
        checked = _check_row(number, item, validator, errors)
        if checked is None:
            continue
        if checked.line_id in first_row:
            reason = _("The line id %(id)s already appears in row %(first)s of this request.") % {
                "id": checked.line_id,
                "first": first_row[checked.line_id],
            }
            errors.append(_error(number, "line_external_id", checked.line_id, reason))
            continue
        first_row[checked.line_id] = number
        rows.append(checked)
    return rows, errors


def _account_ids(rows: list[SyncRow], batch: ImportBatch) -> dict[str, int]:
    """The accounts the lines name, created when the ledger does not know them yet."""
    named = {row.staged[1]: row.staged[2] for row in rows if row.staged is not None}
    known = dict(Account.objects.filter(external_id__in=named).values_list("external_id", "pk"))
    unknown = [(external_id, name) for external_id, name in named.items() if external_id not in known]
    if unknown:
        batch.accounts_created = accounts_create_for_ledger(
            accounts=unknown, department_id=batch.options.get("department_id")
        )
        new = Account.objects.filter(external_id__in=[external_id for external_id, _name in unknown])
        known.update(new.values_list("external_id", "pk"))
    return known


def _product_line_ids(rows: list[SyncRow]) -> dict[str, int]:
    codes = {row.staged[7] for row in rows if row.staged is not None and row.staged[7]}
    known = dict(ProductLine.objects.filter(code__in=codes).values_list("code", "pk"))
    missing = [ProductLine(code=code, name=product_line_name(code)) for code in codes - set(known)]
    ProductLine.objects.bulk_create(missing)
    known.update((line.code, line.pk) for line in ProductLine.objects.filter(code__in=codes - set(known)))
    return known


def _stored_lines(rows: list[SyncRow]) -> dict[str, SalesLine]:
    ids = [row.line_id for row in rows]
    stored: dict[str, SalesLine] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = SalesLine.objects.select_for_update().filter(external_id__in=ids[start : start + CHUNK])
        stored.update((line.external_id or "", line) for line in chunk)
    return stored


def _fill(line: SalesLine, row: SyncRow, accounts: dict[str, int], products: dict[str, int]) -> None:
    assert row.staged is not None  # noqa: S101 - only lines with values are filled
    _row, account, _name, date, amount, quantity, margin, product_line, _id, sku = row.staged
    line.account_id = accounts[account]
    line.date = dt.date.fromisoformat(date)
    line.amount = Decimal(amount)
    line.quantity = Decimal(quantity) if quantity is not None else None
    line.margin = Decimal(margin) if margin is not None else None
    line.product_line_id = products[product_line] if product_line else None
    line.sku = sku
    line.updated_at = row.updated_at


def _month_key(line: SalesLine) -> tuple[int, dt.date]:
    return line.account_id, line.date.replace(day=1)


def _apply(result: SyncResult, rows: list[SyncRow]) -> None:
    """Write the lines that changed and recompute the rollups of every key they touched."""
    accounts = _account_ids(rows, result.batch)
    products = _product_line_ids(rows)
    stored = _stored_lines(rows)
    new, changed, gone = [], [], []
    for row in rows:
        line = stored.get(row.line_id)
        if line is None:
            if row.staged is None:
                result.unchanged += 1  # deleting a line the ledger never had
                continue
            line = SalesLine(external_id=row.line_id, batch=result.batch)
            _fill(line, row, accounts, products)
            new.append(line)
        elif line.updated_at is not None and row.updated_at <= line.updated_at:
            result.unchanged += 1
            continue
        elif row.staged is None:
            gone.append(line.pk)
        else:
            result.touched.add(_month_key(line))
            _fill(line, row, accounts, products)
            changed.append(line)
        result.touched.add(_month_key(line))
    SalesLine.objects.bulk_create(new, batch_size=CHUNK)
    fields = ["account", "date", "amount", "quantity", "margin", "product_line", "sku", "updated_at"]
    SalesLine.objects.bulk_update(changed, fields, batch_size=CHUNK)
    for start in range(0, len(gone), CHUNK):
        SalesLine.objects.filter(pk__in=gone[start : start + CHUNK]).delete()
    result.inserted, result.updated, result.deleted = len(new), len(changed), len(gone)
    if result.touched:
        keys = [(account_id, month.isoformat()) for account_id, month in sorted(result.touched)]
        rollups.collect_touched(keys)
        rollups.recompute_touched()


def _message(result: SyncResult) -> str:
    return _(
        "Sync: %(inserted)s inserted, %(updated)s updated, %(deleted)s deleted, %(unchanged)s unchanged."
    ) % {
        "inserted": result.inserted,
        "updated": result.updated,
        "deleted": result.deleted,
        "unchanged": result.unchanged,
    }


def _refuse(batch: ImportBatch, errors: list[dict[str, Any]]) -> None:
    rejected = len({error["row"] for error in errors})
    batch.status = ImportBatch.Status.REFUSED
    batch.rejected, batch.errors, batch.error_count = rejected, errors[:1000], len(errors)
    batch.message = ngettext(
        "%(rows)s row has problems; nothing was imported.",
        "%(rows)s rows have problems; nothing was imported.",
        rejected,
    ) % {"rows": rejected}
    batch.finished_at = timezone.now()
    batch.save()


def sales_lines_sync(*, by: User | None, lines: list[Any]) -> SyncResult:
    """Insert, correct and delete ledger lines by line id and source time, all or nothing.

    The request is kept as an import batch (source "API sync") with its report; the new lines belong
    to it. A refused request writes no line and keeps its problems in the batch.
    """
    if not isinstance(lines, list) or not lines or len(lines) > MAX_BULK_LINES:
        raise ValueError("1 to MAX_BULK_LINES lines")  # the API's serializer checks this first
    options: dict[str, Any] = {}
    if by is not None and not by.is_admin_role:
        first = by.departments.first()
        options["department_id"] = first.pk if first else None
    payload = json.dumps(lines, sort_keys=True, default=str).encode()
    batch = ImportBatch.objects.create(
        created_by=by,
        source=ImportBatch.Source.API_SYNC,
        sha256=hashlib.sha256(payload).hexdigest(),
        options=options,
        status=ImportBatch.Status.RUNNING,
        started_at=timezone.now(),
        rows=len(lines),
    )
    result = SyncResult(batch)
    rows, errors = sync_rows_check(lines)
    if errors:
        _refuse(batch, errors)
        return result
    with transaction.atomic():
        advisory_lock(IMPORT_LOCK_KEY)
        _apply(result, rows)
        batch.status = ImportBatch.Status.DONE
        batch.inserted, batch.duplicates = result.inserted, result.unchanged
        batch.message = _message(result)
        batch.finished_at = timezone.now()
        batch.save()
    return result
