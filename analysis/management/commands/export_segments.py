"""manage.py export_segments — a run's segments as CSV, one row per account, in rank order."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from analysis.models import AnalysisRun
from analysis.selectors import export_rows
from common.exports import SafeCsvWriter
from common.numbers import whole_number
from common.replica import reading_from_replica

COLUMNS = (
    "account_external_id", "account_name", "abc_class", "xyz_class", "value", "share", "cum_share", "cv",
    "months", "orders", "last_purchase", "days_since_last_purchase", "churn_status", "churn_score",
)  # fmt: skip


class Command(BaseCommand):
    help = "Write a run's segments as CSV (default: the latest complete run, to standard output)."

    def add_arguments(self, parser):
        parser.add_argument("--run", default="latest", help="A run id, or 'latest'")
        parser.add_argument("--output", help="File to write; default: standard output")

    def handle(self, *args, **options):
        # The run and its rows are read from the same place: a replica finds a run with all its rows.
        with reading_from_replica():
            self._export(options)

    def _export(self, options) -> None:
        runs = AnalysisRun.objects.filter(status=AnalysisRun.Status.COMPLETE)
        if options["run"] == "latest":
            run = runs.order_by("-finished_at", "-pk").first()
        else:
            number = whole_number(options["run"])
            if number is None:
                raise CommandError(f"--run takes a run id (digits 0-9) or 'latest'; got {options['run']!r}.")
            run = runs.filter(pk=number).first()
        if run is None:
            raise CommandError("No such complete run.")
        if not options["output"]:
            self._write(run, self.stdout)
            return
        with open(options["output"], "w", newline="", encoding="utf-8") as handle:
            self._write(run, handle)
        self.stderr.write(f"Run #{run.pk}: {run.account_count:,} accounts written to {options['output']}")

    def _write(self, run: AnalysisRun, handle) -> None:
        writer = SafeCsvWriter(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in export_rows(run=run):
            writer.writerow([row[c] for c in COLUMNS])
