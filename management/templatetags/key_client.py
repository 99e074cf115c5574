"""The key-client type suggestion on the account page (the accounts app links to it by tag only)."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.permissions import can_edit_account

from ..key_client import key_client_suggestion

register = template.Library()


@register.inclusion_tag("management/_key_client_suggestion.html", takes_context=True)
def key_client_suggestion_card(context: dict[str, Any], account: Any) -> dict[str, Any]:
    """The suggested type beside the chosen one, its reason, and Accept for those who may edit."""
    request = context["request"]
    suggestion = key_client_suggestion(account=account)
    return {
        "account": account,
        "suggestion": suggestion,
        "can_accept": suggestion is not None
        and suggestion.key_client_type != account.key_client_type
        and can_edit_account(request.user, account),
        "csrf_token": context.get("csrf_token"),
    }
