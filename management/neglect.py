"""Neglect: an account nobody has been in touch with for longer than the policy allows.

"Forgotten" clients are a named reason for loss (DOMAIN.md). The last contact is the newest
interaction logged on the account; an account with none counts from the day it was created, so an
account taken on and never called is neglected too. Only live customers (active or at risk) are
watched: a prospect belongs to the funnel and a lost account to win-back.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import DateTimeField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Account
from dossiers.models import Interaction

from .selectors import policy_current

LIVE = (Account.Status.ACTIVE, Account.Status.AT_RISK)


def live_q(prefix: str = "") -> Q:
    """Accounts still buying: active or at risk."""
    return Q(**{f"{prefix}status__in": LIVE})


def last_contact() -> Subquery:
    """The newest interaction's time, per account (a correlated subquery on the timeline index)."""
    newest = Interaction.objects.filter(account=OuterRef("pk")).order_by("-occurred_at")
    return Subquery(newest.values("occurred_at")[:1], output_field=DateTimeField())


def cutoff(*, neglect_days: int | None = None, now: dt.datetime | None = None) -> dt.datetime:
    """Contact before this moment is too long ago."""
    days = neglect_days if neglect_days is not None else policy_current().neglect_days
    return (now or timezone.now()) - dt.timedelta(days=days)


def with_last_contact(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """The accounts with `last_contact_at` (the newest interaction, else the account's creation)."""
    return accounts.annotate(last_contact_at=Coalesce(last_contact(), "created_at"))


def neglected(accounts: QuerySet[Account], *, since: dt.datetime) -> QuerySet[Account]:
    """The live accounts among `accounts` without contact since `since`, longest forgotten first."""
    return (
        accounts.filter(live_q())
        .annotate(last_contact_at=Coalesce(last_contact(), "created_at"))
        .filter(last_contact_at__lt=since)
        .order_by("last_contact_at", "pk")
    )


def is_neglected(
    account: Account, *, neglect_days: int | None = None, now: dt.datetime | None = None
) -> bool:
    """Whether nobody has been in touch with the account for longer than the policy allows (live or
    not: a loss being recorded asks whether the account had been forgotten)."""
    newest = (
        Interaction.objects.filter(account=account)
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return (newest or account.created_at) < cutoff(neglect_days=neglect_days, now=now)
