"""Reads of the commitments register, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Account, User

from .filters import CommitmentFilter
from .models import Commitment, Interaction, overdue_q

OPEN = Commitment.Status.OPEN

HOME_SHOWN = 5  # overdue promises on the home card; the card links to the full list


def commitment_queryset(*, user: User) -> QuerySet[Commitment]:
    return Commitment.objects.visible_to(user).select_related("account", "contact", "owner", "interaction")


def commitment_get(*, user: User, pk: int) -> Commitment:
    """A commitment on an account the user sees (404 otherwise)."""
    return get_object_or_404(commitment_queryset(user=user), pk=pk)


def commitment_list(*, user: User, filters: Any = None) -> CommitmentFilter:
    """The register filtered and sorted (default: soonest due first); `.rows`, `.form`."""
    rows = commitment_queryset(user=user).order_by("due_on", "pk")
    return CommitmentFilter(filters or None, queryset=rows, user=user)


def account_commitments(*, user: User, account: Account) -> list[Commitment]:
    """The (visible) account's promises: open ones by due date, then the closed ones, newest first."""
    rows = commitment_queryset(user=user).filter(account=account)
    open_ = list(rows.filter(status=OPEN).order_by("due_on", "pk"))
    closed = list(rows.exclude(status=OPEN).order_by("-due_on", "-pk")[:50])
    return open_ + closed


def open_commitments(*, user: User, account: Account) -> list[Commitment]:
    """The (visible) account's open promises, soonest due first (the meeting brief)."""
    return list(commitment_queryset(user=user).filter(account=account, status=OPEN).order_by("due_on", "pk"))


def overdue_of(*, user: User, today: dt.date) -> tuple[list[Commitment], int]:
    """The user's own overdue promises, longest overdue first: the first few and how many in all."""
    rows = commitment_queryset(user=user).filter(overdue_q(today), owner=user).order_by("due_on", "pk")
    shown = list(rows[:HOME_SHOWN])
    return shown, (len(shown) if len(shown) < HOME_SHOWN else rows.count())


def interaction_for(*, user: User, account: Account, pk: int | None) -> Interaction | None:
    """The account's interaction a commitment is logged from (none when `pk` is none or foreign)."""
    if pk is None:
        return None
    return Interaction.objects.visible_to(user).filter(account=account, pk=pk).first()
