"""manage.py export_personal_data — everything held about one contact, as JSON (the right of access).

The same document as the contact page's download; the export is written to the personal-data access
log (channel "command", action "export"), under the user named with --by when given."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Contact, PersonalDataAccess, User
from management.personal_data.export import as_json, personal_data_export


class Command(BaseCommand):
    help = "Export everything held about a contact (fields, interactions, surveys, complaints…) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--contact", required=True, type=int, metavar="ID", help="The contact's id.")
        parser.add_argument("--output", type=Path, help="The file to write (default: standard output).")
        parser.add_argument("--by", metavar="USERNAME", help="Who asked for it, as the access log records.")

    def handle(self, *args: Any, **options: Any) -> None:
        contact, by, output = self._checked(options)  # every input checked before anything is logged
        text = as_json(
            personal_data_export(contact=contact, by=by, channel=PersonalDataAccess.Channel.COMMAND)
        )
        if output is None:
            self.stdout.write(text)
            return
        output.write_text(text + "\n", encoding="utf-8")
        self.stderr.write(f"Contact #{contact.pk} exported to {output}.")

    def _checked(self, options: dict[str, Any]) -> tuple[Contact, User | None, Path | None]:
        contact = Contact.objects.filter(pk=options["contact"]).first()
        if contact is None:
            raise CommandError(f"--contact: no contact has the id {options['contact']}.")
        by = None
        if options["by"]:
            by = User.objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"--by: no user is called {options['by']!r}.")
        output: Path | None = options["output"]
        if output is not None and (output.is_dir() or not output.parent.is_dir()):
            raise CommandError(f"--output: {output} is not a file in an existing folder.")
        return contact, by, output
