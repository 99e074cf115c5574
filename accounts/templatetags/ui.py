"""Template helpers for the page layout: Bootstrap classes on form widgets, sort links, badges."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms, template
from django.conf import settings
from django.utils import formats
from django.utils.html import format_html

from accounts.models import Account
from accounts.standing import standing_of
from common.status import status_text, status_tone

register = template.Library()


@register.filter
def bs(field: forms.BoundField) -> str:
    """Render a form field's widget with the Bootstrap class its type wants, red when invalid."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def is_checkbox(field: forms.BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def overdue_on(item: Any, today: dt.date | None) -> bool:
    """`{% if task|overdue_on:today %}`: the item's own rule (`is_overdue`), not a date compared here.
    Without a `today` in the context nothing is overdue, as a template's own comparison would read."""
    return today is not None and bool(item.is_overdue(today))


@register.simple_tag
def sort_link(label: str, key: str, current: str, query: str, descending: bool = False) -> str:
    """A column header that sorts by `key`, toggling to `-key` when it is the current sort. The arrow
    shows the direction: `key` itself sorts ascending, or descending for an order named so that the
    most comes first (`descending=True`: the churn list's "value" is the most value at stake first)."""
    arrows = (" ▼", " ▲") if descending else (" ▲", " ▼")
    target = f"-{key}" if current == key else key
    arrow = arrows[0] if current == key else arrows[1] if current == f"-{key}" else ""
    prefix = f"{query}&" if query else ""
    return format_html('<a href="?{}ordering={}" class="sort-link">{}{}</a>', prefix, target, label, arrow)


@register.filter
def money(value: Decimal | int | None) -> str:
    """Whole currency units grouped as the language groups them: "52,125,000 EUR", "52 125 000 EUR"."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    grouped = formats.number_format(amount, 0, use_l10n=True, force_grouping=True)
    return f"{grouped} {settings.KAM_CURRENCY}"


@register.filter
def number(value: int | None) -> str:
    """An integer grouped as the language groups thousands, or a dash when unknown."""
    return "—" if value is None else formats.number_format(value, use_l10n=True, force_grouping=True)


@register.simple_tag
def badge(value: str, label: str, kind: str = "account") -> str:
    """A status's badge in the one colour that status has everywhere (`common.status`)."""
    return format_html('<span class="badge {}">{}</span>', status_tone(value, kind), label or "—")


@register.filter(name="status_tone")
def status_tone_filter(value: str, kind: str = "account") -> str:
    """The badge classes of a status, for a badge the template writes itself: "text-bg-danger"."""
    return status_tone(value, kind)


@register.filter(name="status_text")
def status_text_filter(value: str, kind: str = "account") -> str:
    """The text colour of a status, for a figure counted by status: "text-danger"."""
    return status_text(value, kind)


@register.inclusion_tag("accounts/_standing.html")
def standing_badges(account: Account, compact: bool = False) -> dict[str, object]:
    """The "Strategic" badge and the privileges granted (`accounts.standing`): on every account row
    and header, so everyone knows who is strategic."""
    return {"standing": standing_of(account), "compact": compact}


@register.filter
def get(mapping: dict | None, key: object) -> object:
    """mapping[key] in a template, None when absent."""
    return mapping.get(key) if mapping else None
