"""FilterSets shared by the HTML list pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from common.filters import BooleanFilter, FilterSet, IdChoiceFilter, VisibleFilter
from common.widgets import SearchedSelect

from .models import Account, Contact, Department, User


def visible_accounts(user: User) -> QuerySet[Account]:
    return Account.objects.visible_to(user)


class VisibleAccountFilter(VisibleFilter):
    """An account the user sees, by id; on a page, a picker that searches the accounts on the server
    once they are too many to list (`common.widgets.SearchedSelect`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", SearchedSelect(url_name="accounts:choices"))
        super().__init__(visible=visible_accounts, **kwargs)


def visible_contacts(user: User) -> QuerySet[Contact]:
    return Contact.objects.visible_to(user)


def _search(queryset: QuerySet, fields: tuple[str, ...], value: str) -> QuerySet:
    query = Q()
    for term in value.split():
        term_query = Q()
        for field in fields:
            term_query |= Q(**{f"{field}__icontains": term})
        query &= term_query
    return queryset.filter(query)


class AccountFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    owner = IdChoiceFilter(
        queryset=User.objects.filter(role__in=[User.Role.KAM, User.Role.HEAD]),
        label=_("Owner"),
        empty_label=_("Any owner"),
    )
    key_client_type = django_filters.ChoiceFilter(
        choices=Account.KeyClientType.choices, label=_("Key-client type"), empty_label=_("Any type")
    )
    status = django_filters.ChoiceFilter(
        choices=Account.Status.choices, label=_("Status"), empty_label=_("Any status")
    )
    department = IdChoiceFilter(
        queryset=Department.objects.all(), label=_("Department"), empty_label=_("Any department")
    )
    parent = VisibleAccountFilter(label=_("Parent account id"))
    external_id = django_filters.CharFilter()
    ordering = django_filters.OrderingFilter(
        fields=(
            ("name", "name"),
            ("external_id", "external_id"),
            ("status", "status"),
            ("key_client_type", "key_client_type"),
            ("owner__last_name", "owner"),
            ("department__name", "department"),
            ("headcount", "headcount"),
            ("annual_revenue", "annual_revenue"),
            ("revenue_12m", "revenue_12m"),
            ("contact_count", "contacts"),
            ("updated_at", "updated"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Account
        fields = ["q", "owner", "key_client_type", "status", "department", "parent", "external_id"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _search(queryset, ("name", "legal_name", "external_id", "industry", "region"), value)


class ContactFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    account = VisibleAccountFilter()
    dmu_role = django_filters.ChoiceFilter(choices=Contact.DmuRole.choices)
    attitude = django_filters.ChoiceFilter(choices=Contact.Attitude.choices)
    is_primary = BooleanFilter()
    ordering = django_filters.OrderingFilter(
        fields=(("last_name", "name"), ("influence", "influence"), ("dmu_role", "dmu_role"))
    )

    class Meta:
        model = Contact
        fields = ["q", "account", "dmu_role", "attitude", "is_primary"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _search(queryset, ("first_name", "last_name", "position", "email"), value)
