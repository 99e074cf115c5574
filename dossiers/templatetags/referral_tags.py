"""Referrals and letters on the account and contact pages (accounts may not import dossiers)."""

from __future__ import annotations

from typing import Any

from django import template

from accounts.models import Account, Contact
from accounts.permissions import can_edit_account

from ..models import RecommendationLetter
from ..referrals import referrals_given, referrals_received

register = template.Library()


@register.inclusion_tag("dossiers/_account_referrals.html", takes_context=True)
def account_referrals(context: template.Context, account: Account) -> dict[str, Any]:
    """Who referred the account, and the recommendation letters it wrote (two queries)."""
    user = context["request"].user
    letters = RecommendationLetter.objects.filter(account=account).select_related("contact", "delivery")
    return {
        "account": account,
        "referrals": referrals_received(user=user, account_id=account.pk),
        "letters": list(letters),
        "can_edit": can_edit_account(user, account) and not user.is_analyst,
        "is_prospect": account.status == Account.Status.PROSPECT,
    }


@register.inclusion_tag("dossiers/_contact_referrals.html", takes_context=True)
def contact_referrals(context: template.Context, contact: Contact) -> dict[str, Any]:
    """The referrals the contact gave, to prospects the user sees, with the revenue won since."""
    return {"referrals": referrals_given(user=context["request"].user, contact=contact)}
