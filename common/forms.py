"""Form helpers every app's pages share."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.widgets import DateTimeBaseInput
from django.http import HttpRequest

from .errors import StaleEditError

# The browser's pickers. Their values are ISO whatever the user's language: a localised initial
# value ("04.12.2026") would leave the picker blank. ISO is always among the accepted input formats.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

FieldT = TypeVar("FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """`form.fields[name]` as the kind of field the form sets up (a choice's queryset, its empty
    label): `fields` holds them as plain `Field`s."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}.")
    return field


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


def use_date_pickers(fields: dict[str, forms.Field]) -> None:
    """Give every date and date-time field that kept Django's text input the browser's picker,
    and every picker the ISO value format it needs."""
    for field in fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput | forms.SplitDateTimeWidget):
            continue
        if isinstance(field, forms.DateTimeField) and isinstance(widget, forms.DateTimeInput):
            field.widget = _picker(DATETIME, widget)
        elif isinstance(field, forms.DateField) and isinstance(widget, forms.DateInput):
            field.widget = _picker(DATE, widget)


def _picker(picker: DateTimeBaseInput, widget: DateTimeBaseInput) -> forms.Widget:
    chosen = copy.deepcopy(picker)
    chosen.attrs = {**widget.attrs, **picker.attrs}
    chosen.is_required = widget.is_required
    return chosen


class DatePickerForm(forms.BaseForm):
    """Mixed into a form class: its date fields are pickers (`use_date_pickers`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        use_date_pickers(self.fields)


class Form(DatePickerForm, forms.Form):
    """The project's plain form: date fields as the browser's pickers."""


class ModelForm(DatePickerForm, forms.ModelForm):
    """The project's model form: date fields as the browser's pickers."""


class ServiceForm(ModelForm):
    """A ModelForm that only shapes input: the model validation is the service's job."""

    def _post_clean(self) -> None:
        pass

    def data_for_service(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in self._meta.fields or () if name in self.cleaned_data
        }


def saved(
    request: HttpRequest, form: ServiceForm, save: Callable[[dict[str, Any]], Any], *, message: str
) -> bool:
    """Run the service on the form's data for a valid POST; False leaves the form with its errors
    (a stale version, or the service's own field errors)."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        save(form.data_for_service())
    except StaleEditError as error:
        form.add_error(None, error.message_dict["version"])
        return False
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, message)
    return True
