"""The retention part of the home page; accounts renders the page but must not import retention."""

from __future__ import annotations

from typing import Any

from django import template

from retention import churn_selectors, selectors

register = template.Library()
SHOWN = 5


@register.inclusion_tag("retention/_home_drift.html", takes_context=True)
def drifting_accounts(context: template.Context) -> dict[str, Any]:
    """The visible accounts at risk or lost in the latest run, most value at stake first."""
    user = context["request"].user
    run = selectors.latest_run()
    if run is None:
        return {"run": None}
    return {
        "run": run,
        "rows": list(churn_selectors.churn_list(user=user, run=run)[:SHOWN]),
        "counts": churn_selectors.churn_counts(user=user, run=run),
    }
