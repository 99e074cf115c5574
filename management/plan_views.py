"""The plan vs actual page, with the forecast to the period's end."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from common.filters import form_refused
from common.pagination import paginate, querystring_without
from common.views import AuthenticatedHttpRequest
from sales.plan_scope import can_edit_plans
from sales.plan_selectors import PlanRow, attainment, plan_rows

from .forms import PlanVsActualForm


def _totals(rows: list[PlanRow]) -> dict[str, Any]:
    """The sums of the rows (only over what the user sees, like every row); the attainment is that
    of the rows with a plan, so that unplanned revenue does not inflate it."""
    planned = [r.plan for r in rows if r.plan is not None]
    plan = sum(planned, Decimal(0)) if planned else None
    actual = sum((r.actual for r in rows), Decimal(0))
    planned_actual = sum((r.actual for r in rows if r.plan is not None), Decimal(0))
    forecast = sum((r.forecast.value for r in rows if r.forecast.value is not None), Decimal(0))
    return {
        "plan": plan,
        "actual": actual,
        "forecast": forecast,
        "attainment": attainment(planned_actual, plan),
    }


@login_required
def plan_vs_actual(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Plan, actual to date, attainment and forecast per account, KAM, department or product line."""
    today = timezone.localdate()
    form = PlanVsActualForm(request.GET, today=today, user=request.user)
    status = form_refused(request, form)
    level, period = form.chosen()
    rows = plan_rows(user=request.user, level=level, period=period, today=today)
    context = {
        "form": form, "level": level, "period": period, "today": today,
        "page": paginate(request, rows), "query": querystring_without(request, "page"),
        "previous": period.shifted(-1), "next": period.shifted(1), "can_edit": can_edit_plans(request.user),
        "totals": _totals(rows) if level in ("kam", "department", "account") and len(rows) > 1 else None,
    }  # fmt: skip
    return render(request, "management/plan_vs_actual.html", context, status=status)
