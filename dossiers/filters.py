"""FilterSets of the dossier lists, shared by the API and (later) the pages."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import AccountPlan, CompetitorPresence, Interaction, Task, Tender


class InteractionFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id", label=_("Account id"))
    kind = django_filters.MultipleChoiceFilter(choices=Interaction.Kind.choices, label=_("Kind"))

    class Meta:
        model = Interaction
        fields = ["account", "kind"]


class TaskFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id", label=_("Account id"))

    class Meta:
        model = Task
        fields = ["account", "done"]


class TenderFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id", label=_("Account id"))
    status = django_filters.MultipleChoiceFilter(choices=Tender.Status.choices, label=_("Status"))

    class Meta:
        model = Tender
        fields = ["account", "status"]


class PresenceFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id", label=_("Account id"))
    competitor = django_filters.NumberFilter(field_name="competitor_id", label=_("Competitor id"))

    class Meta:
        model = CompetitorPresence
        fields = ["account", "competitor", "pressure"]


class PlanFilter(django_filters.FilterSet):
    account = django_filters.NumberFilter(field_name="account_id", label=_("Account id"))

    class Meta:
        model = AccountPlan
        fields = ["account", "year"]
