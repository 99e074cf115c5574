"""Human, translated wording of the segmentation's codes (classes, bands, policy values)."""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from .engine.xyz import NEW
from .models import DEFAULTS, AnalysisPolicy

BANDS = {
    "none": gettext_lazy("no key accounts flagged"),
    "low": pgettext_lazy("concentration band", "low"),
    "typical": pgettext_lazy("concentration band", "typical"),
    "high": pgettext_lazy("concentration band", "high"),
    "mono_dependency": gettext_lazy("mono-dependency"),
}
NOT_IN_RUN = "—"


def xyz_label(xyz_class: str) -> str:
    """X, Y, Z as they are; "new" (too little history) in the reader's language."""
    return str(pgettext_lazy("XYZ class: too little history", "new")) if xyz_class == NEW else xyz_class


def cell_label(abc_class: str, xyz_class: str) -> str:
    """The ABC-XYZ cell as read: "AX", or "C new" for an account with too little history."""
    return f"{abc_class} {xyz_label(xyz_class)}" if xyz_class == NEW else abc_class + xyz_class


def band_label(band: str) -> str:
    return str(BANDS.get(band, band))


def _choice(choices: type[Any], value: Any) -> str:
    return str(dict(choices.choices).get(value, value))


def policy_summary(values: dict[str, Any]) -> str:
    """A run's policy values as one readable line (choice labels, localised numbers)."""
    if not values:
        return "—"
    merged: dict[str, Any] = {**DEFAULTS.as_dict(), **values}
    get = merged.__getitem__
    months = int(get("window_months"))
    min_months = int(get("min_months"))
    parts = [
        ngettext("%(basis)s over %(n)s month", "%(basis)s over %(n)s months", months)
        % {"basis": _choice(AnalysisPolicy.Basis, get("basis")), "n": months},
        _("A up to %(a)s, B up to %(b)s") % {"a": _num(get("abc_a")), "b": _num(get("abc_b"))},
        _("XYZ by %(method)s: X %(x)s, Y %(y)s")
        % {
            "method": _choice(AnalysisPolicy.XyzMethod, get("xyz_method")).lower(),
            "x": _num(get("xyz_x")),
            "y": _num(get("xyz_y")),
        },
        ngettext("at least %(n)s month of history", "at least %(n)s months of history", min_months)
        % {"n": min_months},
        _("key accounts: %(rule)s") % {"rule": _choice(AnalysisPolicy.KeyAccounts, get("key_accounts"))},
    ]
    return " · ".join(parts)


def _num(value: Any) -> str:
    return number_format(float(value), decimal_pos=2)
