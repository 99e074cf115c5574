"""The meeting brief of an account: the contacts attending chosen on the page, printable."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Contact
from accounts.tabs import account_page_context
from common.filters import whole_numbers
from common.views import AuthenticatedHttpRequest, visible_account

from .meeting_brief import attendees_of_interaction, meeting_brief, upcoming_meetings

MAX_QUESTIONS_CHARS = 4000


def _ids(request: AuthenticatedHttpRequest, name: str) -> list[int]:
    """Ids given as `?name=1,2` or repeated `?name=1&name=2` (ValidationError on a bad one)."""
    raw = [part for value in request.GET.getlist(name) for part in value.split(",") if part.strip()]
    return whole_numbers(raw, name=name)


@login_required
def meeting_brief_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """`?contacts=1,2` (the account's contacts) or `?interaction=` (a meeting: its contacts);
    `?questions=` adds questions of one's own, a line each. Another account's ids answer 404."""
    account = visible_account(request, pk)
    try:
        contact_ids = _ids(request, "contacts")
        interaction_ids = _ids(request, "interaction")
    except ValidationError as error:
        for name, texts in error.message_dict.items():
            problem = " ".join(texts)
            messages.error(request, _("%(parameter)s: %(problem)s") % {"parameter": name, "problem": problem})
        contact_ids, interaction_ids, status = [], [], 400
    else:
        status = 200
    for interaction_pk in interaction_ids[:1]:
        present = attendees_of_interaction(user=request.user, account=account, pk=interaction_pk)
        if present is None:
            raise Http404
        contact_ids += present
    contact_ids = list(dict.fromkeys(contact_ids))
    owned = Contact.objects.filter(account=account, pk__in=contact_ids).count()
    if owned != len(contact_ids):
        raise Http404
    questions = request.GET.get("questions", "")[:MAX_QUESTIONS_CHARS]
    brief = meeting_brief(
        user=request.user, account=account, contact_ids=contact_ids, free_questions=questions.splitlines()
    )
    context = account_page_context(user=request.user, account=account, tab="")
    context.update(
        brief=brief,
        chosen=set(contact_ids),
        all_contacts=Contact.objects.filter(account=account).order_by("-influence", "last_name", "pk"),
        upcoming=upcoming_meetings(user=request.user, account=account),
        questions_text=questions,
        today=timezone.localdate(),
    )
    return render(request, "management/meeting_brief.html", context, status=status)
