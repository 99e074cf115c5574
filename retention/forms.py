"""Page forms of the retention app: they shape input; the services validate and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import DATE, ServiceForm, form_field
from sales.models import ProductLine

from .models import CampaignStep, CampaignTarget, LossRecord, Reason, Refusal, WinBackCampaign


class RefusalForm(ServiceForm):
    class Meta:
        model = Refusal
        fields = ("on", "kind", "product_line", "reason", "text")
        widgets = {"on": DATE, "text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product_line = form_field(self, "product_line", forms.ModelChoiceField)
        product_line.queryset = ProductLine.objects.order_by("name")
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate())


class LossForm(ServiceForm):
    class Meta:
        model = LossRecord
        fields = ("lost_on", "reason", "product_line", "competitor", "notes")
        widgets = {"lost_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, neglected_days: int | None = None, **kwargs: Any) -> None:
        """`neglected_days`: the account had no contact for longer than the policy allows, so
        "forgotten" is the suggested reason (DOMAIN.md: a named reason for loss)."""
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("lost_on", timezone.localdate())
            if neglected_days is not None:
                self.initial.setdefault("reason", Reason.FORGOTTEN)
                self.fields["reason"].help_text = _(
                    "Suggested: nobody has been in touch for more than %(days)s days."
                ) % {"days": neglected_days}


class CampaignForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = WinBackCampaign
        fields = ("name", "goal", "method", "budget", "starts_on", "ends_on")
        widgets = {"starts_on": DATE, "ends_on": DATE, "goal": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else None
        if not self.is_bound and not self.instance.pk:
            today = timezone.localdate()
            self.initial.setdefault("starts_on", today)
            self.initial.setdefault("ends_on", today + dt.timedelta(days=90))


class TargetForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CampaignTarget
        fields = ("outcome", "outcome_on", "notes")
        widgets = {"outcome_on": DATE, "notes": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class StepForm(ServiceForm):
    class Meta:
        model = CampaignStep
        fields = ("on", "action")
        widgets = {"on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].required = False
