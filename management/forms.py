"""The management forms: the policy, and the plan vs actual / forecast query (page and API alike)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from common.forms import ModelForm
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

    def __init__(self, data: Any, *, today: dt.date, user: User) -> None:
        super().__init__(data)
        self.today = today
        self.is_kam = user.is_kam
        if self.is_kam:
            # A KAM gets no department figures: the level is not offered, and asking for it is a
            # refused parameter on the page and in the API alike.
            field = self.fields["level"]
            field.choices = [c for c in LEVEL_CHOICES if c[0] != "department"]  # type: ignore[attr-defined]

    def chosen(self, default_level: str | None = None) -> tuple[str, Period]:
        """The level and period asked for, or the defaults (call after is_valid); the default
        level: `default_level`, else a KAM's accounts and anyone else's KAMs."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        level = data.get("level") or default_level or ("account" if self.is_kam else "kam")
        return level, data.get("period") or containing(self.today, "quarter")


class ManagementPolicyForm(ModelForm):
    class Meta:
        model = ManagementPolicy
        fields = POLICY_FIELDS
