"""Reads of the dossiers, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, Contact, User

from .models import (
    AccountPlan,
    AccountProfile,
    Competitor,
    CompetitorPresence,
    Interaction,
    ProspectQualification,
    StrategicAssessment,
    Task,
    Tender,
    TenderMilestone,
)

RECENT_DAYS = 90  # "recent" interactions, for the single-contact coverage warning
HIGH_INFLUENCE = 4


def profile_queryset(*, user: User) -> QuerySet[AccountProfile]:
    return AccountProfile.objects.visible_to(user).select_related("account")


def interaction_queryset(*, user: User) -> QuerySet[Interaction]:
    return (
        Interaction.objects.visible_to(user)
        .select_related("account", "created_by")
        .prefetch_related("contacts", "users")
    )


def task_queryset(*, user: User) -> QuerySet[Task]:
    return Task.objects.visible_to(user).select_related("account", "owner")


def own_tasks(*, user: User) -> QuerySet[Task]:
    """The user's own tasks, open ones first by due date."""
    return task_queryset(user=user).filter(owner=user)


def tender_queryset(*, user: User) -> QuerySet[Tender]:
    return (
        Tender.objects.visible_to(user)
        .select_related("account")
        .prefetch_related(
            "competitors", Prefetch("milestones", TenderMilestone.objects.order_by("due_on", "pk"))
        )
    )


def competitor_queryset(*, user: User) -> QuerySet[Competitor]:
    return Competitor.objects.visible_to(user)


def presence_queryset(*, user: User) -> QuerySet[CompetitorPresence]:
    return CompetitorPresence.objects.visible_to(user).select_related("account", "competitor")


def plan_queryset(*, user: User) -> QuerySet[AccountPlan]:
    return AccountPlan.objects.visible_to(user).select_related("account").prefetch_related("actions")


@dataclass(frozen=True)
class CoverageWarning:
    code: str
    message: str


def _roles_warnings(contacts: list[Contact]) -> list[CoverageWarning]:
    roles = {c.dmu_role for c in contacts}
    warnings = []
    if Contact.DmuRole.DECISION_MAKER not in roles:
        warnings.append(CoverageWarning("no_decision_maker", _("No decision maker identified.")))
    if Contact.DmuRole.FINANCIAL_APPROVER not in roles:
        warnings.append(CoverageWarning("no_financial_approver", _("No financial approver identified.")))
    return warnings


def _single_thread_warning(account: Account) -> list[CoverageWarning]:
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    through = Interaction.contacts.through.objects.filter(
        interaction__account=account, interaction__occurred_at__gte=since
    )
    contact_ids = set(through.values_list("contact_id", flat=True))
    interactions = through.values("interaction_id").distinct().count()
    if interactions >= 2 and len(contact_ids) == 1:
        return [
            CoverageWarning("single_contact", _("All recent interactions went through a single contact."))
        ]
    return []


def coverage_warnings(account: Account) -> list[CoverageWarning]:
    """Gaps in the buying-centre coverage of an account the caller has already been allowed to see."""
    contacts = list(account.contacts.all())
    warnings = _roles_warnings(contacts)
    warnings += _single_thread_warning(account)
    for contact in contacts:
        if contact.attitude == Contact.Attitude.OPPONENT and contact.influence >= HIGH_INFLUENCE:
            warnings.append(
                CoverageWarning(
                    "influential_opponent",
                    _("%(name)s opposes us with influence %(influence)s.")
                    % {"name": contact, "influence": contact.influence},
                )
            )
    return warnings


@dataclass
class DossierSummary:
    account: Account
    profile: AccountProfile | None
    assessment: StrategicAssessment | None
    qualification: ProspectQualification | None
    recent_interactions: list[Interaction]
    open_tasks: list[Task]
    open_tenders: list[Tender]
    presences: list[CompetitorPresence]
    plan: AccountPlan | None
    warnings: list[CoverageWarning] = field(default_factory=list)


OPEN_TENDER_STATUSES = (Tender.Status.PLANNED, Tender.Status.PREPARING, Tender.Status.SUBMITTED)


def dossier_summary(*, user: User, account: Account | int) -> DossierSummary:
    """What the Dossier tab shows about one visible account (404 for an invisible one)."""
    pk = account.pk if isinstance(account, Account) else account
    account = get_object_or_404(Account.objects.visible_to(user), pk=pk)
    return DossierSummary(
        account=account,
        profile=AccountProfile.objects.filter(account=account).first(),
        assessment=StrategicAssessment.objects.filter(account=account).first(),
        qualification=ProspectQualification.objects.filter(account=account).first(),
        recent_interactions=list(interaction_queryset(user=user).filter(account=account)[:10]),
        open_tasks=list(task_queryset(user=user).filter(account=account, done=False)),
        open_tenders=list(
            tender_queryset(user=user).filter(account=account, status__in=OPEN_TENDER_STATUSES)
        ),
        presences=list(presence_queryset(user=user).filter(account=account)),
        plan=plan_queryset(user=user).filter(account=account, year=timezone.localdate().year).first(),
        warnings=coverage_warnings(account),
    )
