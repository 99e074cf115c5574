"""Forms of the segmentation pages: the policy (a new version on save) and starting a run."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.calendar import last_day_of_previous_month
from common.forms import Form, ModelForm

from .models import AnalysisPolicy
from .services import POLICY_FIELDS


class PolicyForm(ModelForm):
    class Meta:
        model = AnalysisPolicy
        fields = POLICY_FIELDS
        help_texts = {
            "window_months": _("Calendar months up to the as-of date"),
            "xyz_x": _("CV: X when CV ≤ this. Frequency: X when the share of months with a purchase ≥ this"),
            "xyz_y": _("CV: Y when CV ≤ this. Frequency: Y when the share ≥ this"),
            "min_months": _("Fewer months of history in the window: “new”"),
            "lost_interval_multiplier": _("Two or more purchase dates: lost when the days since the last "
                                          "exceed this times the median interval and the minimum below"),
            "at_risk_interval_multiplier": _("Two or more purchase dates: at risk when the days since the "
                                             "last exceed this times the median interval and the minimum "
                                             "below"),
            "churn_horizon_months": _("The churn risk score is the probability of no purchase in this many "
                                      "months"),
        }  # fmt: skip


class RunStartForm(Form):
    as_of = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["as_of"].help_text = default_as_of_text(today or timezone.localdate())


def default_as_of_text(today: dt.date) -> str:
    """Which month an empty as-of date covers, and why the current month waits."""
    default = last_day_of_previous_month(today)
    return gettext(
        "Empty: up to %(date)s, so the run covers %(month)s and the months before it. The sales of "
        "%(current)s are not in it yet: the month is not over, and a part month would make its accounts "
        "look as if they bought less."
    ) % {
        "date": date_format(default, "SHORT_DATE_FORMAT"),
        "month": date_format(default, "YEAR_MONTH_FORMAT"),
        "current": date_format(today, "YEAR_MONTH_FORMAT"),
    }
