"""Template helpers of the proposal pages: amounts in the proposal's currency, status badges."""

from __future__ import annotations

from decimal import Decimal

from django import forms, template
from django.utils.formats import number_format
from django.utils.html import format_html

from common.status import status_tone

register = template.Library()


@register.filter
def amount(value: Decimal | None, currency: str = "") -> str:
    """To the cent with the locale's separators and the currency code: "12,345.60 EUR" in English."""
    if value is None or value == "":
        return "—"
    return f"{number_format(Decimal(value), 2, force_grouping=True)} {currency}".strip()


@register.filter
def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{number_format(Decimal(value), 2, force_grouping=True)} %"


@register.simple_tag
def status_badge(proposal: object) -> str:
    status = getattr(proposal, "status", "")
    label = getattr(proposal, "get_status_display", lambda: status)()
    return format_html(
        '<span class="badge {} proposal-status">{}</span>', status_tone(status, "proposal"), label
    )


@register.filter
def compact(field: forms.BoundField) -> str:
    """A table cell's input: the small Bootstrap control, red when invalid."""
    widget = field.field.widget
    css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})
