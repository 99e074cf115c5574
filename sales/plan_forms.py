"""The sales plan form and the plan file upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Department, User
from common.filters import WholeNumberField
from common.widgets import SearchedSelect

from .filters import PeriodField
from .models import ProductLine, SalesPlan
from .plan_scope import accounts_in_scope, departments_in_scope, kams_in_scope


class SalesPlanForm(forms.Form):
    """One plan: a period, exactly one target the editor plans for, an optional product line."""

    period = PeriodField(label=_("Period"), help_text=_("2026 (year), 2026Q3 (quarter) or 2026-07 (month)"))
    account = forms.ModelChoiceField(
        queryset=Account.objects.none(), required=False, label=_("Account"),
        widget=SearchedSelect(url_name="accounts:choices"),
    )  # fmt: skip
    kam = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label=_("KAM"))
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), required=False, label=_("Department")
    )
    product_line = forms.ModelChoiceField(
        queryset=ProductLine.objects.all(), required=False, label=_("Product line"),
        empty_label=_("Every product line"), to_field_name="code",
    )  # fmt: skip
    amount = forms.DecimalField(label=_("Planned revenue"), min_value=0, max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)
    version = WholeNumberField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, plan: SalesPlan | None = None, **kwargs: Any) -> None:
        if plan is not None and "initial" not in kwargs:
            line = plan.product_line.code if plan.product_line else None
            kwargs["initial"] = {
                "period": plan.period.label, "account": plan.account_id, "kam": plan.kam_id,
                "department": plan.department_id, "amount": plan.amount, "note": plan.note,
                "product_line": line, "version": plan.version,
            }  # fmt: skip
        super().__init__(*args, **kwargs)
        # The edit page always sends the version it showed: without it a stale copy would overwrite
        # someone's change unnoticed.
        self.fields["version"].required = plan is not None
        self.fields["account"].queryset = accounts_in_scope(user).only("pk", "name")  # type: ignore[attr-defined]
        self.fields["kam"].queryset = kams_in_scope(user)  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments_in_scope(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [name for name in ("account", "kam", "department") if data.get(name)]
        if len(given) != 1:
            message = _("Choose exactly one target: an account, a KAM or a department.")
            for name in given or ["account"]:
                self.add_error(name, message)
        return data

    def data_for_service(self) -> dict[str, Any]:
        fields = ("period", "account", "kam", "department", "product_line", "amount", "note")
        return {name: self.cleaned_data.get(name) for name in fields}


class PlanUploadForm(forms.Form):
    file = forms.FileField(label=_("Plan file (CSV or XLSX)"))
    encoding = forms.CharField(label=_("Encoding"), initial="utf-8", required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
