"""Writes of the sales plans: create, update (optimistic lock on `version`), delete.

Heads set the plans of their departments, their departments' KAMs and accounts; admins any plan;
KAMs and analysts none (sales/plan_scope.py says why).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Account, Department, User
from common.errors import check_version

from .models import ProductLine, SalesPlan
from .periods import Period
from .plan_scope import accounts_in_scope, can_edit_plans, departments_in_scope, kams_in_scope

TARGET_FIELDS = ("account", "kam", "department")
EDITABLE = ("period", "account", "kam", "department", "product_line", "amount", "note")


def _check_editor(by: User) -> None:
    if not can_edit_plans(by):
        raise PermissionDenied(_("Sales plans are set by department heads and admins."))


def check_target(
    *, by: User, account: Account | None, kam: User | None, department: Department | None
) -> None:
    """Exactly one target, and one the editor may plan for (its field carries the error)."""
    given = [name for name, value in zip(TARGET_FIELDS, (account, kam, department), strict=True) if value]
    if len(given) != 1:
        message = _("Give exactly one target: an account, a KAM or a department.")
        raise ValidationError(dict.fromkeys(given or ["account"], message))
    scope = {
        "account": (account, accounts_in_scope, _("Not an account you plan for.")),
        "kam": (kam, kams_in_scope, _("Not a KAM you plan for.")),
        "department": (department, departments_in_scope, _("Not a department you plan for.")),
    }
    value, in_scope, message = scope[given[0]]
    if not in_scope(by).filter(pk=value.pk).exists():  # type: ignore[union-attr]
        raise ValidationError({given[0]: message})


def _check_amount(amount: Any) -> Decimal:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
        raise ValidationError({"amount": _("A planned revenue is an amount of 0 or more.")})
    if amount.as_tuple().exponent < -2 or abs(amount) >= Decimal("1e12"):  # type: ignore[operator]
        raise ValidationError({"amount": _("At most 12 digits and 2 decimals.")})
    return amount


def _check_period(period: Any) -> Period:
    if not isinstance(period, Period) or period.kind not in SalesPlan.PeriodKind.values:
        raise ValidationError({"period": _("Plans are per month, quarter or year: 2026, 2026Q3 or 2026-07.")})
    return period


def _save(plan: SalesPlan) -> SalesPlan:
    taken = SalesPlan.objects.filter(
        account=plan.account_id, kam=plan.kam_id, department=plan.department_id,
        period_kind=plan.period_kind, period_start=plan.period_start, product_line=plan.product_line_id,
    ).exclude(pk=plan.pk)  # fmt: skip
    if taken.exists():
        raise ValidationError(
            {"period": _("This target already has a plan for %(period)s and that product line.")
             % {"period": plan.period.label}}
        )  # fmt: skip
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as error:  # the same plan written at the same moment
        raise ValidationError({"period": _("This target already has a plan for that period.")}) from error
    return plan


def _apply(plan: SalesPlan, *, by: User, data: dict[str, Any]) -> SalesPlan:
    unknown = set(data) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "period" in data:
        period = _check_period(data["period"])
        plan.period_kind, plan.period_start = period.kind, period.start
    for name in ("account", "kam", "department", "product_line", "note"):
        if name in data:
            setattr(plan, name, data[name] if name != "note" else (data[name] or "").strip()[:255])
    if "amount" in data:
        plan.amount = _check_amount(data["amount"])
    check_target(by=by, account=plan.account, kam=plan.kam, department=plan.department)
    return plan


@transaction.atomic
def plan_create(
    *,
    by: User,
    period: Period,
    amount: Decimal,
    account: Account | None = None,
    kam: User | None = None,
    department: Department | None = None,
    product_line: ProductLine | None = None,
    note: str = "",
) -> SalesPlan:
    """A revenue target for one account, KAM or department over a month, quarter or year."""
    _check_editor(by)
    plan = SalesPlan(created_by=by)
    data = {"period": period, "amount": amount, "account": account, "kam": kam, "department": department,
            "product_line": product_line, "note": note}  # fmt: skip
    return _save(_apply(plan, by=by, data=data))


@transaction.atomic
def plan_update(*, plan: SalesPlan, by: User, data: dict[str, Any], version: int | None = None) -> SalesPlan:
    """Change the given fields; refused when `version` is not the stored one (a stale copy)."""
    _check_editor(by)
    plan = SalesPlan.objects.select_for_update().get(pk=plan.pk)
    check_target(by=by, account=plan.account, kam=plan.kam, department=plan.department)
    check_version(plan, version)
    _apply(plan, by=by, data=data)
    plan.version += 1
    return _save(plan)


@transaction.atomic
def plan_delete(*, plan: SalesPlan, by: User, version: int | None = None) -> None:
    """Remove a plan (refused on a stale copy when the version is given)."""
    _check_editor(by)
    plan = SalesPlan.objects.select_for_update().get(pk=plan.pk)
    check_target(by=by, account=plan.account, kam=plan.kam, department=plan.department)
    check_version(plan, version)
    plan.delete()
