"""FilterSets of the ledger lists, shared by the import page and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.filters import visible_accounts
from common.filters import FilterSet, VisibleFilter, WholeNumberFilter

from .models import ImportBatch, SalesLine


class SalesLineFilter(FilterSet):
    account = VisibleFilter(visible=visible_accounts, label=_("Account id"))
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
