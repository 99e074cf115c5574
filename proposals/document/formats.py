"""Numbers as the printed proposal shows them: in the active language's separators, money to the cent."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format


def amount(value: Decimal) -> str:
    """12,345.60 in English, 12 345,60 in Finnish."""
    return number_format(value, 2, force_grouping=True)


def money(value: Decimal, currency: str) -> str:
    """12,345.60 EUR"""
    return f"{amount(value)} {currency}"


def plain(value: Decimal) -> str:
    """A quantity, a percentage or a number of months without trailing zeros: 1,250 · 12.5 · 0"""
    return number_format(value.normalize(), force_grouping=True)
