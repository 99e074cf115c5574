"""Whose plans a user sees and may set: the one place the scope of sales plans is decided.

- KAM: their own KAM plans and the plans of the accounts they see; never a department's plan or
  another KAM's. KAMs do not set plans: a target is agreed with, not written by, the one measured
  against it.
- Department head: the plans of their departments, of those departments' KAMs and accounts; sets them.
- Analyst: every plan, read-only. Admin: every plan, sets them.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from accounts.models import Account, Department, User, of_visible_accounts

from .models import SalesPlan


def can_edit_plans(user: User | AnonymousUser) -> bool:
    """Heads (within their departments) and admins set plans."""
    return user.is_authenticated and (user.is_admin_role or user.is_head)


def kams_in_scope(user: User | AnonymousUser) -> QuerySet[User]:
    """The KAMs whose plans and results the user may see."""
    kams = User.objects.filter(role=User.Role.KAM)
    if not user.is_authenticated:
        return kams.none()
    if user.sees_every_account:
        return kams
    if user.is_head:
        return kams.filter(pk__in=User.objects.filter(departments__in=user.departments.all()).values("pk"))
    return kams.filter(pk=user.pk)


def departments_in_scope(user: User | AnonymousUser) -> QuerySet[Department]:
    """The departments whose totals the user may see: none for a KAM."""
    if not user.is_authenticated or user.is_kam:
        return Department.objects.none()
    if user.sees_every_account:
        return Department.objects.all()
    return Department.objects.filter(pk__in=user.departments.all().values("pk"))


def accounts_in_scope(user: User | AnonymousUser) -> QuerySet[Account]:
    return Account.objects.visible_to(user)


def plan_queryset(*, user: User | AnonymousUser) -> QuerySet[SalesPlan]:
    """The sales plans the user may see (module docstring)."""
    plans = SalesPlan.objects.select_related("account", "kam", "department", "product_line")
    if not user.is_authenticated:
        return plans.none()
    if user.sees_every_account:
        return plans
    if user.is_head:
        departments = user.departments.all().values("pk")
        return plans.filter(
            of_visible_accounts(user)
            | Q(department__in=departments)
            | Q(kam__in=kams_in_scope(user).values("pk"))
        )
    return plans.filter(of_visible_accounts(user) | Q(kam=user))
