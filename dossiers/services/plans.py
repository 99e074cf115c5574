"""Yearly account plans and their actions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account, User

from ..models import AccountPlan, PlanAction
from ._common import apply, refuse_unknown

PLAN_FIELDS = ("year", "revenue_target", "share_of_wallet_target", "joint_activities")
ACTION_FIELDS = ("title", "owner", "due_on", "progress")


def _save_plan(plan: AccountPlan, data: Mapping[str, Any]) -> AccountPlan:
    refuse_unknown(data, PLAN_FIELDS)
    apply(plan, PLAN_FIELDS, data)
    plan.full_clean(validate_constraints=False)
    taken = AccountPlan.objects.filter(account_id=plan.account_id, year=plan.year).exclude(pk=plan.pk)
    if taken.exists():
        raise ValidationError(
            {"year": _("This account already has a plan for %(year)s.") % {"year": plan.year}}
        )
    plan.save()
    return plan


@transaction.atomic
def plan_create(*, account: Account, by: User, data: Mapping[str, Any]) -> AccountPlan:
    """The account's plan for a year: one per account and year."""
    return _save_plan(AccountPlan(account=account), data)


@transaction.atomic
def plan_update(*, plan: AccountPlan, by: User, data: Mapping[str, Any]) -> AccountPlan:
    return _save_plan(AccountPlan.objects.select_for_update().get(pk=plan.pk), data)


@transaction.atomic
def plan_delete(*, plan: AccountPlan, by: User) -> None:
    plan.delete()


def _save_action(action: PlanAction, data: Mapping[str, Any]) -> PlanAction:
    refuse_unknown(data, ACTION_FIELDS)
    apply(action, ACTION_FIELDS, data)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def plan_action_create(*, plan: AccountPlan, by: User, data: Mapping[str, Any]) -> PlanAction:
    return _save_action(PlanAction(plan=plan), data)


@transaction.atomic
def plan_action_update(*, action: PlanAction, by: User, data: Mapping[str, Any]) -> PlanAction:
    return _save_action(PlanAction.objects.select_for_update().get(pk=action.pk), data)
