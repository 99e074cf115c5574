"""manage.py expire_proposals — what the nightly task does, now: expire open proposals past validity."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from proposals.services import proposals_expire_overdue


class Command(BaseCommand):
    help = "Move every open proposal past its validity date to expired (and tell each author)."

    def handle(self, *args, **options):
        moved = proposals_expire_overdue()
        self.stdout.write(f"{moved} proposal(s) expired.")
