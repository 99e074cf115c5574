"""Writes to the sales ledger: imports (all-or-nothing, idempotent by line id) and rollbacks."""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Iterator
from typing import IO, Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from accounts.services import accounts_create_for_ledger
from common.exports import SafeCsvWriter
from common.tasks import TRANSIENT_ERRORS

from . import rollups, signals
from .importing.plain_csv import PlainCsv
from .importing.rows import RowValidator, Staged
from .importing.sources import (
    CANONICAL_COLUMNS,
    ImportOptions,
    SourceError,
    Table,
    open_file,
    open_objects,
    read_preview,
    storable,
    text_encoding,
)
from .importing.stage import Stage
from .models import ImportBatch, ProductLine
from .sql import advisory_lock, more_memory_for_this_transaction

logger = logging.getLogger(__name__)

ERRORS_KEPT = 1000  # in the batch's report; the rejects file has them all
PROGRESS_EVERY = 10_000
IMPORT_LOCK_KEY = 7_346_001  # one import writes at a time: no double counting, exact rollups
MAX_BULK_LINES = 10_000


class Refused(Exception):
    """Bad input: nothing is written; the batch keeps the report."""


class AlreadyFinished(Exception):
    """Another delivery of the same import finished it while this one waited for the import lock."""


class DryRunDone(Exception):
    """A dry run got to the end: undo everything, keep the counts."""


def progress_key(batch_id: int) -> str:
    return f"sales:import:{batch_id}:progress"


def _progress(batch_id: int, state: dict[str, Any] | None) -> None:
    """Report (or, with None, clear) a running import's progress. Only a report: the cache
    restarting under an import costs the page its progress bar, never the import."""
    try:
        if state is None:
            cache.delete(progress_key(batch_id))
        else:
            cache.set(progress_key(batch_id), state, 3600)
    except Exception:
        logger.warning("Import %s: progress not reported (cache unreachable)", batch_id, exc_info=True)


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def import_batch_create(
    *, by: User | None, source: str, upload: File, options: dict[str, Any] | None = None
) -> ImportBatch:
    """Store an uploaded ledger file and its options; `import_batch_run` does the work."""
    if not upload.size:
        raise ValidationError({"file": _("The file is empty (0 bytes).")})
    options = dict(options or {})
    _check_encoding(options)
    if by is not None and "department_id" not in options and not by.is_admin_role:
        first = by.departments.first()
        options["department_id"] = first.pk if first else None
    name = (upload.name or "ledger").rsplit("/", 1)[-1]
    batch = ImportBatch(created_by=by, source=source, file_name=name, sha256=_sha256(upload), options=options)
    batch.upload.save(name, upload, save=False)
    batch.save()
    return batch


def _check_encoding(options: dict[str, Any]) -> None:
    if "encoding" in options:
        try:
            text_encoding(options["encoding"])
        except ValueError as error:
            raise ValidationError({"encoding": str(error)}) from error


def import_batch_check(*, batch: ImportBatch) -> ImportBatch:
    """Read a waiting batch's header and first rows: a file that cannot be read is refused at once.

    For callers with no preview step (the API): the problems of the file as a whole come back
    with the upload instead of later from the worker. Row problems still come from the import.
    """
    try:
        read_preview(batch.upload.path, batch.file_name, ImportOptions.from_dict(batch.options), 10)
    except SourceError as error:
        report = _Report(None, keep_rejects=False)
        report.errors, report.error_count = [error.as_error()], 1
        _finish(batch, ImportBatch.Status.REFUSED, report, message=error.reason)
    return batch


class _Report:
    """Collects bad rows as they are found: the first ERRORS_KEPT for the page, all for the CSV."""

    def __init__(self, table: Table | None, keep_rejects: bool):
        self.errors: list[dict[str, Any]] = []
        self.error_count = 0
        self.rejected_rows = 0
        self.columns = table.columns if table else {}
        self.rejects: io.StringIO | None = io.StringIO() if keep_rejects else None
        self._whole_file_rows: set[int] = set()
        if self.rejects is not None:
            SafeCsvWriter(self.rejects).writerow(["row", "reason", *CANONICAL_COLUMNS])

    def add(
        self,
        errors: list[dict[str, Any]],
        values: list[str] | dict[str, str] | None = None,
        *,
        whole_file: bool = False,
    ) -> None:
        row = errors[0]["row"]
        if whole_file and row in self._whole_file_rows:
            self.error_count += len(errors)  # a second problem of a row already set aside
            self.errors.extend(errors[: max(ERRORS_KEPT - len(self.errors), 0)])
            return
        if whole_file:
            self._whole_file_rows.add(row)
        self.rejected_rows += 1
        self.error_count += len(errors)
        room = ERRORS_KEPT - len(self.errors)
        self.errors.extend(errors[: max(room, 0)])
        if self.rejects is not None:
            reason = "; ".join(f"{e['column']}: {e['reason']}" for e in errors)
            if isinstance(values, list):
                row = dict(enumerate(values))
                cells = [row.get(self.columns[c], "") if c in self.columns else "" for c in CANONICAL_COLUMNS]
            else:
                cells = [(values or {}).get(c, "") for c in CANONICAL_COLUMNS]
            cells = [storable(cell) for cell in cells]  # rejected for NUL or broken text: shown, not kept
            SafeCsvWriter(self.rejects).writerow([errors[0]["row"], reason, *cells])


def _validated_rows(
    batch: ImportBatch, table: Table, validator: RowValidator, report: _Report, counter: list[int]
) -> Iterator[Staged]:
    for row_number, values in table.rows:
        counter[0] += 1
        if counter[0] % PROGRESS_EVERY == 0:
            _progress(batch.pk, {"rows": counter[0], "phase": "reading"})
        staged, errors = validator.validate(row_number, values)
        if staged is None:
            report.add(errors, values)
        else:
            yield staged


def _stage_rows(
    batch: ImportBatch, table: Table, validator: RowValidator, stage: Stage, report: _Report
) -> int:
    """Load every row into the stage, checked one by one; returns how many rows the file has."""
    if stage.postgres and PlainCsv.applies(table):
        rows = PlainCsv(table, validator, report.add, stage).load()
        if rows is not None:
            return rows
    counter = [0]
    stage.load(_validated_rows(batch, table, validator, report, counter))
    return counter[0]


def _check_whole_file(batch: ImportBatch, stage: Stage, options: ImportOptions, report: _Report) -> None:
    """Checks that need every row: line ids repeated inside the file, accounts the ledger lacks."""
    first_row = {row: first for row, _id, first in stage.repeated_line_ids()}
    for row, values in stage.staged_rows("row_no", list(first_row)):
        line_id = values["line_external_id"]
        reason = _("The line id %(id)s already appears in row %(first)s of this file.") % {
            "id": line_id,
            "first": first_row[row],
        }
        error = {"row": row, "column": "line_external_id", "value": line_id, "reason": reason}
        report.add([error], values, whole_file=True)
    if first_row and options.skip_invalid:
        stage.drop_rows(rows=list(first_row))
    unknown = stage.unknown_accounts()
    if not unknown:
        return
    if options.create_accounts:
        batch.accounts_created = accounts_create_for_ledger(
            accounts=unknown, department_id=batch.options.get("department_id")
        )
        return
    external_ids = [external_id for external_id, _name in unknown]
    for row, values in stage.staged_rows("account_external_id", external_ids):
        external_id = values["account_external_id"]
        reason = _("No account has the external id %(id)s (creating accounts is switched off).") % {
            "id": external_id
        }
        error = {"row": row, "column": "account_external_id", "value": external_id, "reason": reason}
        report.add([error], values, whole_file=True)
    if options.skip_invalid:
        stage.drop_rows(account_external_ids=external_ids)


def _refuse_repeated_file(batch: ImportBatch, validator: RowValidator, options: ImportOptions) -> None:
    """Rows without a line id cannot be deduplicated line by line: refuse the same file twice.

    This covers a mixed file too: its rows with line ids would be skipped as duplicates, but those
    without would be inserted a second time.
    """
    without_ids = validator.rows_without_line_id
    if options.force or not without_ids:
        return
    earlier = (
        ImportBatch.objects.filter(sha256=batch.sha256, status=ImportBatch.Status.DONE)
        .exclude(pk=batch.pk)
        .first()
    )
    if earlier is None:
        return
    moment = timezone.localtime(earlier.finished_at or earlier.created_at)
    when = {"id": earlier.pk, "when": date_format(moment, "SHORT_DATETIME_FORMAT")}
    if not validator.saw_line_id:
        raise SourceError(
            _(
                "This file was already imported (import #%(id)s on %(when)s) and has no line ids to "
                "tell its lines apart: importing it again would count every line twice. Force it "
                "only if that is really what you want."
            )
            % when
        )
    raise SourceError(
        ngettext(
            "This file was already imported (import #%(id)s on %(when)s). Its lines with a line id "
            "would be skipped, but %(count)s row has no line id to tell it apart: importing "
            "it again would count it twice. Give every row a line id, or force it only if that "
            "is really what you want.",
            "This file was already imported (import #%(id)s on %(when)s). Its lines with a line id "
            "would be skipped, but %(count)s rows have no line id to tell them apart: importing "
            "it again would count those twice. Give every row a line id, or force it only if that "
            "is really what you want.",
            without_ids,
        )
        % {**when, "count": without_ids}
    )


def product_line_name(code: str) -> str:
    """A readable first name for a product line a ledger brings in by its code alone: "bulk-materials"
    → "Bulk materials" (a code written as a name, "Coils", stays); it can be renamed afterwards."""
    return code.replace("-", " ").replace("_", " ").capitalize() if code.islower() else code


def _create_product_lines(stage: Stage) -> None:
    codes = stage.product_line_codes()
    lines = [ProductLine(code=code, name=product_line_name(code)) for code in codes]
    ProductLine.objects.bulk_create(lines, batch_size=1000)


def _import(batch: ImportBatch, table: Table, options: ImportOptions, report: _Report) -> None:
    """The import proper; runs inside one transaction and raises to undo it."""
    advisory_lock(IMPORT_LOCK_KEY)
    # A task redelivered while its first delivery still ran (a restarted broker, a visibility timeout
    # shorter than the import) waits here for the lock: the batch may be done by the time it has it.
    if ImportBatch.objects.filter(pk=batch.pk).exclude(status=ImportBatch.Status.RUNNING).exists():
        raise AlreadyFinished
    more_memory_for_this_transaction()
    validator = RowValidator(table.columns, options, decimal_comma=table.delimiter == ";")
    stage = Stage()
    batch.rows = _stage_rows(batch, table, validator, stage, report)
    stage.analyze()
    if batch.rows == 0 and not report.error_count:
        raise SourceError(_("The file has a header but no rows."), row=2)
    _refuse_repeated_file(batch, validator, options)
    _progress(batch.pk, {"rows": batch.rows, "phase": "checking"})
    _check_whole_file(batch, stage, options, report)
    if report.error_count and not options.skip_invalid:
        raise Refused
    _create_product_lines(stage)
    staged = stage.count()
    _progress(batch.pk, {"rows": batch.rows, "phase": "writing"})
    batch.inserted = stage.insert_lines(batch.pk)
    batch.duplicates = staged - batch.inserted
    batch.rejected = report.rejected_rows
    if stage.postgres:
        rollups.record_new_lines(batch.inserted)
    else:
        rollups.collect_touched_from_batch(batch.pk)
    rollups.recompute_touched()
    if options.dry_run:
        raise DryRunDone
    _finish(batch, ImportBatch.Status.DONE, report)


def _finish(batch: ImportBatch, status: str, report: _Report | None, message: str = "") -> None:
    batch.status = status
    batch.finished_at = timezone.now()
    batch.message = message
    if report is not None:
        batch.errors, batch.error_count = report.errors, report.error_count
        if report.rejects is not None and report.rejected_rows and status == ImportBatch.Status.DONE:
            batch.rejects.save(
                f"rejects-{batch.pk}.csv", ContentFile(report.rejects.getvalue().encode()), save=False
            )
    batch.save()
    _progress(batch.pk, None)
    signals.import_finished.send(sender=ImportBatch, batch=batch)


def import_batch_run(*, batch: ImportBatch, objects: list[dict[str, Any]] | None = None) -> ImportBatch:
    """Validate the whole input, then write it in one transaction — or write nothing and report why.

    Safe to call again for a finished batch (a retried task): it returns the batch unchanged.
    """
    batch.refresh_from_db()
    if batch.is_finished:
        return batch
    unfinished = (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
    started = ImportBatch.objects.filter(pk=batch.pk, status__in=unfinished).update(
        status=ImportBatch.Status.RUNNING, started_at=timezone.now()
    )
    if not started:  # finished by another delivery since the refresh
        batch.refresh_from_db()
        return batch
    options = ImportOptions.from_dict(batch.options)
    stream = None
    report = _Report(None, keep_rejects=options.skip_invalid)
    try:
        if objects is not None:
            table = open_objects(objects, options)
        else:
            table, stream = open_file(batch.upload.path, batch.file_name, options)
        report = _Report(table, keep_rejects=options.skip_invalid)
        with transaction.atomic():
            _import(batch, table, options, report)
    except AlreadyFinished:
        batch.refresh_from_db()
    except SourceError as error:
        report.errors.insert(0, error.as_error())
        report.error_count += 1
        _finish(batch, ImportBatch.Status.REFUSED, report, message=error.reason)
    except Refused:
        batch.inserted = batch.duplicates = batch.accounts_created = 0  # undone with the transaction
        batch.rejected = report.rejected_rows
        message = ngettext(
            "%(rows)s row has problems; nothing was imported.",
            "%(rows)s rows have problems; nothing was imported.",
            report.rejected_rows,
        ) % {"rows": report.rejected_rows}
        _finish(batch, ImportBatch.Status.REFUSED, report, message=message)
    except DryRunDone:
        _finish(batch, ImportBatch.Status.CHECKED, report, message=_("Dry run: nothing was written."))
    except TRANSIENT_ERRORS as error:
        # The database or Redis gone for a moment: nothing was written; the task tries again
        # (`sales.tasks.run_import`), so the batch waits for it rather than being failed.
        logger.warning("Import %s interrupted, to be tried again: %r", batch.pk, error)
        _back_to_pending(batch, error)
        raise
    except Exception as error:
        logger.exception("Import %s failed", batch.pk)
        _finish(
            batch, ImportBatch.Status.FAILED, report, message=storable(f"{error.__class__.__name__}: {error}")
        )
        raise
    finally:
        if stream is not None:
            stream.close()
    return batch


def _back_to_pending(batch: ImportBatch, error: Exception) -> None:
    """An interrupted batch waits for the task's retry (kept running when even that cannot be
    written: the retry takes a running batch up as well)."""
    message = storable(f"{error.__class__.__name__}: {error}")
    try:
        ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.RUNNING).update(
            status=ImportBatch.Status.PENDING, message=message
        )
    except DatabaseError:
        connection.close()  # broken: the retry opens a new one


def import_batch_give_up(*, batch_id: int, error: Exception) -> None:
    """The task's last try was interrupted too: the batch is failed, not left waiting forever."""
    ImportBatch.objects.filter(
        pk=batch_id, status__in=(ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING)
    ).update(
        status=ImportBatch.Status.FAILED,
        finished_at=timezone.now(),
        message=storable(f"{error.__class__.__name__}: {error}"),
    )


def sales_lines_bulk_import(
    *,
    by: User | None,
    lines: list[dict[str, Any]],
    options: dict[str, Any] | None = None,
    source: str = ImportBatch.Source.API_JSON,
) -> ImportBatch:
    """Import up to MAX_BULK_LINES lines given as JSON objects, with the same rules as a file."""
    if not isinstance(lines, list) or not lines:
        raise ValidationError({"lines": _("Send a non-empty list of lines.")})
    if len(lines) > MAX_BULK_LINES:
        raise ValidationError(
            {
                "lines": _("At most %(max)s lines per call; got %(n)s.")
                % {"max": MAX_BULK_LINES, "n": len(lines)}
            }
        )
    options = dict(options or {})
    if by is not None and not by.is_admin_role and "department_id" not in options:
        first = by.departments.first()
        options["department_id"] = first.pk if first else None
    payload = json.dumps(lines, sort_keys=True, default=str).encode()
    batch = ImportBatch.objects.create(
        created_by=by,
        source=source,
        sha256=hashlib.sha256(payload).hexdigest(),
        options=options,
    )
    return import_batch_run(batch=batch, objects=lines)


@transaction.atomic
def import_batch_rollback(*, batch: ImportBatch, by: User) -> ImportBatch:
    """Take a batch's lines out of the ledger, and their contributions out of the rollups."""
    advisory_lock(IMPORT_LOCK_KEY)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportBatch.Status.DONE:
        raise ValidationError(
            _("Only a completed import can be rolled back; this one is %(status)s.")
            % {"status": batch.get_status_display().lower()}
        )
    rollups.collect_touched_from_batch(batch.pk)
    batch.lines.all().delete()
    rollups.recompute_touched()
    batch.status = ImportBatch.Status.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch.rolled_back_by = by
    batch.save()
    return batch


def import_batch_set_options(*, batch: ImportBatch, options: dict[str, Any]) -> ImportBatch:
    """Change how a waiting batch's file is read (mapping, date format, …) before it starts."""
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(_("Only a waiting import can be changed."))
    _check_encoding(options)
    batch.options = {**batch.options, **options}
    batch.save(update_fields=["options"])
    return batch


def import_progress(*, batch: ImportBatch) -> dict[str, Any]:
    """Rows read so far and the current phase, as the running import reports them."""
    try:
        state = cache.get(progress_key(batch.pk))
    except Exception:
        state = None  # the cache restarting: what the batch itself says
    return state or {"rows": batch.rows, "phase": batch.get_status_display()}
