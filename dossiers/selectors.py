"""Reads of the dossiers, always scoped to what the user may see."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, QuerySet, Value, When
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.kept import kept, state_changed
from accounts.models import BIRTHDAY_MMDD, Account, Contact, User
from accounts.permissions import CONSENT_ALLOWS, sees_personal_data
from sales.plan_selectors import yearly_account_targets, yearly_target_subquery
from sales.selectors import sales_by_year

from .filters import CompetitorFilter
from .models import (
    STRATEGIC_MIN_SCORE,
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
from .wording import profile_change_values, profile_field_label

RECENT_DAYS = 90  # "recent" interactions, for the single-contact coverage warning
HIGH_INFLUENCE = 4


def strategic_account_ids() -> QuerySet[Any, Any]:
    """The ids (as a subquery) of every account marked strategic: its assessment ticks enough criteria.

    Not scoped to a user: the nightly segmentation reads it to know the key accounts of the company.
    """
    score = sum((Cast(F(name), IntegerField()) for name in StrategicAssessment.CRITERIA), Value(0))
    return (
        StrategicAssessment.objects.annotate(criteria_met=score)
        .filter(criteria_met__gte=STRATEGIC_MIN_SCORE)
        .values("account_id")
    )


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


def competitor_list(*, user: User, filters: Any = None) -> CompetitorFilter:
    """The shared registry by name, filtered (`q`); `.rows`, `.form`."""
    competitors = competitor_queryset(user=user).order_by("name")
    return CompetitorFilter(filters or None, queryset=competitors, user=user)


def presence_counts(*, user: User, competitors: list[Competitor]) -> dict[int, int]:
    """How many of the user's visible accounts each competitor works on."""
    return dict(
        presence_queryset(user=user)
        .filter(competitor__in=competitors)
        .values_list("competitor_id")
        .annotate(n=Count("id"))
        .values_list("competitor_id", "n")
    )


def calendar_tenders(*, user: User) -> QuerySet[Tender]:
    """The tenders the calendar reads (filtered further by TenderFilter)."""
    return Tender.objects.visible_to(user).select_related("account")


def milestone_get(*, user: User, pk: int) -> TenderMilestone:
    milestones = TenderMilestone.objects.visible_to(user).select_related("tender__account")
    return get_object_or_404(milestones, pk=pk)


def plan_queryset(*, user: User) -> QuerySet[AccountPlan]:
    """Visible account plans, each with `revenue_target`: the account's yearly sales plan."""
    return (
        AccountPlan.objects.visible_to(user)
        .select_related("account")
        .prefetch_related("actions")
        .annotate(revenue_target=yearly_target_subquery())
    )


def account_plans(*, user: User, account: Account) -> list[AccountPlan]:
    """The (visible) account's plans by year with their actions, each with `revenue_target` (the
    account's yearly sales plan), `actual` (the year's revenue) and `attainment` (percent of the
    target, None without one)."""
    plans = list(AccountPlan.objects.filter(account=account).prefetch_related("actions__owner"))
    actual = sales_by_year(account=account, years=[p.year for p in plans])
    targets = yearly_account_targets(user=user, account_id=account.pk)
    for plan in plans:
        plan.revenue_target = targets.get(plan.year)  # type: ignore[attr-defined]
        plan.actual = actual.get(plan.year, Decimal(0))  # type: ignore[attr-defined]
        plan.attainment = (  # type: ignore[attr-defined]
            round(plan.actual / plan.revenue_target * 100) if plan.revenue_target else None  # type: ignore[attr-defined]
        )
    return plans


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


# --- The account page's Dossier tab and the home page ------------------------------------------

PAGE_INTERACTIONS = 8
PAGE_PROFILE_CHANGES = 15
HOME_MILESTONE_DAYS = 30
HOME_UPCOMING_DAYS = 14
HOME_BIRTHDAYS = 5  # the birthday card shows the next few; the birthdays page lists them all
HOME_TASKS = 8  # overdue and coming tasks shown on the home card, each; the tasks page lists them all


@dataclass
class OrgNode:
    """A contact of the buying-centre map with the contacts reporting to them."""

    contact: Contact
    reports: list[OrgNode] = field(default_factory=list)


def org_chart(contacts: list[Contact]) -> list[OrgNode]:
    """The contacts as trees by `reports_to`; whoever reports to nobody here is a root."""
    nodes = {c.pk: OrgNode(c) for c in contacts}
    roots: list[OrgNode] = []
    for contact in contacts:
        boss = nodes.get(contact.reports_to_id) if contact.reports_to_id else None
        (boss.reports if boss is not None else roots).append(nodes[contact.pk])
    return roots


def _page_warnings(account: Account, contacts: list[Contact]) -> list[CoverageWarning]:
    """`coverage_warnings`, computed from contacts already read and one query for the recent ones."""
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    pairs = set(
        Interaction.contacts.through.objects.filter(
            interaction__account=account, interaction__occurred_at__gte=since
        ).values_list("interaction_id", "contact_id")
    )
    warnings = _roles_warnings(contacts)
    if len({i for i, _c in pairs}) >= 2 and len({c for _i, c in pairs}) == 1:
        warnings.append(
            CoverageWarning("single_contact", _("All recent interactions went through a single contact."))
        )
    warnings += [
        CoverageWarning(
            "influential_opponent",
            _("%(name)s opposes us with influence %(influence)s.") % {"name": c, "influence": c.influence},
        )
        for c in contacts
        if c.attitude == Contact.Attitude.OPPONENT and c.influence >= HIGH_INFLUENCE
    ]
    return warnings


@dataclass
class DossierPage:
    account: Account
    profile: AccountProfile | None
    changes: list[Any]
    assessment: StrategicAssessment | None
    qualification: ProspectQualification | None
    contacts: list[Contact]
    org_chart: list[OrgNode]
    warnings: list[CoverageWarning]
    interactions: list[Interaction]
    presences: list[CompetitorPresence]
    open_tenders: list[Tender]


def _one_to_one(account: Account, name: str) -> Any:
    return getattr(account, name, None)  # a missing reverse one-to-one raises DoesNotExist


def dossier_page(*, user: User, account: Account) -> DossierPage:
    """Everything the Dossier tab shows, in a constant number of queries.

    `account` comes from `accounts.selectors.account_queryset(user=…)` with its profile,
    assessment and qualification joined (`DOSSIER_JOINS`), so visibility is already checked.
    """
    profile = _one_to_one(account, "profile")
    changes = list(profile.changes.select_related("changed_by")[:PAGE_PROFILE_CHANGES]) if profile else []
    for change in changes:  # "sales_forecast" → "Client's sales forecast", "5212500" → "5,212,500 EUR"
        change.label = profile_field_label(change.field)
        change.old_text, change.new_text = profile_change_values(change)
    contacts = list(Contact.objects.filter(account=account).order_by("-influence", "last_name", "pk"))
    return DossierPage(
        account=account,
        profile=profile,
        changes=changes,
        assessment=_one_to_one(account, "strategic_assessment"),
        qualification=_one_to_one(account, "qualification"),
        contacts=contacts,
        org_chart=org_chart(contacts),
        warnings=_page_warnings(account, contacts),
        interactions=list(
            Interaction.objects.filter(account=account)
            .select_related("created_by")
            .prefetch_related("contacts")[:PAGE_INTERACTIONS]
        ),
        presences=list(CompetitorPresence.objects.filter(account=account).select_related("competitor")),
        open_tenders=list(
            Tender.objects.filter(account=account, status__in=OPEN_TENDER_STATUSES).prefetch_related(
                Prefetch("milestones", TenderMilestone.objects.order_by("due_on", "pk"))
            )
        ),
    )


# What `dossier_page` expects joined on the account.
DOSSIER_JOINS = (
    "profile",
    "strategic_assessment",
    "qualification__need_confirmed_by",
    "qualification__solvency_confirmed_by",
    "qualification__authority_confirmed_by",
)


@dataclass
class Birthday:
    contact: Contact
    on: dt.date  # the coming birthday, this year or next


@dataclass
class HomeAgenda:
    overdue: list[Task]  # the first HOME_TASKS of each
    upcoming: list[Task]
    milestones: list[TenderMilestone]
    today: dt.date
    reviews_due: list[AccountProfile] = field(default_factory=list)
    birthdays: list[Birthday] = field(default_factory=list)  # the next HOME_BIRTHDAYS
    birthdays_total: int = 0  # in the next 14 days
    overdue_total: int = 0
    upcoming_total: int = 0


def reviews_due(*, user: User, today: dt.date) -> list[AccountProfile]:
    """Profiles of visible strategic accounts whose review is overdue or due in the next 14 days."""
    profiles = (
        profile_queryset(user=user)
        .filter(next_review_due__lte=today + dt.timedelta(days=HOME_UPCOMING_DAYS))
        .select_related("account__strategic_assessment")
        .order_by("next_review_due", "pk")
    )
    # "Strategic" is the assessment's score, a Python property: the due profiles are few.
    return [p for p in profiles if (a := _one_to_one(p.account, "strategic_assessment")) and a.is_strategic]


def _birthday_days(today: dt.date) -> tuple[list[int], bool]:
    """Month*100+day of each day of the next 14 (today included), and whether 29 February
    birthdays fall among them on 1 March (outside leap years)."""
    days = [today + dt.timedelta(days=n) for n in range(HOME_UPCOMING_DAYS + 1)]
    leap_day_moved = any((d.month, d.day) == (3, 1) and not calendar.isleap(d.year) for d in days)
    return [d.month * 100 + d.day for d in days] + ([229] if leap_day_moved else []), leap_day_moved


def _next_birthday(born: dt.date, today: dt.date) -> dt.date:
    for year in (today.year, today.year + 1):
        try:
            day = born.replace(year=year)
        except ValueError:  # 29 February outside a leap year: celebrated on 1 March
            day = dt.date(year, 3, 1)
        if day >= today:
            return day
    raise AssertionError("unreachable")  # pragma: no cover


def upcoming_birthdays(*, user: User, today: dt.date) -> QuerySet[Contact]:
    """Visible contacts whose birthday falls in the next 14 days, soonest first then by name; none
    for a user who may not see personal data (analysts), never one who withdrew consent.

    Filtered (on the indexed month*100+day) and sorted in the database, so a page reads only its
    rows; `birthdays_of` dates them.
    """
    if not sees_personal_data(user):
        return Contact.objects.none()
    mmdd, leap_day_moved = _birthday_days(today)
    start = today.month * 100 + today.day
    # The sort key is month*100+day, days after New Year's Eve pushed past December.
    coming = Case(
        *([When(birthday_mmdd=229, then=Value(301))] if leap_day_moved else []),
        When(birthday_mmdd__gte=start, then=F("birthday_mmdd")),
        default=F("birthday_mmdd") + 1300,
        output_field=IntegerField(),
    )
    return (
        Contact.objects.visible_to(user)
        .filter(CONSENT_ALLOWS)
        .annotate(birthday_mmdd=BIRTHDAY_MMDD)
        .filter(birthday_mmdd__in=mmdd)
        .annotate(coming=coming)
        .select_related("account")
        .order_by("coming", "last_name", "first_name", "pk")
    )


def birthdays_of(contacts: Iterable[Contact], today: dt.date) -> list[Birthday]:
    """The contacts of `upcoming_birthdays` with the date of their coming birthday."""
    return [Birthday(c, _next_birthday(c.birthday, today)) for c in contacts if c.birthday]


def home_agenda(*, user: User) -> HomeAgenda:
    """The user's open tasks (overdue, then due soon), tender milestones due in the next 30 days,
    profile reviews due and contacts' birthdays in the next 14 days (personal data: not for analysts).
    """
    today = timezone.localdate()
    tasks = list(
        own_tasks(user=user).filter(done=False, due_on__lte=today + dt.timedelta(days=HOME_UPCOMING_DAYS))
    )
    milestones = (
        TenderMilestone.objects.visible_to(user)
        .filter(done=False, due_on__gte=today, due_on__lte=today + dt.timedelta(days=HOME_MILESTONE_DAYS))
        .select_related("tender__account")
        .order_by("due_on", "pk")
    )
    overdue = [t for t in tasks if t.is_overdue(today)]
    upcoming = [t for t in tasks if not t.is_overdue(today)]
    return HomeAgenda(
        overdue=overdue[:HOME_TASKS],
        upcoming=upcoming[:HOME_TASKS],
        overdue_total=len(overdue),
        upcoming_total=len(upcoming),
        milestones=list(milestones),
        today=today,
        reviews_due=reviews_due(user=user, today=today),
        **_birthday_card(user=user, today=today),
    )


def _birthday_card(*, user: User, today: dt.date) -> dict[str, Any]:
    """The next few birthdays and how many there are, kept (`accounts.kept`) as the contacts' ids: no
    personal data in the cache."""
    found: list[Contact] = []

    def work_out() -> tuple[list[int], int]:
        birthdays = upcoming_birthdays(user=user, today=today)
        found.extend(birthdays[:HOME_BIRTHDAYS])
        # Fewer than a card's worth: they are all there is, no COUNT needed.
        total = len(found) if len(found) < HOME_BIRTHDAYS else birthdays.count()
        return [contact.pk for contact in found], total

    ids, total = kept("birthdays", user, work_out, today)
    if not found and ids:
        by_id = Contact.objects.select_related("account").in_bulk(ids)
        if len(by_id) < len(ids):
            # A contact gone without a signal (a restore, raw SQL): every kept figure may be stale.
            state_changed()
            return _birthday_card(user=user, today=today)
        found = [by_id[pk] for pk in ids]
    return {"birthdays": birthdays_of(found, today), "birthdays_total": total}


def own_task_get(*, user: User, pk: int) -> Task:
    """One of the user's own open or done tasks, or 404 (others' tasks are not ticked off here)."""
    return get_object_or_404(own_tasks(user=user), pk=pk)
