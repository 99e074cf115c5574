"""The dossier parts of the home page; accounts renders the page but must not import dossiers."""

from __future__ import annotations

from typing import Any

from django import template

from dossiers import selectors

register = template.Library()


@register.inclusion_tag("dossiers/_home_agenda.html", takes_context=True)
def my_agenda(context: template.Context) -> dict[str, Any]:
    """The user's overdue and upcoming tasks, and tender milestones due in the next 30 days."""
    request = context["request"]
    return {
        "agenda": selectors.home_agenda(user=request.user),
        "can_tick": not request.user.is_analyst,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
