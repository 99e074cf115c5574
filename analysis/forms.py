"""Forms of the segmentation pages: the policy (a new version on save) and starting a run."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
        help_text=_("Empty: the last day of the previous month"),
    )
