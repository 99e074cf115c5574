"""The service plan set against what was logged: per account, and as annotations for a list.

What counts (DOMAIN.md: "a contact plan — visits, calls, reviews, budget — checked against what
happened"): visits are face-to-face meetings at the client's or ours (kinds `visit` and `meeting`),
calls are `call`s, reviews are `business_review`s, and the spend is the value of every gift,
greeting card and hospitality. Interactions count in the calendar year they occurred in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, DecimalField, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User

from .models import VALUED_KINDS, Interaction, ServicePlan

# The plan's line → the interaction kinds logged against it.
COUNTED_KINDS: dict[str, tuple[str, ...]] = {
    "visits": (Interaction.Kind.VISIT, Interaction.Kind.MEETING),
    "calls": (Interaction.Kind.CALL,),
    "reviews": (Interaction.Kind.BUSINESS_REVIEW,),
}
LINE_LABELS = {
    "visits": _("Visits (visits and meetings)"),
    "calls": _("Calls"),
    "reviews": _("Business reviews"),
    "spend": _("Gifts and hospitality (budget)"),
}
ZERO = Decimal("0.00")


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of `year` and of the next one, in the project's time zone."""
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))


def elapsed_share(year: int, today: dt.date) -> Decimal:
    """How much of `year` has passed by the end of `today`: 0 before it, 1 after it."""
    if today.year < year:
        return Decimal(0)
    if today.year > year:
        return Decimal(1)
    days = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    return Decimal(today.timetuple().tm_yday) / Decimal(days)


def _percent(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP)


@dataclass(frozen=True)
class PlanLine:
    """One line of the plan: what was planned, logged, and expected by today at an even pace."""

    key: str
    label: str
    planned: Decimal
    logged: Decimal
    expected: Decimal
    money: bool = False

    @property
    def percent(self) -> Decimal | None:
        return _percent(self.logged, self.planned)

    @property
    def behind(self) -> bool:
        """Fewer whole contacts than the pace asks for (22 calls against a pace of 22.3 is on pace);
        for the budget: more spent than the pace allows."""
        return self.logged > self.expected if self.money else self.logged < int(self.expected)


def plan_lines(row: Any, *, planned: Any, elapsed: Decimal) -> list[PlanLine]:
    """The plan's four lines from `row`'s logged figures (`logged_visits`, …, `logged_spend`) and
    `planned` (a ServicePlan, or anything with visits, calls, reviews and budget)."""
    lines = []
    for key in ("visits", "calls", "reviews"):
        target = Decimal(getattr(planned, key) or 0)
        expected = (target * elapsed).quantize(Decimal("0.1"), ROUND_HALF_UP)
        lines.append(
            PlanLine(
                key, str(LINE_LABELS[key]), target, Decimal(getattr(row, f"logged_{key}") or 0), expected
            )
        )
    budget = Decimal(planned.budget or 0)
    spent = Decimal(row.logged_spend or 0)
    expected = (budget * elapsed).quantize(Decimal("0.01"), ROUND_HALF_UP)
    lines.append(PlanLine("spend", str(LINE_LABELS["spend"]), budget, spent, expected, money=True))
    return lines


def _logged_in(year: int, kinds: tuple[str, ...], *, spend: bool = False) -> Coalesce:
    """Per outer account: the interactions of `kinds` in `year` (their count, or their value)."""
    start, end = year_bounds(year)
    rows = Interaction.objects.filter(
        account=OuterRef("pk"), kind__in=kinds, occurred_at__gte=start, occurred_at__lt=end
    )
    return _figure(rows, spend=spend)


def _logged_for_plan(kinds: tuple[str, ...], *, spend: bool = False) -> Coalesce:
    """Per outer service plan: the interactions of `kinds` of its account in its year."""
    rows = Interaction.objects.filter(
        account=OuterRef("account"), kind__in=kinds, occurred_at__year=OuterRef("year")
    )
    return _figure(rows, spend=spend)


def _figure(rows: QuerySet[Interaction], *, spend: bool) -> Coalesce:
    rows = rows.order_by()
    figure = Sum("value") if spend else Count("pk")
    grouped = rows.values("account").annotate(n=figure).values("n")
    if spend:
        return Coalesce(Subquery(grouped), ZERO, output_field=DecimalField(max_digits=14, decimal_places=2))
    return Coalesce(Subquery(grouped), 0)


def with_service_progress(accounts: QuerySet[Account], *, year: int) -> QuerySet[Account]:
    """`accounts` with the year's plan joined (`plan_visits`, … `plan_budget`, null without one) and
    what was logged (`logged_visits`, `logged_calls`, `logged_reviews`, `logged_spend`)."""
    return accounts.annotate(
        year_plan=FilteredRelation("service_plans", condition=Q(service_plans__year=year)),
        plan_id=F("year_plan__id"),
        plan_visits=F("year_plan__visits"),
        plan_calls=F("year_plan__calls"),
        plan_reviews=F("year_plan__reviews"),
        plan_budget=F("year_plan__budget"),
        logged_visits=_logged_in(year, COUNTED_KINDS["visits"]),
        logged_calls=_logged_in(year, COUNTED_KINDS["calls"]),
        logged_reviews=_logged_in(year, COUNTED_KINDS["reviews"]),
        logged_spend=_logged_in(year, VALUED_KINDS, spend=True),
    )


@dataclass(frozen=True)
class ServiceProgress:
    """An account's service plan of a year (None: no plan yet) against what was logged."""

    year: int
    plan: ServicePlan | None
    lines: list[PlanLine]
    elapsed: Decimal

    @property
    def elapsed_percent(self) -> Decimal:
        return (self.elapsed * 100).quantize(Decimal(1), ROUND_HALF_UP)


def service_progress(
    *, user: User, account: Account, year: int, today: dt.date | None = None
) -> ServiceProgress:
    """The account's plan for `year` and what was logged against it (the account is one the user
    sees: it is read through `visible_to` again, so a foreign one yields nothing)."""
    today = today or timezone.localdate()
    row = with_service_progress(Account.objects.visible_to(user).filter(pk=account.pk), year=year).get()
    plan = ServicePlan.objects.filter(account=account, year=year).select_related("updated_by").first()
    elapsed = elapsed_share(year, today)
    lines = plan_lines(row, planned=plan or ServicePlan(), elapsed=elapsed)
    return ServiceProgress(year=year, plan=plan, lines=lines, elapsed=elapsed)


def service_plan_queryset(*, user: User) -> QuerySet[ServicePlan]:
    """The visible service plans with what was logged in their year (`logged_visits`, …)."""
    return ServicePlan.objects.visible_to(user).annotate(
        logged_visits=_logged_for_plan(COUNTED_KINDS["visits"]),
        logged_calls=_logged_for_plan(COUNTED_KINDS["calls"]),
        logged_reviews=_logged_for_plan(COUNTED_KINDS["reviews"]),
        logged_spend=_logged_for_plan(VALUED_KINDS, spend=True),
    )
