"""Helpers every dossier service shares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from common.errors import apply_fields as apply
from common.errors import check_version, refuse_unknown

__all__ = ["apply", "check_version", "clean", "refuse_unknown"]


def clean(obj: Any, *, exclude: Iterable[str] = ()) -> None:
    """Model validation with field errors; database constraints are checked by the database."""
    obj.full_clean(exclude=list(exclude), validate_constraints=False)
