"""The management part of the demo: a key account nobody has visited for two months.

Diego Santos (kam2) holds ten key accounts, one over the target load (accounts.demo), and the last
contact with Vega Paper was a plant visit 60 days ago: the scorecard, his home page and the head's
desk all show it as neglected. Safe to run twice.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import Account
from dossiers.models import Interaction
from dossiers.services import interaction_create

NEGLECTED = "00046"  # Vega Paper
NEGLECTED_DAYS = 60
SUMMARY = "Plant visit: paper grades for next year's packaging line"


def load_demo() -> str:
    account = Account.objects.filter(external_id=NEGLECTED).first()
    if account is None or account.owner is None:
        return "management: no demo account to neglect"
    if not Interaction.objects.filter(account=account, summary=SUMMARY).exists():
        when = timezone.now() - dt.timedelta(days=NEGLECTED_DAYS)
        interaction_create(
            account=account,
            by=account.owner,
            kind=Interaction.Kind.VISIT,
            occurred_at=when.replace(hour=10, minute=0, second=0, microsecond=0),
            summary=SUMMARY,
            outcome="Promised a trial order after the budget round; nobody has followed up since.",
        )
    return f"management: {account.name} last contacted {NEGLECTED_DAYS} days ago"
