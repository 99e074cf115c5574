"""The complaint-case list's FilterSet, shared by the page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import VisibleAccountFilter
from accounts.models import User
from common.filters import BooleanFilter, FilterSet, IdChoiceFilter, SortFilter, VisibleFilter
from sales.models import ProductLine

from .models import ComplaintCase, past_sla_q

COMPLAINT_ORDERINGS = {
    "opened": ("-opened_at", "-pk"),
    "due": ("due_on", "pk"),
    "severity": ("severity_rank", "due_on", "pk"),
    "account": ("account__name", "-opened_at", "pk"),
    "status": ("status", "due_on", "pk"),
}
# What the sort menu says of each order.
COMPLAINT_ORDERING_LABELS = {
    "opened": _("Newest opened first"),
    "due": _("Soonest due first"),
    "severity": _("Most severe first"),
    "account": _("Account name"),
    "status": _("Status"),
}


def complaint_owners(user: Any) -> QuerySet[User]:
    """Whose cases one may list: any active user; only cases on accounts one sees come back."""
    return User.objects.filter(is_active=True)


class ComplaintFilter(FilterSet):
    """Page `/complaints/` and API `complaints/`."""

    account = VisibleAccountFilter(label=_("Account"))
    status = django_filters.MultipleChoiceFilter(choices=ComplaintCase.Status.choices, label=_("Status"))
    severity = django_filters.MultipleChoiceFilter(
        choices=ComplaintCase.Severity.choices, label=_("Severity")
    )
    owner = VisibleFilter(visible=complaint_owners, label=_("Owner"))
    product_line = IdChoiceFilter(queryset=ProductLine.objects.all(), label=_("Product line"))
    past_sla = BooleanFilter(
        method="filter_past_sla",
        label=_("Past their SLA"),
        widget=forms.Select(choices=[("", _("any")), ("true", _("yes")), ("false", _("no"))]),
    )
    ordering = SortFilter(COMPLAINT_ORDERINGS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["ordering"].extra["choices"] = list(COMPLAINT_ORDERING_LABELS.items())

    class Meta:
        model = ComplaintCase
        fields = ["account", "status", "severity", "owner", "product_line", "past_sla", "ordering"]

    def filter_past_sla(self, queryset: QuerySet[Any], name: str, value: bool) -> QuerySet[Any]:
        if value is None:
            return queryset
        late = past_sla_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
