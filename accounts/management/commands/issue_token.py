from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import MAX_TOKEN_EXPIRY_DAYS as MAX_EXPIRY_DAYS
from accounts.services import api_token_issue
from common.numbers import whole_number


class Command(BaseCommand):
    help = "Issue an API token for a user and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--expiry-days",
            default=None,
            help=f"Days until the token expires, 1 to {MAX_EXPIRY_DAYS} (default: never).",
        )
        parser.add_argument(
            "--read-only", action="store_true", help="The token may only read (GET, HEAD, OPTIONS)."
        )

    def handle(self, *args, **options):
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist as error:
            raise CommandError(f"No active user named {options['username']!r}.") from error
        raw = options["expiry_days"]
        days = None if raw is None else whole_number(raw, minimum=1, maximum=MAX_EXPIRY_DAYS)
        if raw is not None and days is None:
            raise CommandError(
                f"--expiry-days must be a whole number of days from 1 to {MAX_EXPIRY_DAYS}; got {raw!r}."
            )
        expiry = timedelta(days=days) if days else None
        token = api_token_issue(user=user, expiry=expiry, read_only=options["read_only"])
        self.stdout.write(token)
