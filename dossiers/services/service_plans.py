"""The strategic client's yearly service plan: one per account and year, edited under a lock."""

from __future__ import annotations

from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from typing_extensions import Unpack

from accounts.models import Account, User

from ..models import ServicePlan
from ._common import assign, check_version, clean, fields_of


class ServicePlanFields(TypedDict, total=False):
    visits: int
    calls: int
    reviews: int
    budget: Decimal
    note: str


@transaction.atomic
def service_plan_create(
    *, account: Account, year: int, by: User, **fields: Unpack[ServicePlanFields]
) -> ServicePlan:
    """The account's contact plan for `year`: one per account and year."""
    # The account row serialises two first saves of the same year.
    Account.objects.select_for_update().filter(pk=account.pk).get()
    plan = ServicePlan(account=account, year=year, updated_by=by)
    assign(plan, fields_of(ServicePlanFields, fields))
    clean(plan, exclude=["account", "updated_by"])
    if ServicePlan.objects.filter(account=account, year=year).exists():
        raise ValidationError(
            {"year": _("This account already has a service plan for %(year)s.") % {"year": year}}
        )
    plan.save()
    return plan


@transaction.atomic
def service_plan_update(
    *, plan: ServicePlan, by: User, version: int | None = None, **fields: Unpack[ServicePlanFields]
) -> ServicePlan:
    """Change the given fields; an edit made on a stale copy (`version`) is refused."""
    plan = ServicePlan.objects.select_for_update().get(pk=plan.pk)
    check_version(plan, version)
    assign(plan, fields_of(ServicePlanFields, fields))
    clean(plan, exclude=["account", "updated_by"])
    plan.version += 1
    plan.updated_by = by
    plan.save()
    return plan


@transaction.atomic
def service_plan_delete(*, plan: ServicePlan) -> None:
    plan.delete()
