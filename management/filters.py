"""FilterSets shared by the management pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User
from common.filters import FilterSet, VisibleFilter
from sales.filters import PeriodFilter

SORTS = {
    "name": _("KAM"),
    "key_accounts": _("Key accounts"),
    "attainment": _("Plan attainment"),
    "neglected": _("Neglected"),
    "overdue": _("Overdue"),
    "at_risk_without_action": _("At risk, no action"),
    "win_rate": _("Win rate"),
}


def visible_departments(user: User) -> QuerySet[Department]:
    """The departments whose KAMs the user may see."""
    if user.sees_every_account:
        return Department.objects.all()
    if user.is_head:
        return user.departments.all()
    return user.departments.all()


class KamFilter(FilterSet):
    department = VisibleFilter(
        visible=visible_departments,
        field_name="departments",
        label=_("Department"),
        empty_label=_("Every department"),
    )
    period = PeriodFilter(
        label=_("Plan period"),
        method="no_filter",
        help_text=_("2026, 2026Q3 or 2026-07; default: this quarter"),
    )
    sort = django_filters.ChoiceFilter(
        choices=list(SORTS.items()), label=_("Sort by"), empty_label=_("KAM"), method="no_filter"
    )

    class Meta:
        model = User
        fields = ["department", "period", "sort"]

    def no_filter(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        """The period and the sort apply to the cards, once they are worked out."""
        return queryset
