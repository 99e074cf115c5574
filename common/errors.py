"""Errors shared by every app's services."""

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
