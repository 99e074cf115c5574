"""Number formats of the segmentation pages."""

from __future__ import annotations

from django import template

from analysis.dashboards import tone

register = template.Library()


@register.filter
def percent(share: float | None, places: int = 1) -> str:
    """A share (0..1) as a percentage: 0.4731 -> "47.3 %"."""
    return "—" if share is None else f"{share * 100:.{places}f} %"


@register.filter
def css_percent(share: float | None) -> str:
    """A share as a CSS length, clamped to 0..100 %, always with a dot decimal."""
    return f"{min(max((share or 0) * 100, 0), 100):.2f}%"


@register.filter
def decimal(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}"


@register.filter
def segment_tone(segment) -> str:
    """The colour class of a segment's ABC-XYZ cell (see analysis.dashboards.TONES)."""
    return tone(segment.abc_class, segment.xyz_class)
