"""FilterSets of the segmentation lists, shared by the pages and the API."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.filters import VisibleAccountFilter
from common.filters import FilterSet, SortFilter

from .engine.xyz import NEW
from .models import AccountSegment, AnalysisRun

ABC = ("A", "B", "C")
XYZ = ("X", "Y", "Z", NEW)

# The rank is the order of value, highest first, ties by external id (ARCHITECTURE.md, ABC): sorting
# by value is sorting by rank, which the (run, rank) index serves.
SEGMENT_ORDERINGS = {
    "rank": ("rank",),
    "-rank": ("-rank",),
    "value": ("-rank",),
    "-value": ("rank",),
    "name": ("account__name", "rank"),
    "-name": ("-account__name", "rank"),
}


class SegmentFilter(FilterSet):
    """A run's segments (the run itself is `?run=`, see selectors.run_get): a cell, row or column of
    the matrix, one churn status or one account, in an order."""

    abc_class = django_filters.ChoiceFilter(choices=[(c, c) for c in ABC], label=_("ABC class"))
    xyz_class = django_filters.ChoiceFilter(choices=[(c, c) for c in XYZ], label=_("XYZ class"))
    churn_status = django_filters.ChoiceFilter(choices=AccountSegment.ChurnStatus.choices)
    account = VisibleAccountFilter(label=_("Account id"))
    ordering = SortFilter(SEGMENT_ORDERINGS)

    class Meta:
        model = AccountSegment
        fields = ["abc_class", "xyz_class", "churn_status", "account", "ordering"]


class RunFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=AnalysisRun.Status.choices, empty_label=_("Any status"))
    trigger = django_filters.ChoiceFilter(choices=AnalysisRun.Trigger.choices, empty_label=_("Any trigger"))

    class Meta:
        model = AnalysisRun
        fields = ["status", "trigger"]
