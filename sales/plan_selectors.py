"""Reads of the sales plans: the list, one plan, and plan vs actual with a forecast per target.

`plan_rows` is what every page of the head's desk reads (plan vs actual, the forecast API, KAM
scorecards): a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse

from accounts.models import User

from . import forecast as fc
from .filters import SalesPlanFilter
from .models import ProductLine, SalesPlan
from .periods import Period
from .plan_figures import GROUP, Figures, Window, daily_figures, monthly_line_figures
from .plan_scope import accounts_in_scope, departments_in_scope, kams_in_scope, plan_queryset

LEVELS = ("account", "kam", "department", "product_line")
TARGETS = ("account", "kam", "department")


@dataclass(frozen=True)
class PlanRow:
    """One target's plan for a period beside what it sold so far and where it is heading."""

    level: str
    target_id: int  # the account, KAM or department; for a product-line row, the plan
    label: str
    plan: Decimal | None
    actual: Decimal
    attainment_pct: Decimal | None
    forecast: fc.Forecast
    url: str  # the list behind the figures
    method: str = ""  # the forecast's method in words
    target_kind: str = ""  # account / kam / department (product-line rows name their target)
    product_line: str = ""  # the line's code, for product-line rows
    period: str = ""  # its label: 2026, 2026Q3, 2026-07

    @property
    def forecast_attainment_pct(self) -> Decimal | None:
        return attainment(self.forecast.value, self.plan)


def plan_list(*, user: User, filters: Any = None) -> SalesPlanFilter:
    """The plans the user sees, filtered and sorted; `.rows`, `.form`."""
    plans = plan_queryset(user=user).order_by("-period_start", "period_kind", "pk")
    return SalesPlanFilter(filters or None, queryset=plans, user=user)


def plan_get(*, user: User, pk: int) -> SalesPlan:
    return get_object_or_404(plan_queryset(user=user), pk=pk)


def account_sales_plans(*, user: User, account_id: int, today: dt.date) -> list[PlanRow]:
    """The plans of one (visible) account, each period it has a plan for, with actual and forecast."""
    periods = (
        plan_queryset(user=user)
        .filter(account_id=account_id, product_line__isnull=True)
        .values_list("period_kind", "period_start")
        .distinct()
        .order_by("-period_start", "period_kind")
    )
    rows: list[PlanRow] = []
    for kind, start in periods[:12]:  # a few years of plans: the tab shows the latest dozen
        rows += plan_rows(
            user=user, level="account", period=Period(kind, start), today=today, account_ids=[account_id]
        )
    return rows


def yearly_account_targets(*, user: User, account_id: int) -> dict[int, Decimal]:
    """Year → the account's yearly sales plan over every product line (its revenue target)."""
    plans = plan_queryset(user=user).filter(
        account_id=account_id, period_kind="year", product_line__isnull=True
    )
    return {start.year: amount for start, amount in plans.values_list("period_start", "amount")}


def yearly_target_subquery(account_ref: str = "account_id", year_ref: str = "year") -> Subquery:
    """The yearly account plan's amount, as a subquery over outer account and year columns (for
    lists of rows of one visible account each: the plan is then visible too)."""
    plans = SalesPlan.objects.filter(
        account_id=OuterRef(account_ref), period_kind="year", product_line__isnull=True,
        period_start__year=OuterRef(year_ref),
    )  # fmt: skip
    return Subquery(plans.values("amount")[:1])


def attainment(value: Decimal | None, plan: Decimal | None) -> Decimal | None:
    """Value as a % of plan, one decimal; None without a plan (or a zero one)."""
    if value is None or not plan:
        return None
    return (value * 100 / plan).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _forecast(figures: Figures, window: Window, season: Figures) -> fc.Forecast:
    """Seasonal, with the season of everything the user sees (`season`) and the target's own last
    year to steady it (sales/forecast.py says why)."""
    return fc.seasonal(
        actual_to_date=figures.actual,
        days_elapsed=window.days_elapsed,
        days_total=window.period.days,
        last_year_to_same_day=season.last_year_to_same_day,
        last_year_total=season.last_year_total,
        own_last_year_total=figures.last_year_total,
    )


def _row(
    level: str,
    target: tuple[int, str, str],
    plan: Decimal | None,
    figures: Figures,
    window: Window,
    season: Figures,
    **extra: Any,
) -> PlanRow:
    target_id, label, url = target
    forecast = _forecast(figures, window, season)
    method = fc.describe(forecast, last_year_label=window.last_year.label, same_day=window.last_year_same_day)
    return PlanRow(
        level,
        target_id,
        label,
        plan,
        figures.actual,
        attainment(figures.actual, plan),
        forecast,
        url,
        method,
        period=window.period.label,
        **extra,
    )


def _accounts_url(**params: Any) -> str:
    return f"{reverse('accounts:list')}?{urlencode(params)}"


def _targets(user: User, level: str, ids: dict[str, list[int] | None]) -> dict[int, tuple[int, str, str]]:
    """Target id → (id, label, url) of the level's targets in the user's scope and the given ids."""
    if level == "kam":
        kams = kams_in_scope(user)
        if ids["kam"] is not None:
            kams = kams.filter(pk__in=ids["kam"])
        if ids["department"] is not None:
            kams = kams.filter(departments__in=ids["department"]).distinct()
        return {k.pk: (k.pk, str(k), _accounts_url(owner=k.pk)) for k in kams}
    if level == "department":
        departments = departments_in_scope(user)
        if ids["department"] is not None:
            departments = departments.filter(pk__in=ids["department"])
        return {d.pk: (d.pk, d.name, _accounts_url(department=d.pk)) for d in departments}
    raise ValueError(level)


def _account_restriction(ids: dict[str, list[int] | None], prefix: str = "account__") -> Q:
    """Accounts among the given account ids, owned by the given KAMs, in the given departments."""
    q = Q()
    for key, field in (("account", "id"), ("kam", "owner_id"), ("department", "department_id")):
        if ids[key] is not None:
            q &= Q(**{f"{prefix}{field}__in": ids[key]})
    return q


def _season(user: User, window: Window) -> Figures:
    """Last year's revenue to the same day and in all, over every account the user sees."""
    return daily_figures(user=user, level="pool", window=window).get(0, Figures())


def _plans(user: User, period: Period, **conditions: Any) -> QuerySet[SalesPlan]:
    return plan_queryset(user=user).filter(period_kind=period.kind, period_start=period.start, **conditions)


def _account_rows(user: User, window: Window, ids: dict[str, list[int] | None]) -> list[PlanRow]:
    """Accounts with a plan for the period or revenue in it (or in last year's)."""
    plans = {
        p.account_id: p.amount
        for p in _plans(user, window.period, account__isnull=False, product_line__isnull=True)
        .filter(_account_restriction(ids))
        .select_related(None)
        .only("account_id", "amount")
    }
    figures = daily_figures(user=user, level="account", window=window, restrict=_account_restriction(ids))
    season = _season(user, window)
    wanted = [pk for pk in set(plans) | set(figures) if pk is not None]
    accounts = accounts_in_scope(user).filter(pk__in=wanted).values_list("pk", "name")
    return [
        _row(
            "account",
            (pk, name, reverse("sales:account-tab", args=[pk])),
            plans.get(pk),
            figures.get(pk, Figures()),
            window,
            season,
            target_kind="account",
        )
        for pk, name in accounts
    ]


def _target_rows(user: User, level: str, window: Window, ids: dict[str, list[int] | None]) -> list[PlanRow]:
    """KAMs or departments in scope, each with its plan and the revenue of its visible accounts."""
    targets = _targets(user, level, ids)
    if not targets:
        return []
    plans = {
        getattr(p, f"{level}_id"): p.amount
        for p in _plans(user, window.period, product_line__isnull=True, **{f"{level}__in": list(targets)})
    }
    restrict = Q(**{f"{GROUP[level]}__in": list(targets)})
    figures = daily_figures(user=user, level=level, window=window, restrict=restrict)
    season = _season(user, window)
    return [
        _row(level, target, plans.get(pk), figures.get(pk, Figures()), window, season, target_kind=level)
        for pk, target in targets.items()
    ]


def _line_rows(user: User, window: Window, ids: dict[str, list[int] | None]) -> list[PlanRow]:
    """Every product-line plan of the period, against that line's revenue of the plan's target."""
    plans = list(_plans(user, window.period, product_line__isnull=False))
    if not plans:
        return []
    seasons = {
        line: f for (_zero, line), f in monthly_line_figures(user=user, level="pool", window=window).items()
    }
    rows: list[PlanRow] = []
    for kind in TARGETS:
        of_kind = [p for p in plans if getattr(p, f"{kind}_id") is not None and _wanted(p, kind, ids)]
        if not of_kind:
            continue
        target_ids = list({getattr(p, f"{kind}_id") for p in of_kind})
        restrict = Q(**{f"{GROUP[kind]}__in": target_ids})
        figures = monthly_line_figures(user=user, level=kind, window=window, restrict=restrict)
        for plan in of_kind:
            target = getattr(plan, kind)
            line = plan.product_line or ProductLine()  # never empty here: filtered on above
            query = urlencode({"period": window.period.label, "product_line": line.code})
            url = f"{reverse('sales:plans')}?{query}"
            label = f"{line.name or line.code} · {target}"
            key = (getattr(plan, f"{kind}_id"), line.pk)
            rows.append(
                _row(
                    "product_line",
                    (plan.pk, label, url),
                    plan.amount,
                    figures.get(key, Figures()),
                    window,
                    seasons.get(line.pk, Figures()),
                    target_kind=kind,
                    product_line=line.code,
                )
            )
    return rows


def _wanted(plan: SalesPlan, kind: str, ids: dict[str, list[int] | None]) -> bool:
    wanted = ids[kind]
    return wanted is None or getattr(plan, f"{kind}_id") in wanted


def plan_rows(
    *,
    user: User,
    level: str,
    period: Period,
    today: dt.date,
    kam_ids: list[int] | None = None,
    department_ids: list[int] | None = None,
    account_ids: list[int] | None = None,
) -> list[PlanRow]:
    """Plan, actual to date, attainment and forecast to the period's end of each target of a level
    ("account", "kam", "department" or "product_line") the user may see, sorted by label.

    Actual of a KAM = the revenue of the accounts the KAM owns now; of a department = its accounts';
    each summed over the accounts the user sees. A KAM gets no department rows. The ids narrow the
    rows (a scorecard asks for its KAMs); they never widen what the user sees.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    ids = {"kam": kam_ids, "department": department_ids, "account": account_ids}
    window = Window(period, today)
    if level == "account":
        rows = _account_rows(user, window, ids)
    elif level == "product_line":
        rows = _line_rows(user, window, ids)
    else:
        rows = _target_rows(user, level, window, ids)
    return sorted(rows, key=lambda row: (row.label.lower(), row.target_id))
