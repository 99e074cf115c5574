"""The strategic accounts the user sees, their service plans against what was logged, and the
share of strategic accounts against the policy's cap — always over what the user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Floor
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Department, User
from accounts.standing import with_standing
from common.filters import FilterSet, IdChoiceFilter, YearField, YearFilter
from dossiers.selectors import strategic_account_ids
from dossiers.service_plan_selectors import elapsed_share, plan_lines, with_service_progress
from dossiers.standing import AssessmentStanding

from .selectors import policy_current


@dataclass(frozen=True)
class StrategicShare:
    """Strategic customers among the customers (accounts that are not prospects) the user sees."""

    strategic: int
    customers: int
    cap: Decimal

    @property
    def percent(self) -> Decimal | None:
        if not self.customers:
            return None
        return (Decimal(self.strategic) * 100 / self.customers).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def exceeded(self) -> bool:
        return self.percent is not None and self.percent > self.cap


def strategic_share(*, user: User, cap: Decimal | None = None) -> StrategicShare:
    """The share over the accounts `user` sees: a KAM's own book, a head's departments, all for
    admins — never a figure over accounts the user cannot see. One query (and the policy's, unless
    `cap` is given)."""
    customers = Account.objects.visible_to(user).exclude(status=Account.Status.PROSPECT)
    counts = customers.aggregate(
        customers=Count("pk"), strategic=Count("pk", filter=Q(pk__in=strategic_account_ids()))
    )
    return StrategicShare(
        strategic=counts["strategic"],
        customers=counts["customers"],
        cap=policy_current().strategic_share_cap if cap is None else cap,
    )


PLAN_CHOICES = (
    ("with", _("With a plan")),
    ("without", _("Without a plan")),
    ("behind", _("Behind the pace")),
)


class StrategicFilter(FilterSet):
    """Filters and sorting of the strategic accounts page (`elapsed`: the year's share gone)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    owner = IdChoiceFilter(
        queryset=User.objects.filter(role__in=[User.Role.KAM, User.Role.HEAD]),
        label=_("Owner"),
        empty_label=_("Any owner"),
    )
    department = IdChoiceFilter(
        queryset=Department.objects.all(), label=_("Department"), empty_label=_("Any department")
    )
    # The year picks which plans the rows carry (`strategic_year`), not which rows: parsed here so
    # that a bad one is refused like any other parameter.
    year = YearFilter(label=_("Year"), method="any_year")
    plan = django_filters.ChoiceFilter(
        choices=PLAN_CHOICES, label=_("Service plan"), empty_label=_("Any"), method="by_plan"
    )
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("owner__last_name", "owner"),
            ("department__name", "department"),
            ("logged_visits", "visits"),
            ("logged_calls", "calls"),
            ("logged_reviews", "reviews"),
            ("logged_spend", "spend"),
            ("plan_budget", "budget"),
        ),
        label=_("Sort by"),
    )

    elapsed = Decimal(0)

    class Meta:
        model = Account
        fields = ["q", "owner", "department", "plan", "year"]

    def any_year(self, queryset: QuerySet[Account], name: str, value: int) -> QuerySet[Account]:
        return queryset

    def search(self, queryset: QuerySet[Account], name: str, value: str) -> QuerySet[Account]:
        query = Q()
        for term in value.split():
            query &= Q(name__icontains=term) | Q(external_id__icontains=term)
        return queryset.filter(query)

    def by_plan(self, queryset: QuerySet[Account], name: str, value: str) -> QuerySet[Account]:
        if value == "with":
            return queryset.filter(plan_id__isnull=False)  # type: ignore[misc]  # an annotation
        if value == "without":
            return queryset.filter(plan_id__isnull=True)  # type: ignore[misc]  # an annotation
        # Behind: fewer visits or calls than the plan times the share of the year gone, or over budget.
        share = self.elapsed
        # Whole contacts, as PlanLine.behind counts them.
        return queryset.filter(plan_id__isnull=False).filter(  # type: ignore[misc]  # annotations
            Q(logged_visits__lt=Floor(F("plan_visits") * share))
            | Q(logged_calls__lt=Floor(F("plan_calls") * share))
            | Q(logged_reviews__lt=Floor(F("plan_reviews") * share))
            | Q(logged_spend__gt=F("plan_budget") * share)
        )


def strategic_year(filters: Mapping[str, Any], default: int) -> int:
    """The year `?year=` names, or `default` when it names none (a bad one is refused by the filter)."""
    try:
        return YearField(required=False).clean(filters.get("year")) or default
    except ValidationError:
        return default


def strategic_accounts(
    *, user: User, year: int, filters: Mapping[str, Any] | None = None, today: dt.date | None = None
) -> StrategicFilter:
    """The visible strategic accounts with `year`'s plan and what was logged; `.rows`, `.form`."""
    accounts = Account.objects.visible_to(user).filter(pk__in=strategic_account_ids())
    accounts = with_standing(accounts.select_related("owner", "department"))
    rows = with_service_progress(accounts, year=year).order_by("name", "pk")
    strategic = StrategicFilter(filters or None, queryset=rows, user=user)
    strategic.elapsed = elapsed_share(year, today or timezone.localdate())
    return strategic


@dataclass(frozen=True)
class PlannedFigures:
    """What `plan_lines` reads of a plan, from a row's joined `plan_…` columns."""

    visits: int | None
    calls: int | None
    reviews: int | None
    budget: Decimal | None


def row_lines(account: Account, elapsed: Decimal) -> list[Any]:
    """The plan's lines of one row of `strategic_accounts` (none without a plan)."""
    if getattr(account, "plan_id", None) is None:
        return []
    planned = PlannedFigures(
        account.plan_visits,  # type: ignore[attr-defined]
        account.plan_calls,  # type: ignore[attr-defined]
        account.plan_reviews,  # type: ignore[attr-defined]
        account.plan_budget,  # type: ignore[attr-defined]
    )
    return plan_lines(account, planned=planned, elapsed=elapsed)


def privileges_of(account: Account) -> list[str]:
    return [p.label for p in AssessmentStanding().standing_of(account).privileges]
