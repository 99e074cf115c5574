"""The writable fields of a service: a `TypedDict` (total=False) per entity, taken as
`**fields: Unpack[EntityFields]`. A service changes only the fields it was given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def fields_of(schema: type, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The given fields, checked against the `TypedDict` `schema` at run time too: a name it does not
    declare is refused with a TypeError, as Python refuses an unknown keyword argument."""
    known = schema.__required_keys__ | schema.__optional_keys__  # type: ignore[attr-defined]
    unknown = sorted(set(fields) - known)
    if unknown:
        raise TypeError(f"unexpected keyword argument(s) for {schema.__name__}: {', '.join(unknown)}")
    return dict(fields)


def assign(obj: Any, fields: Mapping[str, Any]) -> list[str]:
    """Set the given fields on `obj` (the others keep their value); returns the names set."""
    for name, value in fields.items():
        setattr(obj, name, value)
    return list(fields)
