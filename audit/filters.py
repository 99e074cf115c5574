"""The FilterSet of the administrators' page of every audit entry."""

from __future__ import annotations

from typing import Any

import django_filters
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.filters import FilterSet, WholeNumberFilter

from .registry import FOLLOWED


def followed_models(request: Any = None) -> QuerySet[ContentType]:
    """The content types of the followed models (the only ones with entries)."""
    labels = [label.lower().split(".") for label in FOLLOWED]
    query = Q(pk__in=[])
    for app_label, model in labels:
        query |= Q(app_label=app_label, model=model)
    return ContentType.objects.filter(query).order_by("app_label", "model")


class ModelChoiceByName(django_filters.ModelChoiceFilter):
    """A followed model, offered by its verbose name."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(queryset=followed_models, **kwargs)

    @property
    def field(self) -> Any:
        form_field = super().field
        form_field.label_from_instance = lambda ct: str(ct.model_class()._meta.verbose_name).capitalize()
        return form_field


class AuditEntryFilter(FilterSet):
    actor = django_filters.ModelChoiceFilter(
        queryset=User.objects.order_by("last_name", "first_name", "username"),
        label=_("Who"),
        empty_label=_("Anyone"),
    )
    model = ModelChoiceByName(field_name="content_type", label=_("What"), empty_label=_("Any kind"))
    object = WholeNumberFilter(field_name="object_id", label=_("Object id"))
    action = django_filters.ChoiceFilter(
        choices=LogEntry.Action.choices[:3], label=_("Action"), empty_label=_("Any action")
    )
    after = django_filters.DateFilter(field_name="timestamp", lookup_expr="date__gte", label=_("From"))
    before = django_filters.DateFilter(field_name="timestamp", lookup_expr="date__lte", label=_("To"))

    class Meta:
        model = LogEntry
        fields = ["actor", "model", "object", "action", "after", "before"]
