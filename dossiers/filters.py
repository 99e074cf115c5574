"""FilterSets and query forms of the dossier lists, shared by the pages and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.filters import VisibleAccountFilter
from accounts.models import User
from common.filters import (
    BooleanFilter,
    FilterSet,
    SortFilter,
    VisibleFilter,
    WholeNumberField,
    YearFilter,
)
from common.forms import form_field

from .models import (
    AccountPlan,
    Commitment,
    Competitor,
    CompetitorPresence,
    Interaction,
    ServicePlan,
    Task,
    Tender,
    overdue_q,
)
from .models.interactions import TaskQuerySet


def visible_competitors(user: Any) -> QuerySet[Competitor]:
    return Competitor.objects.visible_to(user)


class InteractionFilter(FilterSet):
    account = VisibleAccountFilter(label=_("Account id"))
    kind = django_filters.MultipleChoiceFilter(choices=Interaction.Kind.choices, label=_("Kind"))

    class Meta:
        model = Interaction
        fields = ["account", "kind"]


def task_owners(user: User) -> QuerySet[User]:
    """Whose tasks one may list: anyone's, though only tasks on accounts one sees come back."""
    return User.objects.filter(is_active=True)


class TaskFilter(FilterSet):
    account = VisibleAccountFilter(label=_("Account id"))
    owner = VisibleFilter(
        visible=task_owners,
        label=_("Owner's user id"),
        help_text=_(
            "Without it, the caller's own tasks; with it, that user's tasks on the accounts the caller sees"
        ),
    )
    overdue = BooleanFilter(method="filter_overdue", label=_("Open and past due"))

    class Meta:
        model = Task
        fields = ["account", "owner", "done", "overdue"]

    def filter_overdue(self, queryset: TaskQuerySet, name: str, value: bool) -> QuerySet[Task]:
        return queryset.overdue(timezone.localdate()) if value else queryset


class CommitmentFilter(FilterSet):
    """The commitments register: the "My commitments" page and `/api/v1/commitments/`."""

    account = VisibleAccountFilter(label=_("Account"), help_text=_("Account id"))
    owner = VisibleFilter(visible=task_owners, label=_("Kept by"), help_text=_("User id"))
    status = django_filters.MultipleChoiceFilter(choices=Commitment.Status.choices, label=_("Status"))
    overdue = BooleanFilter(
        method="filter_overdue",
        label=_("Overdue"),
        help_text=_("Open and past due (true), or not (false)"),
        widget=forms.Select(choices=[("", "—"), ("true", _("Overdue only")), ("false", _("Not overdue"))]),
    )
    ordering = SortFilter(
        {
            "due": ("due_on", "pk"),
            "-due": ("-due_on", "-pk"),
            "account": ("account__name", "due_on", "pk"),
            "-account": ("-account__name", "due_on", "pk"),
            "status": ("status", "due_on", "pk"),
            "-status": ("-status", "due_on", "pk"),
        },
        empty_label=_("Soonest due first"),
    )

    class Meta:
        model = Commitment
        fields = ["account", "owner", "status", "overdue"]

    def filter_overdue(self, queryset: QuerySet[Commitment], name: str, value: bool) -> QuerySet[Commitment]:
        today = timezone.localdate()
        return queryset.filter(overdue_q(today)) if value else queryset.exclude(overdue_q(today))


class TenderFilter(FilterSet):
    """The tender list (API) and the tender calendar (page)."""

    account = VisibleAccountFilter(label=_("Account id"))
    status = django_filters.MultipleChoiceFilter(choices=Tender.Status.choices, label=_("Status"))
    mine = BooleanFilter(method="filter_mine", label=_("Only my accounts"))

    class Meta:
        model = Tender
        fields = ["account", "status", "mine"]

    def filter_mine(self, queryset: QuerySet[Tender], name: str, value: bool) -> QuerySet[Tender]:
        return queryset.filter(account__owner=self.user) if value else queryset


class CompetitorFilter(FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))

    class Meta:
        model = Competitor
        fields = ["q"]


class PresenceFilter(FilterSet):
    account = VisibleAccountFilter(label=_("Account id"))
    competitor = VisibleFilter(visible=visible_competitors, label=_("Competitor id"))

    class Meta:
        model = CompetitorPresence
        fields = ["account", "competitor", "pressure"]


class PlanFilter(FilterSet):
    account = VisibleAccountFilter(label=_("Account id"))

    class Meta:
        model = AccountPlan
        fields = ["account", "year"]


class ServicePlanFilter(FilterSet):
    account = VisibleAccountFilter(label=_("Account id"))
    year = YearFilter(label=_("Year"))

    class Meta:
        model = ServicePlan
        fields = ["account", "year"]


class MonthField(forms.Field):
    """A calendar month written YYYY-MM, as its first day."""

    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2026-03.")}
    # Months whose calendar (and the months around it) dates can hold.
    YEARS = range(1900, 9000)

    def to_python(self, value: Any) -> dt.date | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        try:
            if len(text) != 7 or not text.isascii():
                raise ValueError(text)
            month = dt.datetime.strptime(text, "%Y-%m").date()
            if month.year not in self.YEARS:
                raise ValueError(text)
            return month
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class CalendarForm(forms.Form):
    """The tender calendar's window: the month `from` (default: this month) as a grid, or three
    months from it as a list (`view=list`)."""

    view = forms.ChoiceField(
        required=False, choices=[("grid", _("Calendar")), ("list", _("List"))], label=_("View")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = MonthField(required=False, label=_("From month"))


TIMELINE_API_MAX = 200


class TimelineForm(forms.Form):
    """The merged timeline's parameters, page and API alike: `type` (repeatable), `page`, `limit`."""

    type = forms.MultipleChoiceField(required=False, choices=())
    page = WholeNumberField(required=False, min_value=1)
    limit = WholeNumberField(required=False, min_value=1, max_value=TIMELINE_API_MAX)

    def __init__(self, *args: Any, types: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "type", forms.MultipleChoiceField).choices = types
