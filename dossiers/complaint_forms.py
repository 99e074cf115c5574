"""Page forms of the complaint cases. They only shape input; the services validate and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from common.forms import ServiceForm, form_field
from sales.models import ImportBatch, SalesLine

from .models import ComplaintCase

LINES_OFFERED = 100  # the newest sales lines of the account offered to link; the API takes any of them

Status = ComplaintCase.Status


def _line_label(line: SalesLine) -> str:
    day = date_format(line.date, "SHORT_DATE_FORMAT")
    return f"{day} · {line.product_line or '—'} · {number_format(line.amount, force_grouping=True)}"


class ComplaintForm(ServiceForm):
    """Log or edit a case; the choices are the account's contacts, lines and imports."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = ComplaintCase
        fields = (
            "severity", "description", "owner", "contact", "product_line", "sales_lines", "import_batch",
        )  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "sales_lines": forms.SelectMultiple(attrs={"size": 4}),
        }

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "contact", forms.ModelChoiceField).queryset = account.contacts.all()
        owners = User.objects.filter(is_active=True).exclude(role=User.Role.ANALYST)
        form_field(self, "owner", forms.ModelChoiceField).queryset = owners
        self.fields["owner"].required = False
        self.fields["owner"].help_text = _("Empty: yourself.")
        lines = SalesLine.objects.filter(account=account).select_related("product_line")
        newest = list(lines.order_by("-date", "-pk").values_list("pk", flat=True)[:LINES_OFFERED])
        offered = form_field(self, "sales_lines", forms.ModelMultipleChoiceField)
        offered.queryset = lines.filter(pk__in=newest).order_by("-date", "-pk")
        offered.label_from_instance = _line_label  # type: ignore[method-assign, assignment]
        batches = ImportBatch.objects.filter(lines__account=account).distinct().order_by("-pk")
        form_field(self, "import_batch", forms.ModelChoiceField).queryset = batches
        if self.instance.pk is None:
            del self.fields["version"]
        else:
            self.initial.setdefault("version", self.instance.version)

    def data_for_service(self) -> dict[str, Any]:
        data = super().data_for_service()
        if data.get("owner") is None:
            data.pop("owner", None)
        return data


class TransitionForm(forms.Form):
    """Move a case on: to which status, and for a resolution how and at what cost."""

    to = forms.ChoiceField(label=_("Move to"), choices=Status.choices)
    resolution = forms.CharField(
        label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    resolution_cost = forms.DecimalField(
        label=_("Cost of the resolution"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, case: ComplaintCase, next_statuses: tuple[str, ...], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Status.choices)
        form_field(self, "to", forms.ChoiceField).choices = [(s, labels[s]) for s in next_statuses]
        self.initial.setdefault("version", case.version)
        self.initial.setdefault("resolution", case.resolution)
        self.initial.setdefault("resolution_cost", case.resolution_cost)

    def data_for_service(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not data.get("resolution"):
            data["resolution"] = None
        return data
