"""Number formats and labels of the segmentation pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from analysis import labels
from analysis.dashboards import tone

register = template.Library()


@register.filter
def percent(share: float | None, places: int = 1) -> str:
    """A share (0..1) as a localised percentage: 0.4731 -> "47.3 %"."""
    return "—" if share is None else f"{number_format(round(share * 100, places), decimal_pos=places)} %"


@register.filter
def css_percent(share: float | None) -> str:
    """A share as a CSS length, clamped to 0..100 %, always with a dot decimal."""
    return f"{min(max((share or 0) * 100, 0), 100):.2f}%"


@register.filter
def decimal(value: float | None, places: int = 2) -> str:
    return "—" if value is None else number_format(round(value, places), decimal_pos=places)


@register.filter
def segment_tone(segment) -> str:
    """The colour class of a segment's ABC-XYZ cell (see analysis.dashboards.TONES)."""
    return tone(segment.abc_class, segment.xyz_class)


@register.filter
def xyz_label(xyz_class: str) -> str:
    return labels.xyz_label(xyz_class)


@register.filter
def band_label(band: str) -> str:
    return labels.band_label(band)


@register.filter
def policy_summary(values: dict) -> str:
    return labels.policy_summary(values)


@register.filter
def shown_value(field) -> str:
    """A bound form field's value as a reader sees it: a choice by its label, numbers localised."""
    value = field.value()
    choices = getattr(field.field, "choices", None)
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return number_format(value)
    return "—" if value in (None, "") else str(value)


@register.filter
def segment_class(segment) -> str:
    """The ABC-XYZ cell as read: "AX", or "C new" for an account with too little history."""
    return labels.cell_label(segment.abc_class, segment.xyz_class)
