"""Helpers every dossier service shares."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kam.errors import StaleEditError


def check_version(obj: Any, expected: int | None) -> None:
    """Refuse an edit made on a copy older than the stored one (optimistic locking)."""
    if expected is not None and expected != obj.version:
        raise StaleEditError(
            {
                "version": _(
                    "This record was changed by someone else since you opened it "
                    "(version %(theirs)s, yours %(yours)s). Reload it and apply your changes again."
                )
                % {"theirs": obj.version, "yours": expected}
            },
            code="stale",
        )


def apply(obj: Any, fields: Iterable[str], data: Mapping[str, Any]) -> None:
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])


def refuse_unknown(data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in sorted(unknown)})


def clean(obj: Any, *, exclude: Iterable[str] = ()) -> None:
    """Model validation with field errors; database constraints are checked by the database."""
    obj.full_clean(exclude=list(exclude), validate_constraints=False)
