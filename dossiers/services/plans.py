"""Yearly account plans and their actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from typing_extensions import Unpack

from accounts.models import Account, User

from ..models import AccountPlan, PlanAction
from ._common import assign, fields_of


class PlanFields(TypedDict, total=False):
    year: int
    share_of_wallet_target: Decimal | None
    joint_activities: str


class PlanActionFields(TypedDict, total=False):
    title: str
    owner: User | None
    due_on: dt.date | None
    progress: int


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
def plan_create(*, account: Account, **fields: Unpack[PlanFields]) -> AccountPlan:
    """The account's plan for a year: one per account and year."""
    plan = AccountPlan(account=account)
    assign(plan, fields_of(PlanFields, fields))
    return _save_plan(plan)


@transaction.atomic
def plan_update(*, plan: AccountPlan, **fields: Unpack[PlanFields]) -> AccountPlan:
    """Change the given fields of a plan (still one per account and year)."""
    plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
    assign(plan, fields_of(PlanFields, fields))
    return _save_plan(plan)


@transaction.atomic
def plan_delete(*, plan: AccountPlan) -> None:
    plan.delete()


def _save_action(action: PlanAction) -> PlanAction:
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def plan_action_create(*, plan: AccountPlan, **fields: Unpack[PlanActionFields]) -> PlanAction:
    """An action of the plan."""
    action = PlanAction(plan=plan)
    assign(action, fields_of(PlanActionFields, fields))
    return _save_action(action)


@transaction.atomic
def plan_action_update(*, action: PlanAction, **fields: Unpack[PlanActionFields]) -> PlanAction:
    """Change the given fields of a plan action."""
    action = PlanAction.objects.select_for_update().get(pk=action.pk)
    assign(action, fields_of(PlanActionFields, fields))
    return _save_action(action)
