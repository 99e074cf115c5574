"""FilterSets of the ledger lists, shared by the import page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.filters import VisibleAccountFilter
from common.filters import FilterSet, SortFilter, VisibleFilter, WholeNumberFilter, YearFilter

from .models import ImportBatch, SalesLine, SalesPlan
from .periods import Period, parse

TARGET_CHOICES = [("account", _("Account")), ("kam", _("KAM")), ("department", _("Department"))]


class SalesLineFilter(FilterSet):
    account = VisibleAccountFilter(label=_("Account id"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")
    product_line = django_filters.CharFilter(field_name="product_line__code")
    # Lines only show batches on accounts the user sees: an unknown batch simply has no such lines.
    batch = WholeNumberFilter(field_name="batch_id", label=_("Import batch id"))

    class Meta:
        model = SalesLine
        fields = ["account", "date_after", "date_before", "product_line", "batch"]


class ImportBatchFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=ImportBatch.Status.choices, empty_label=_("Any status"))
    source = django_filters.ChoiceFilter(choices=ImportBatch.Source.choices, empty_label=_("Any source"))

    class Meta:
        model = ImportBatch
        fields = ["status", "source"]


def _plan_kams(user: Any) -> QuerySet[Any]:
    from .plan_scope import kams_in_scope  # the scope module reads the models this one filters

    return kams_in_scope(user)


def _plan_departments(user: Any) -> QuerySet[Any]:
    from .plan_scope import departments_in_scope

    return departments_in_scope(user)


class PeriodField(forms.CharField):
    """A period as 2026, 2026Q3 or 2026-07 (a half-year is no plan period)."""

    def to_python(self, value: Any) -> Period | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            period = parse(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        if period.kind not in SalesPlan.PeriodKind.values:
            raise forms.ValidationError(_("Plans are per month, quarter or year: 2026, 2026Q3 or 2026-07."))
        return period


class PeriodFilter(django_filters.CharFilter):
    field_class = PeriodField


class SalesPlanFilter(FilterSet):
    """The plan list's filters, for the page and the API alike."""

    period = PeriodFilter(label=_("Period"), method="filter_period", help_text=_("2026, 2026Q3 or 2026-07"))
    kind = django_filters.ChoiceFilter(
        field_name="period_kind",
        choices=SalesPlan.PeriodKind.choices,
        label=_("Period kind"),
        empty_label=_("Any kind"),
    )
    year = YearFilter(field_name="period_start__year", label=_("Year"))
    target = django_filters.ChoiceFilter(
        choices=TARGET_CHOICES, label=_("Target"), method="filter_target", empty_label=_("Any target")
    )
    kam = VisibleFilter(visible=_plan_kams, label=_("KAM"), empty_label=_("Any KAM"))
    department = VisibleFilter(
        visible=_plan_departments, label=_("Department"), empty_label=_("Any department")
    )
    account = VisibleAccountFilter(label=_("Account id"))
    product_line = django_filters.CharFilter(
        label=_("Product line code"),
        method="filter_product_line",
        help_text=_("A code, or - for plans of every line"),
    )
    ordering = SortFilter(
        {
            "period": ("period_start", "period_kind", "pk"),
            "-period": ("-period_start", "period_kind", "pk"),
            "amount": ("amount", "pk"),
            "-amount": ("-amount", "pk"),
            "updated": ("-updated_at", "-pk"),
        },
        empty_label=_("Newest period first"),
    )

    class Meta:
        model = SalesPlan
        fields = ["period", "kind", "year", "target", "kam", "department", "account", "product_line"]

    def filter_period(self, queryset: QuerySet[Any], name: str, value: Period) -> QuerySet[Any]:
        return queryset.filter(period_kind=value.kind, period_start=value.start)

    def filter_target(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(**{f"{value}__isnull": False})

    def filter_product_line(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value.strip() == "-":
            return queryset.filter(product_line__isnull=True)
        return queryset.filter(product_line__code=value.strip())
