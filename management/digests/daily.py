"""The KAM's daily digest: what is due today and which accounts are drifting away."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from accounts.models import Account, User
from dossiers.models import Task
from dossiers.selectors import Birthday, birthdays_of, own_tasks, upcoming_birthdays
from proposals.models import FollowUpStep, Proposal
from proposals.selectors import proposal_queryset

from ..neglect import cutoff, neglected

WEEK = 7
EXPIRING_DAYS = 7


@dataclass
class DailyDigest:
    user: User
    today: dt.date
    tasks: list[Task] = field(default_factory=list)
    follow_ups: list[FollowUpStep] = field(default_factory=list)
    birthdays: list[Birthday] = field(default_factory=list)
    at_risk: list[Account] = field(default_factory=list)
    neglected: list[Account] = field(default_factory=list)
    expiring: list[Proposal] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.tasks, self.follow_ups, self.birthdays, self.at_risk, self.neglected, self.expiring)
        )


def tasks_due(*, user: User, today: dt.date) -> QuerySet[Task]:
    """The user's open tasks due today or overdue; a proposal's follow-up step is listed as a step."""
    return (
        own_tasks(user=user)
        .filter(done=False, due_on__lte=today, proposal_step__isnull=True)
        .order_by("due_on", "pk")
    )


def follow_ups_due(*, user: User, today: dt.date) -> QuerySet[FollowUpStep]:
    """Open follow-up steps due today or overdue of the proposals the user wrote and still sees."""
    proposals = proposal_queryset(user=user).filter(author=user)
    return (
        FollowUpStep.objects.filter(proposal__in=proposals, state=FollowUpStep.State.OPEN, due_on__lte=today)
        .select_related("proposal__account")
        .order_by("due_on", "pk")
    )


def birthdays_this_week(*, user: User, today: dt.date) -> list[Birthday]:
    """Visible contacts' birthdays of the next seven days (none for who may not see personal data)."""
    last = today + dt.timedelta(days=WEEK - 1)
    return [b for b in birthdays_of(upcoming_birthdays(user=user, today=today), today) if b.on <= last]


def own_accounts(user: User) -> QuerySet[Account]:
    return Account.objects.visible_to(user).filter(owner=user)


def expiring_within_week(*, user: User, today: dt.date) -> QuerySet[Proposal]:
    """The user's open proposals (own, or on the accounts they own) whose validity ends this week."""
    until = today + dt.timedelta(days=EXPIRING_DAYS)
    return (
        proposal_queryset(user=user)
        .filter(status__in=Proposal.OPEN_STATUSES, valid_until__gte=today, valid_until__lte=until)
        .filter(author=user)
        .order_by("valid_until", "pk")
    )


def daily_digest(*, user: User, today: dt.date) -> DailyDigest:
    """Everything the KAM's daily digest says, over what the KAM may see."""
    accounts = own_accounts(user)
    return DailyDigest(
        user=user,
        today=today,
        tasks=list(tasks_due(user=user, today=today)),
        follow_ups=list(follow_ups_due(user=user, today=today)),
        birthdays=birthdays_this_week(user=user, today=today),
        at_risk=list(accounts.filter(status=Account.Status.AT_RISK).order_by("name", "pk")),
        neglected=list(neglected(accounts, since=cutoff())),
        expiring=list(expiring_within_week(user=user, today=today)),
    )
