"""Yearly account plans and their actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account, User

from ..models import AccountPlan, PlanAction
from ._common import UNSET, Unset, assign


def _save_plan(plan: AccountPlan) -> AccountPlan:
    plan.full_clean(validate_constraints=False)
    taken = AccountPlan.objects.filter(account_id=plan.account_id, year=plan.year).exclude(pk=plan.pk)
    if taken.exists():
        raise ValidationError(
            {"year": _("This account already has a plan for %(year)s.") % {"year": plan.year}}
        )
    plan.save()
    return plan


@transaction.atomic
def plan_create(
    *,
    account: Account,
    year: int | Unset = UNSET,
    revenue_target: Decimal | Unset | None = UNSET,
    share_of_wallet_target: Decimal | Unset | None = UNSET,
    joint_activities: str | Unset = UNSET,
) -> AccountPlan:
    """The account's plan for a year: one per account and year."""
    plan = AccountPlan(account=account)
    assign(
        plan,
        year=year,
        revenue_target=revenue_target,
        share_of_wallet_target=share_of_wallet_target,
        joint_activities=joint_activities,
    )
    return _save_plan(plan)


@transaction.atomic
def plan_update(
    *,
    plan: AccountPlan,
    year: int | Unset = UNSET,
    revenue_target: Decimal | Unset | None = UNSET,
    share_of_wallet_target: Decimal | Unset | None = UNSET,
    joint_activities: str | Unset = UNSET,
) -> AccountPlan:
    """Change the given fields of a plan (still one per account and year)."""
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    assign(
        plan,
        year=year,
        revenue_target=revenue_target,
        share_of_wallet_target=share_of_wallet_target,
        joint_activities=joint_activities,
    )
    return _save_plan(plan)


@transaction.atomic
def plan_delete(*, plan: AccountPlan) -> None:
    plan.delete()


def _save_action(action: PlanAction) -> PlanAction:
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def plan_action_create(
    *,
    plan: AccountPlan,
    title: str | Unset = UNSET,
    owner: User | Unset | None = UNSET,
    due_on: dt.date | Unset | None = UNSET,
    progress: int | Unset = UNSET,
) -> PlanAction:
    """An action of the plan."""
    action = PlanAction(plan=plan)
    assign(action, title=title, owner=owner, due_on=due_on, progress=progress)
    return _save_action(action)


@transaction.atomic
def plan_action_update(
    *,
    action: PlanAction,
    title: str | Unset = UNSET,
    owner: User | Unset | None = UNSET,
    due_on: dt.date | Unset | None = UNSET,
    progress: int | Unset = UNSET,
) -> PlanAction:
    """Change the given fields of a plan action."""
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    assign(action, title=title, owner=owner, due_on=due_on, progress=progress)
    return _save_action(action)
