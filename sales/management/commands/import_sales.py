"""manage.py import_sales FILE — load a ledger file (CSV or XLSX) with the same rules as the page."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from django.core.cache import cache
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from sales.importing.sources import CANONICAL_COLUMNS, text_encoding
from sales.models import ImportBatch
from sales.services import import_batch_create, import_batch_run, progress_key


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or field not in CANONICAL_COLUMNS:
            raise CommandError(
                f"--map {pair}: expected FIELD=Column with FIELD one of {', '.join(CANONICAL_COLUMNS)}"
            )
        mapping[field] = column
    return mapping


class Command(BaseCommand):
    help = "Import a sales ledger file: all-or-nothing, idempotent by line_external_id."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=Column",
            help="Read FIELD from the file's column Column (repeatable).",
        )
        parser.add_argument(
            "--date-format", default="", help="strftime format of the dates, e.g. %%d.%%m.%%Y"
        )
        parser.add_argument("--encoding", default="utf-8")
        parser.add_argument("--delimiter", default="", help="Default: detected from the header.")
        parser.add_argument("--dry-run", action="store_true", help="Check everything, write nothing.")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid rows; write the rejected ones to a CSV.",
        )
        parser.add_argument(
            "--no-create-accounts",
            action="store_true",
            help="Reject rows of accounts the ledger does not know instead of creating them.",
        )
        parser.add_argument("--force", action="store_true", help="Import a file without line ids again.")
        parser.add_argument("--user", help="Username the import is recorded under.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No file at {path}")
        try:
            text_encoding(options["encoding"])
        except ValueError as error:
            raise CommandError(f"--encoding {options['encoding']}: {error}") from error
        by = User.objects.get(username=options["user"]) if options["user"] else None
        batch_options = {
            "mapping": _mapping(options["map"]),
            "date_format": options["date_format"],
            "encoding": options["encoding"],
            "delimiter": options["delimiter"],
            "dry_run": options["dry_run"],
            "skip_invalid": options["skip_invalid"],
            "create_accounts": not options["no_create_accounts"],
            "force": options["force"],
        }
        with path.open("rb") as handle:
            try:
                batch = import_batch_create(
                    by=by,
                    source=ImportBatch.Source.COMMAND,
                    upload=File(handle, name=path.name),
                    options=batch_options,
                )
            except Exception as error:
                raise CommandError(str(error)) from error
        started = time.monotonic()
        done = threading.Event()
        watcher = threading.Thread(target=self._show_progress, args=(batch.pk, started, done), daemon=True)
        watcher.start()
        try:
            batch = import_batch_run(batch=batch)
        finally:
            done.set()
            watcher.join()
        self._report(batch, time.monotonic() - started)
        if batch.status in (ImportBatch.Status.REFUSED, ImportBatch.Status.FAILED):
            raise CommandError(f"Import #{batch.pk} {batch.get_status_display().lower()}: {batch.message}")

    def _show_progress(self, batch_id: int, started: float, done: threading.Event) -> None:
        while not done.wait(1.0):
            state = cache.get(progress_key(batch_id)) or {}
            if state:
                rows = state.get("rows", 0)
                rate = rows / max(time.monotonic() - started, 1e-6)
                self.stderr.write(
                    f"\r  {state.get('phase', '')}: {rows:,} rows ({rate:,.0f}/s)   ", ending=""
                )
        self.stderr.write("")

    def _report(self, batch: ImportBatch, seconds: float) -> None:
        out = self.stdout
        out.write(f"Import #{batch.pk} ({batch.file_name}): {batch.get_status_display()} in {seconds:.1f} s")
        out.write(f"  rows read:            {batch.rows:,}")
        out.write(f"  lines inserted:       {batch.inserted:,}")
        out.write(f"  duplicates skipped:   {batch.duplicates:,}")
        out.write(f"  rows rejected:        {batch.rejected:,}")
        out.write(f"  accounts created:     {batch.accounts_created:,}")
        if batch.rejects:
            out.write(f"  rejected rows in:     {batch.rejects.path}")
        for error in batch.errors:
            where = f"row {error['row']}" if error.get("row") else "file"
            column = f", column {error['column']}" if error.get("column") else ""
            value = f" (value {error['value']!r})" if error.get("value") else ""
            out.write(f"  {where}{column}{value}: {error['reason']}")
        if batch.error_count > len(batch.errors):
            out.write(f"  … and {batch.error_count - len(batch.errors):,} more problems")
