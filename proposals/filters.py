"""The FilterSets of the proposal lists, shared by the pages and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import VisibleAccountFilter
from accounts.models import User
from common.filters import BooleanFilter, FilterSet, IdChoiceFilter
from common.forms import DATE

from .models import Proposal, SuccessStory
from .rules import current_rules


class AnyOfField(django_filters.fields.MultipleChoiceField):
    """Choices; a blank one (a select's "any") is no choice rather than an invalid one."""

    def to_python(self, value: Any) -> list[str]:
        return [choice for choice in super().to_python(value) if choice]


class AnyOfFilter(django_filters.MultipleChoiceFilter):
    field_class = AnyOfField


class ProposalFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    account = VisibleAccountFilter(label=_("Account id"))
    status = AnyOfFilter(choices=Proposal.Status.choices, label=_("Status"))
    author = IdChoiceFilter(
        queryset=User.objects.filter(is_active=True), label=_("Owner"), empty_label=_("Anyone")
    )
    open = BooleanFilter(method="filter_open", label=_("Open only"))
    expiring = BooleanFilter(method="filter_expiring", label=_("Expiring soon"))
    awaiting_approval = BooleanFilter(method="filter_awaiting", label=_("Waiting for approval"))
    ordering = django_filters.OrderingFilter(
        fields=(
            ("number", "number"),
            ("title", "title"),
            ("account__name", "account"),
            ("status", "status"),
            ("valid_until", "valid_until"),
            ("total_amount", "total"),
            ("created_at", "created"),
        ),
        label=_("Sort by"),
    )

    class Meta:
        model = Proposal
        fields = ["q", "account", "status", "author", "open", "expiring", "awaiting_approval"]

    def search(self, queryset: QuerySet[Proposal], name: str, value: str) -> QuerySet[Proposal]:
        from django.db.models import Q

        return queryset.filter(
            Q(number__icontains=value) | Q(title__icontains=value) | Q(account__name__icontains=value)
        )

    def filter_open(self, queryset: QuerySet[Proposal], name: str, value: bool) -> QuerySet[Proposal]:
        return queryset.filter(status__in=Proposal.OPEN_STATUSES) if value else queryset

    def filter_expiring(self, queryset: QuerySet[Proposal], name: str, value: bool) -> QuerySet[Proposal]:
        return expiring(queryset) if value else queryset

    def filter_awaiting(self, queryset: QuerySet[Proposal], name: str, value: bool) -> QuerySet[Proposal]:
        return queryset.filter(status=Proposal.Status.IN_APPROVAL) if value else queryset


def expiring(queryset: QuerySet[Proposal], *, today: dt.date | None = None) -> QuerySet[Proposal]:
    """Open proposals whose validity ends within the policy's "expiring soon" days (today included)."""
    today = today or timezone.localdate()
    until = today + dt.timedelta(days=current_rules().expiring_soon_days)
    return queryset.filter(status__in=Proposal.OPEN_STATUSES, valid_until__gte=today, valid_until__lte=until)


class SuccessStoryFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = SuccessStory
        fields = ["q"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        from django.db.models import Q

        return queryset.filter(
            Q(title__icontains=value) | Q(client_name__icontains=value) | Q(result__icontains=value)
        )


class ProposalStatsFilter(FilterSet):
    """The period of the statistics: proposals decided (won, lost, expired, withdrawn) between two
    dates, both included. Open proposals always count: the pipeline is today's, whatever the period."""

    decided_from = django_filters.DateFilter(label=_("Decided from"), method="filter_decided", widget=DATE)
    decided_until = django_filters.DateFilter(label=_("Decided until"), method="filter_decided", widget=DATE)

    class Meta:
        model = Proposal
        fields = ["decided_from", "decided_until"]

    def filter_decided(self, queryset: QuerySet[Proposal], name: str, value: dt.date) -> QuerySet[Proposal]:
        from django.db.models import Q

        bound = {"decided_at__date__gte" if name == "decided_from" else "decided_at__date__lte": value}
        return queryset.filter(Q(status__in=Proposal.OPEN_STATUSES) | Q(**bound))
