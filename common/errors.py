"""Errors shared by every app's services."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StaleEditError(ValidationError):
    """The object changed since the editor loaded it; saving would overwrite someone's work."""


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


def apply_fields(obj: Any, fields: Iterable[str], data: Mapping[str, Any]) -> None:
    """Copy the given fields that `data` carries onto `obj` (a partial update leaves the rest)."""
    for field in fields:
        if field in data:
            setattr(obj, field, data[field])
