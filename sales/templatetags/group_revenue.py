"""The revenue roll-up of the group structure page: the accounts app shows it by loading this tag, so
it needs no import of sales."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from ..white_space import revenue_last_12_months, window

register = template.Library()


def _nodes(node: Any) -> list[Any]:
    return [node, *(n for child in node.children for n in _nodes(child))]


@register.simple_tag(takes_context=True)
def group_revenue(context: dict[str, Any], tree: Any) -> dict[str, Any]:
    """Each visible node's own 12 months' revenue and its subtree's (the node and everything below it
    that the user sees), in one query: {"own": {pk: …}, "total": {pk: …}, "first", "last"}."""
    nodes = _nodes(tree)
    own = revenue_last_12_months(user=context["request"].user, accounts=[n.account for n in nodes])
    total: dict[int, Decimal] = {}

    def roll(node: Any) -> Decimal:
        total[node.account.pk] = own.get(node.account.pk, Decimal(0)) + sum(
            (roll(child) for child in node.children), Decimal(0)
        )
        return total[node.account.pk]

    roll(tree)
    first, last = window()
    return {"own": own, "total": total, "first": first, "last": last}
