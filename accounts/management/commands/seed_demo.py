from auditlog.context import disable_auditlog
from django.apps import apps
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, DEMO_USERS, seed_demo


class Command(BaseCommand):
    help = "Load the demo data set (deterministic; running it again adds nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=60)

    def handle(self, *args, **options):
        # The demo stands for years of work done before kam kept its change history: loading it is
        # not a change anyone made, so the history pages start empty and show what users do next.
        with disable_auditlog():
            self._load(options)

    def _load(self, options):
        report = seed_demo(accounts=options["accounts"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data: {report.accounts_created} accounts and "
                f"{report.contacts_created} contacts created."
            )
        )
        # Every app that has demo data of its own loads it now, in INSTALLED_APPS order.
        for config in apps.get_app_configs():
            loader = getattr(config, "load_demo", None)
            if loader is not None:
                self.stdout.write(self.style.SUCCESS(loader()))
        # Then the apps that summarise the others bring their summaries up to date (the analysis
        # runs again if a demo sale came after its latest run).
        for config in apps.get_app_configs():
            finisher = getattr(config, "finish_demo", None)
            if finisher is not None:
                self.stdout.write(self.style.SUCCESS(finisher()))
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
        for username, first, last, role in DEMO_USERS:
            self.stdout.write(f"  {username:<8} {first} {last} — {role.label}")
