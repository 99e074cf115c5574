"""Helpers every dossier service shares."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kam.errors import apply_fields as apply
from kam.errors import check_version

__all__ = ["apply", "check_version", "clean", "refuse_unknown"]


def refuse_unknown(data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in sorted(unknown)})


def clean(obj: Any, *, exclude: Iterable[str] = ()) -> None:
    """Model validation with field errors; database constraints are checked by the database."""
    obj.full_clean(exclude=list(exclude), validate_constraints=False)
