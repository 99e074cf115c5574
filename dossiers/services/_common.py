"""Helpers every dossier service shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from common.errors import check_version
from common.fields import assign, fields_of

__all__ = ["assign", "check_version", "clean", "fields_of"]


def clean(obj: Any, *, exclude: Iterable[str] = ()) -> None:
    """Model validation with field errors; database constraints are checked by the database."""
    obj.full_clean(exclude=list(exclude), validate_constraints=False)
