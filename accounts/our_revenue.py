"""Our own revenue from each account over the last twelve months, for list rows, the API and sorting.

The ledger lives in `sales`, which builds on `accounts`: the base app must not spell out its
schema. So the sales app registers, from its AppConfig.ready, how to compute the figure for the
outer account row (a correlated subquery, evaluated for the rows a page returns). Without a source
the figure is unknown (None). Not to be confused with `Account.annual_revenue`, the client's own
turnover.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import DecimalField, Value

RevenueExpression = Callable[[], Any]

_source: list[RevenueExpression] = []


def register(expression: RevenueExpression) -> None:
    """Make `expression()` the one that computes our 12-month revenue of `OuterRef("pk")`."""
    _source[:] = [expression]


def revenue_12m() -> Any:
    """An expression for our revenue from the outer account over the last twelve months."""
    if _source:
        return _source[0]()
    return Value(None, output_field=DecimalField(max_digits=16, decimal_places=2))
