"""Numbers as the printed proposal shows them: thousands separated, money to the cent."""

from __future__ import annotations

from decimal import Decimal


def amount(value: Decimal) -> str:
    """12,345.60"""
    return f"{value:,.2f}"


def money(value: Decimal, currency: str) -> str:
    """12,345.60 EUR"""
    return f"{amount(value)} {currency}"


def plain(value: Decimal) -> str:
    """A quantity, a percentage or a number of months without trailing zeros: 1,250 · 12.5 · 0"""
    return format(value.normalize(), ",f")
