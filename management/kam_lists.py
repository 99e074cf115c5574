"""What lies behind each figure of a KAM's scorecard: the accounts, tasks and proposals it counts,
for the KAM's own card page. The same definitions as `scorecards` (one place each)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact, User
from dossiers.models import AccountProfile
from dossiers.selectors import strategic_account_ids

from . import neglect
from .scorecards import (
    ACTIVITY_DAYS,
    Moments,
    _accounts_of,
    _action_q,
    contact_count,
    decided_proposals,
    key_q,
    overdue_commitments,
    overdue_follow_ups,
    overdue_tasks,
    without_role,
)
from .selectors import policy_current

SHOWN = 50  # rows per list on the card page; the count says how many there are
Status = Account.Status


@dataclass
class Listing:
    key: str  # the anchor the scorecard's figure links to
    title: Any
    rows: list[Any]
    total: int


def _listing(key: str, title: Any, rows: QuerySet[Any]) -> Listing:
    shown = list(rows[:SHOWN])
    total = len(shown) if len(shown) < SHOWN else rows.count()
    return Listing(key, title, shown, total)


def _account_lists(accounts: QuerySet[Account], at: Moments) -> list[tuple[str, Any, QuerySet[Any]]]:
    live = accounts.filter(neglect.live_q())
    role = Contact.DmuRole
    acted = _action_q(at.since)
    recent = Q(interactions__occurred_at__gte=at.now - dt.timedelta(days=ACTIVITY_DAYS))
    strategic = accounts.filter(pk__in=strategic_account_ids())
    return [
        (
            "key-accounts",
            _("Key accounts"),
            accounts.filter(key_q()).annotate(recent=Count("interactions", filter=recent)),
        ),
        ("neglected", _("Neglected: no contact for too long"), neglect.neglected(accounts, since=at.since)),
        (
            "no-decision-maker",
            _("No decision maker"),
            live.filter(without_role(role.DECISION_MAKER)),
        ),
        (
            "no-financial-approver",
            _("No financial approver"),
            live.filter(without_role(role.FINANCIAL_APPROVER)),
        ),
        ("single-contact", _("One contact at most"), live.annotate(n=contact_count()).filter(n__lte=1)),
        (
            "reviews-overdue",
            _("Profile reviews overdue"),
            AccountProfile.objects.filter(account__in=strategic, next_review_due__lt=at.today)
            .select_related("account")
            .order_by("next_review_due", "pk"),
        ),
        (
            "at-risk",
            _("At risk, nothing done"),
            accounts.filter(Q(status=Status.AT_RISK) & ~acted["at_risk"]),
        ),
        ("lost", _("Lost, nothing done"), accounts.filter(Q(status=Status.LOST) & ~acted["lost"])),
    ]


def _work_lists(user: User, kam: User, at: Moments) -> list[tuple[str, Any, QuerySet[Any]]]:
    tasks = overdue_tasks(user, [kam.pk], at.today)
    promises = overdue_commitments(user, [kam.pk], at.today)
    steps = overdue_follow_ups(user, [kam.pk], at.today)
    decided = decided_proposals(user, [kam.pk], at.now)
    return [
        ("overdue-tasks", _("Overdue tasks"), tasks.select_related("account").order_by("due_on", "pk")),
        (
            "overdue-commitments",
            _("Overdue commitments"),
            promises.select_related("account", "contact").order_by("due_on", "pk"),
        ),
        (
            "overdue-follow-ups",
            _("Overdue proposal follow-ups"),
            steps.select_related("proposal__account").order_by("due_on", "pk"),
        ),
        (
            "proposals",
            _("Proposals decided, last 12 months"),
            decided.select_related("account").order_by("-decided_at", "pk"),
        ),
    ]


def kam_listings(*, user: User, kam: User, today: dt.date | None = None) -> dict[str, Listing]:
    """Each list behind the card of `kam` (already visible to the user), over what the user sees."""
    now = timezone.now()
    at = Moments(
        today or timezone.localdate(),
        now,
        neglect.cutoff(neglect_days=policy_current().neglect_days, now=now),
    )
    accounts = _accounts_of(user, [kam.pk]).order_by("name", "pk")
    lists = _account_lists(accounts, at) + _work_lists(user, kam, at)
    return {key: _listing(key, title, rows) for key, title, rows in lists}
