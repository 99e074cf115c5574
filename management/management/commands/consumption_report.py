"""manage.py consumption_report — the semester consumption report of one account or of every account
with sales, one XLSX and one PDF each, written into a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Account
from management.consumption.files import report_files, write_to
from management.consumption.selectors import accounts_with_sales, half_of, report_of
from sales.periods import Period


class Command(BaseCommand):
    help = (
        "Write the semester consumption report (the last three full years, the half-year, the likely "
        "demand of the next one) as XLSX and PDF, for one account or for every account with sales."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--account", metavar="EXT_ID", help="The account's external id, as imported.")
        which.add_argument("--all", action="store_true", help="Every account with sales in the span covered.")
        parser.add_argument("--half", help="The half-year, as 2026H1 (default: the last closed one).")
        parser.add_argument("--output", required=True, type=Path, help="The folder to write the files into.")

    def handle(self, *args: Any, **options: Any) -> None:
        half, accounts, output = self._checked(options)  # every input checked before a file is written
        total, taken = len(accounts), set[str]()
        for done, account in enumerate(accounts, start=1):
            files = report_files(report_of(account, half), taken)
            write_to(output, files)
            taken.add(files.stem)
            self.stdout.write(f"\r{done}/{total} accounts · {account.name[:40]:<40}", ending="")
            self.stdout.flush()
        if total:
            self.stdout.write("")
        self.stdout.write(f"{total * 2} file(s) for {total} account(s), {half}, written to {output}.")

    def _checked(self, options: dict[str, Any]) -> tuple[Period, list[Account], Path]:
        try:
            half = half_of(options["half"])
        except ValueError as error:
            raise CommandError(f"--half: {error}") from error
        output: Path = options["output"]
        if output.exists() and not output.is_dir():
            raise CommandError(f"--output: {output} is a file, not a folder.")
        if options["all"]:
            return half, list(accounts_with_sales(user=None, half=half)), output
        account = Account.objects.filter(external_id=options["account"]).first()
        if account is None or not options["account"]:
            raise CommandError(f"--account: no account has the external id {options['account']!r}.")
        return half, [account], output
