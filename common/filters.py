"""One parsing path for query parameters: the base of every FilterSet, shared by list pages and the API.

A list page and its API endpoint build the same FilterSet from the same parameter names. A bad value
is refused the same way in both: the API answers 400 with `{parameter: [message]}` (DRF's filter
backend), a page renders with status 400 and the message, and its list is empty (never silently
unfiltered).

Whole numbers are ASCII digits only: `str.isdigit()`, `int()` and `Decimal()` also accept superscript,
Arabic-Indic or full-width digits, which then either crash further down or quietly name another row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import OrderBy, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .forms import DatePickerForm
from .numbers import whole_number

NOT_A_NUMBER = _("Enter a whole number written with the digits 0 to 9.")
NOT_AN_ID = _("Enter an id: a whole number written with the digits 0 to 9.")
NOT_A_BOOLEAN = _("Enter true or false.")
# The years a filter may name: those a period may have (sales/periods.py). Outside them a date
# cannot even be built (year 0, year 99999), so the value is refused before any query.
YEARS = range(1900, 2201)
NOT_A_YEAR = _("Enter a year from 1900 to 2200, written with the digits 0 to 9.")


def whole_numbers(values: Iterable[Any], *, name: str) -> list[int]:
    """Every value as an int (ids from a form's checkboxes, say); one bad value refuses them all."""
    given = list(values)
    numbers = [whole_number(str(value).strip()) for value in given]
    bad = [str(value) for value, number in zip(given, numbers, strict=True) if number is None]
    if bad:
        got = ", ".join(repr(b) for b in bad)
        message = gettext("%(rule)s Got: %(values)s.") % {"rule": NOT_AN_ID, "values": got}
        raise ValidationError({name: [message]})
    return [n for n in numbers if n is not None]


class WholeNumberField(forms.IntegerField):
    """An integer written with the ASCII digits 0 to 9 (no sign, no decimals, no other scripts)."""

    default_error_messages = {"invalid": NOT_A_NUMBER}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = whole_number(str(value).strip())
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class YearField(WholeNumberField):
    """A calendar year within `YEARS`."""

    default_error_messages = {"invalid": NOT_A_YEAR}

    def to_python(self, value: Any) -> int | None:
        year = super().to_python(value)
        if year is not None and year not in YEARS:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return year


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, True/False); anything else is an error, not "no filter"."""

    VALUES = {"true": True, "1": True, "false": False, "0": False}
    default_error_messages = {"invalid": NOT_A_BOOLEAN}

    def to_python(self, value: Any) -> bool | None:
        if value in self.empty_values:
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).strip().lower()]
        except KeyError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")


class IdChoiceField(forms.ModelChoiceField):
    """A row of the field's queryset by id. An id outside the queryset, whether it does not exist or
    the user may not see it, gets the same "Select a valid choice" (no existence oracle)."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if whole_number(str(value).strip()) is None:
            raise ValidationError(NOT_AN_ID, code="invalid")
        return super().to_python(str(value).strip())


class WholeNumberFilter(django_filters.NumberFilter):
    field_class = WholeNumberField


class YearFilter(django_filters.NumberFilter):
    field_class = YearField


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A row of a registry every user reads (users, departments, product lines), by its id."""

    field_class = IdChoiceField


class VisibleFilter(django_filters.ModelChoiceFilter):
    """An id among the rows `visible(user)` returns for the FilterSet's user (see `FilterSet`)."""

    field_class = IdChoiceField

    def __init__(self, *args: Any, visible: Callable[[Any], QuerySet[Any]], **kwargs: Any) -> None:
        self.visible = visible
        super().__init__(*args, **kwargs)

    def get_queryset(self, request: Any) -> QuerySet[Any]:
        user = getattr(self.parent, "user", None)
        if user is None:
            raise ImproperlyConfigured(f"{type(self.parent).__name__} needs a user for {self.field_name}.")
        return self.visible(user)


class SortFilter(django_filters.ChoiceFilter):
    """`ordering`: a named sort order (with its tie-breakers), e.g. {"value": ("-value", "name")}; a
    term may be an expression, `F("score").desc(nulls_last=True)`."""

    def __init__(self, orders: Mapping[str, Sequence[str | OrderBy]], **kwargs: Any) -> None:
        self.orders = dict(orders)
        kwargs.setdefault("label", _("Sort by"))
        super().__init__(choices=[(name, name) for name in self.orders], **kwargs)

    def filter(self, qs: QuerySet[Any], value: Any) -> QuerySet[Any]:
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        return qs.order_by(*self.orders[value])


def _strict_defaults() -> dict[Any, dict[str, Any]]:
    """django-filter's filters for model fields, with integers and booleans parsed strictly."""
    defaults = dict(django_filters.FilterSet.FILTER_DEFAULTS)
    for field_class, spec in list(defaults.items()):
        if issubclass(field_class, models.IntegerField | models.AutoField):
            defaults[field_class] = {**spec, "filter_class": WholeNumberFilter}
        elif issubclass(field_class, models.BooleanField):
            defaults[field_class] = {**spec, "filter_class": BooleanFilter}
    return defaults


class FilterSet(django_filters.FilterSet):
    """The base of every FilterSet: knows its user (from `user=` or the request) for `VisibleFilter`."""

    FILTER_DEFAULTS = _strict_defaults()

    def __init__(
        self,
        data: Any = None,
        queryset: QuerySet[Any] | None = None,
        *,
        request: Any = None,
        prefix: str | None = None,
        user: Any = None,
    ) -> None:
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)

    def get_form_class(self) -> type[forms.Form]:
        """The filter form, its date filters as the browser's date picker."""
        return type(f"{type(self).__name__}Form", (DatePickerForm, super().get_form_class()), {})

    @property
    def rows(self) -> QuerySet[Any]:
        """The filtered rows; none at all while a parameter is refused."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return self.qs

    @property
    def cleaned(self) -> dict[str, Any]:
        """The parameters as parsed ({} when none is given or one is refused): for the page's form."""
        return self.form.cleaned_data if self.is_bound and self.is_valid() else {}

    def error_list(self) -> list[str]:
        return [f"{name}: {' '.join(str(text) for text in texts)}" for name, texts in self.errors.items()]

    @classmethod
    def filter_for_field(cls, field: Any, field_name: str, lookup_expr: str | None = None) -> Any:
        # A generated related-field filter would choose among every row, visible or not: the
        # existence oracle. Related fields are declared, as a VisibleFilter.
        if field.is_relation:
            raise ImproperlyConfigured(f"Declare {cls.__name__}.{field_name} explicitly (a VisibleFilter).")
        return super().filter_for_field(field, field_name, lookup_expr)


def refused(request: HttpRequest, *filtersets: FilterSet) -> int:
    """A page's status for its filters: 400 with a message per refused parameter, else 200."""
    errors = [error for filterset in filtersets for error in filterset.error_list()]
    for error in errors:
        messages.error(request, error)
    return 400 if errors else 200


def form_refused(request: HttpRequest, form: forms.Form) -> int:
    """The same for a plain form of query parameters (a calendar's month, a timeline's page)."""
    if form.is_valid():
        return 200
    for name, texts in form.errors.items():
        messages.error(request, f"{name}: {' '.join(str(text) for text in texts)}")
    return 400
