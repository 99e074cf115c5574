from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.services import api_token_issue


class Command(BaseCommand):
    help = "Issue an API token for a user and print it once (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--expiry-days", type=int, default=None, help="Days until the token expires (default: never)."
        )

    def handle(self, *args, **options):
        try:
            user = User.objects.get(username=options["username"], is_active=True)
        except User.DoesNotExist as error:
            raise CommandError(f"No active user named {options['username']!r}.") from error
        days = options["expiry_days"]
        if days is not None and days <= 0:
            raise CommandError("--expiry-days must be a positive number of days.")
        token = api_token_issue(user=user, expiry=timedelta(days=days) if days else None)
        self.stdout.write(token)
