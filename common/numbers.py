"""Whole numbers typed by people: ASCII digits only, parsed in one place.

`str.isdigit()` accepts superscript, Arabic-Indic and fullwidth digits, which `int()` then
refuses or reads differently; a value from a query string, a form or a command line goes through
`whole_number` instead.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]{1,18}")  # 18 digits: always inside a 64-bit integer column


def whole_number(raw: object, *, minimum: int = 0, maximum: int | None = None) -> int | None:
    """The value of `raw` if it is plain ASCII digits within [minimum, maximum], else None."""
    if not isinstance(raw, str) or not _DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        return None
    return value
