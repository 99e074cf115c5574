"""The dossier parts of the home page; accounts renders the page but must not import dossiers."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from accounts.models import PersonalDataAccess
from accounts.services import personal_data_access_log
from dossiers import commitment_selectors, selectors

register = template.Library()


@register.inclusion_tag("dossiers/_home_agenda.html", takes_context=True)
def my_agenda(context: template.Context) -> dict[str, Any]:
    """Tasks, tender milestones, profile reviews due and the next few birthdays (one access-log row
    for the view, listing the contacts shown)."""
    request = context["request"]
    agenda = selectors.home_agenda(user=request.user)
    personal_data_access_log(
        user=request.user,
        contacts=[b.contact for b in agenda.birthdays],
        channel=PersonalDataAccess.Channel.PAGE,
    )
    return {
        "agenda": agenda,
        "can_tick": not request.user.is_analyst,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.inclusion_tag("dossiers/_home_commitments.html", takes_context=True)
def overdue_commitments(context: template.Context) -> dict[str, Any]:
    """The user's own promises past due and still open; nothing at all when there are none."""
    user = context["request"].user
    shown, total = commitment_selectors.overdue_of(user=user, today=timezone.localdate())
    return {"commitments": shown, "total": total}
