"""The management parts of the home page; accounts renders the page but must not import management."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import template
from django.utils import timezone

from accounts.kept import kept
from accounts.models import Account, User
from sales.periods import containing
from sales.plan_selectors import plan_rows

from .. import neglect, scorecards
from ..alerts import desk_alerts
from ..selectors import policy_current

register = template.Library()
SHOWN = 5


@register.inclusion_tag("management/_home_neglected.html", takes_context=True)
def neglected_accounts(context: template.Context) -> dict[str, Any]:
    """The user's own live accounts nobody has been in touch with for longer than the policy allows,
    longest forgotten first. Three queries: the policy, the first few, their count (when any)."""
    user: User = context["request"].user
    policy = policy_current()
    rows = neglect.neglected(
        Account.objects.visible_to(user).filter(owner=user),
        since=neglect.cutoff(neglect_days=policy.neglect_days),
    )
    shown = list(rows[:SHOWN])
    now = timezone.now()
    return {
        "rows": [(a, (now - cast(Any, a).last_contact_at).days) for a in shown],
        "count": len(shown) if len(shown) < SHOWN else rows.count(),
        "days": policy.neglect_days,
        "user": user,
    }


# The desk's figures are kept this long (seconds) in the shared cache: a summary for the home page,
# read on every visit; the scorecards page behind it is always worked out afresh.
DESK_SECONDS = 300


def _desk(user: User, today: dt.date) -> dict[str, Any]:
    quarter = containing(today, "quarter")
    cards = scorecards.kam_cards(
        user=user, kams=scorecards.visible_kams(user=user), today=today, period=quarter
    )
    attention = scorecards.sorted_cards([c for c in cards if c.needs_attention], "at_risk_without_action")
    return {
        "show": True,
        "cards": cards,
        "attention": attention[:SHOWN],
        "attention_count": len(attention),
        "alerts": desk_alerts(user=user, cards=cards),
        "quarter": quarter,
        "departments": plan_rows(user=user, level="department", period=quarter, today=today),
    }


@register.inclusion_tag("management/_home_desk.html", takes_context=True)
def department_desk(context: template.Context) -> dict[str, Any]:
    """For a head: the department's quarter, the alerts and the KAMs that need attention (over the
    load, accounts forgotten, at risk or lost with nothing done), worst first, over the accounts the
    head sees. Kept for DESK_SECONDS (and until an account or contact changes) with a shared cache."""
    user: User = context["request"].user
    if not user.is_head:
        return {"show": False}
    today = timezone.localdate()
    return kept("management-desk", user, lambda: _desk(user, today), today, timeout=DESK_SECONDS)
