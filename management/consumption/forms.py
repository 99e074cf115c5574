"""The half-year picker of the consumption report's pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sales.periods import Period

from .selectors import half_choices, half_of, last_closed_half
from .tables import half_title


class HalfForm(forms.Form):
    """A half-year: one of the recent ones in the picker, or any begun one typed in the URL
    ("2026H1"); empty means the last closed half-year."""

    half = forms.CharField(label=_("Half-year"), required=False, widget=forms.Select)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        default = last_closed_half()
        self.fields["half"].widget.choices = [
            (half.label, half_title(half) + (_(" · running") if half.end > default.end else ""))
            for half in half_choices()
        ]
        self.fields["half"].initial = default.label

    def clean_half(self) -> Period:
        try:
            return half_of(self.cleaned_data.get("half"))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
