"""The "not given" marker of partial updates: a service changes only the arguments it was given."""

from __future__ import annotations

import enum
from typing import Any, Final


class Unset(enum.Enum):
    """The type of `UNSET`; a parameter typed `str | Unset` may be left out of the call."""

    UNSET = enum.auto()

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


# The default of every optional service parameter: the field keeps its stored (or model default) value.
UNSET: Final = Unset.UNSET


def given(**fields: Any) -> dict[str, Any]:
    """The arguments that were given (not `UNSET`), by name."""
    return {name: value for name, value in fields.items() if value is not UNSET}


def assign(obj: Any, **fields: Any) -> list[str]:
    """Set the given fields on `obj` (the `UNSET` ones keep their value); returns the names set."""
    changed = given(**fields)
    for name, value in changed.items():
        setattr(obj, name, value)
    return list(changed)
