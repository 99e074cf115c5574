"""Admin list filters typed in rather than picked from a list: a contact, a date range."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _


class InputFilter(admin.SimpleListFilter):
    """A filter with one text box; the other filters of the query string are kept."""

    template = "admin/input_filter.html"
    input_type = "text"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return [("", "")]  # the filter is shown only when it has a lookup

    def choices(self, changelist: Any) -> Any:
        kept = [(k, v) for k, v in changelist.get_filters_params().items() if k != self.parameter_name]
        yield {
            "kept": [(k, v[-1] if isinstance(v, list) else v) for k, v in kept],
            "parameter_name": self.parameter_name,
            "value": self.value(),
            "input_type": self.input_type,
        }


class ContactSearchFilter(InputFilter):
    """Whose data: a contact's id or a part of their name."""

    title = _("contact (id or name)")
    parameter_name = "contact"

    def queryset(self, request: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = (self.value() or "").strip()
        if not value:
            return queryset
        if value.isdigit():
            return queryset.filter(contacts__id=int(value)).distinct()
        words = Q()
        for word in value.split():
            words &= Q(contacts__first_name__icontains=word) | Q(contacts__last_name__icontains=word)
        return queryset.filter(words).distinct()


class _DateBound(InputFilter):
    input_type = "date"
    lookup = ""

    def queryset(self, request: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
        try:
            day = dt.date.fromisoformat(self.value() or "")
        except ValueError:
            return queryset  # an empty or malformed date filters nothing
        return queryset.filter(**{f"accessed_at__date__{self.lookup}": day})


class AccessedFromFilter(_DateBound):
    title = _("from (date)")
    parameter_name = "from"
    lookup = "gte"


class AccessedUntilFilter(_DateBound):
    title = _("until (date)")
    parameter_name = "until"
    lookup = "lte"
