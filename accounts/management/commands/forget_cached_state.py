from django.core.management.base import BaseCommand

from accounts.kept import state_changed
from accounts.visibility import visibility_changed


class Command(BaseCommand):
    help = (
        "Forget what the shared cache keeps about the database (who sees which accounts, the home "
        "page's figures, the dashboards' scopes): run after the database was replaced, as "
        "scripts/restore.sh does. The cache's other contents, and the queued tasks, stay."
    )

    def handle(self, *args, **options):
        visibility_changed()
        state_changed()
        self.stdout.write("The cached visibility and figures will be worked out anew.")
