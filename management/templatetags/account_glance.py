"""Our own figures on the account's Overview tab (the accounts app links to them by tag only)."""

from __future__ import annotations

from typing import Any

from django import template

from ..glance import account_glance

register = template.Library()


@register.inclusion_tag("management/_account_glance.html", takes_context=True)
def account_glance_card(context: dict[str, Any], account: Any) -> dict[str, Any]:
    """Revenue and its trend, last order, ABC-XYZ class, buying status, health, next task, proposals."""
    return {"account": account, "glance": account_glance(user=context["request"].user, account=account)}
