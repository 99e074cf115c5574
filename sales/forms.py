"""The upload form: a file and how to read it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .importing.sources import CANONICAL_COLUMNS, text_encoding


class ImportOptionsForm(forms.Form):
    mapping = forms.CharField(
        label=_("Column mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "date=OrderDate\namount=Total"}),
        help_text=_("One FIELD=Column per line, for files whose columns have other names."),
    )
    date_format = forms.CharField(
        label=_("Date format"), required=False, help_text=_("Empty for ISO dates (2025-03-31); e.g. %d.%m.%Y")
    )
    delimiter = forms.ChoiceField(
        label=_("Delimiter"),
        required=False,
        choices=[("", _("Detect")), (",", _("Comma")), (";", _("Semicolon")), ("\t", _("Tab"))],
    )
    encoding = forms.CharField(label=_("Encoding"), initial="utf-8")
    create_accounts = forms.BooleanField(
        label=_("Create accounts the ledger does not know yet"), required=False, initial=True
    )
    skip_invalid = forms.BooleanField(
        label=_("Import the valid rows and set the bad ones aside"), required=False
    )
    force = forms.BooleanField(label=_("Import a file without line ids again"), required=False)

    def clean_mapping(self) -> dict[str, str]:
        mapping = {}
        for number, line in enumerate(self.cleaned_data["mapping"].splitlines(), start=1):
            if not line.strip():
                continue
            field, sep, column = line.partition("=")
            field = field.strip()
            if not sep or field not in CANONICAL_COLUMNS or not column.strip():
                raise forms.ValidationError(
                    _("Line %(n)s: write FIELD=Column, with FIELD one of %(fields)s.")
                    % {"n": number, "fields": ", ".join(CANONICAL_COLUMNS)}
                )
            mapping[field] = column.strip()
        return mapping

    def clean_encoding(self) -> str:
        encoding = self.cleaned_data["encoding"].strip() or "utf-8"
        try:
            text_encoding(encoding)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return encoding

    @classmethod
    def initial_from(cls, options: dict) -> dict:
        initial = dict(options)
        initial["mapping"] = "\n".join(f"{k}={v}" for k, v in options.get("mapping", {}).items())
        return initial


class UploadForm(ImportOptionsForm):
    file = forms.FileField(label=_("Ledger file (CSV or XLSX)"))

    field_order = ["file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.size:
            raise forms.ValidationError(_("The file is empty (0 bytes)."))
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
