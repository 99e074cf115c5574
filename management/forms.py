"""The management forms: the policy, and the plan vs actual / forecast query (page and API alike)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sales.filters import PeriodField
from sales.periods import Period, containing

from .models import ManagementPolicy
from .services import POLICY_FIELDS

LEVEL_CHOICES = [("account", _("Account")), ("kam", _("KAM")), ("department", _("Department")),
                 ("product_line", _("Product line"))]  # fmt: skip


class PlanVsActualForm(forms.Form):
    """`level` and `period`; the period defaults to the current quarter."""

    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES, required=False)
    period = PeriodField(label=_("Period"), required=False, help_text=_("2026, 2026Q3 or 2026-07"))

    def __init__(self, data: Any, *, today: dt.date, levels: list[str] | None = None) -> None:
        super().__init__(data)
        self.today = today
        if levels is not None:
            field = self.fields["level"]
            field.choices = [c for c in LEVEL_CHOICES if c[0] in levels]  # type: ignore[attr-defined]

    def chosen(self, default_level: str) -> tuple[str, Period]:
        """The level and period asked for, or the defaults (call after is_valid)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("level") or default_level, data.get("period") or containing(self.today, "quarter")


class ManagementPolicyForm(forms.ModelForm):
    class Meta:
        model = ManagementPolicy
        fields = POLICY_FIELDS
