"""Moving a proposal through its workflow from its page or the approval queue, and ticking off the
follow-up steps after sending."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import StaleEditError
from common.forms import add_service_errors
from common.views import AuthenticatedHttpRequest

from .. import selectors, services
from ..forms import TransitionForm
from ..models import FollowUpStep, Proposal
from ..rules import approval_reasons, current_rules
from ._common import back_to, detail_url, user_of, writable_proposal, writable_row
from .parts import render_page

S = Proposal.Status


@login_required
@require_POST
def transition(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One move (`to`), with a comment and, for won or lost, the reason. A move the workflow refuses
    comes back as a message on the page it was asked from; a bad input, next to its field."""
    proposal = writable_proposal(request, pk)
    back = back_to(request, detail_url(proposal))
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            moved = services.proposal_transition(
                proposal=proposal, to=data["to"], by=user_of(request), comment=data["comment"],
                reason=data["reason"], expected_version=data["version"],
            )  # fmt: skip
        except services.TransitionRefused as refused:
            messages.error(request, refused.message)
            return redirect(back)
        except StaleEditError as stale:
            form.add_error(None, stale.message_dict["version"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            label = moved.get_status_display().lower()
            messages.success(
                request, _("%(number)s is now %(status)s.") % {"number": moved.number, "status": label}
            )
            return redirect(back)
    if back != detail_url(proposal):  # from the queue: say what went wrong there
        for texts in form.errors.values():
            messages.error(
                request,
                _("%(proposal)s: %(errors)s")
                % {"proposal": proposal.number, "errors": " ".join(map(str, texts))},
            )
        return redirect(back)
    return render_page(
        request, selectors.proposal_get(user=user_of(request), pk=pk), status=400, transition_form=form
    )


@login_required
def approval_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Proposals waiting for a department head's approval, oldest first, with why each needs it."""
    user = user_of(request)
    rules = current_rules()
    waiting = selectors.approval_queue(user=user).annotate(
        waiting_since=Max("transitions__at", filter=Q(transitions__to_status=S.IN_APPROVAL))
    )
    rows = [(proposal, approval_reasons(proposal, rules)) for proposal in waiting]
    context = {
        "rows": rows,
        "can_approve": user.is_head or user.is_admin_role,
        "can_write": not user.is_analyst,
        "here": reverse("proposals:approvals"),
    }
    return render(request, "proposals/approvals.html", context)


@login_required
@require_POST
def follow_up_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The open follow-up step done (or skipped: `outcome=skipped`); the next one opens."""
    user = user_of(request)
    steps = FollowUpStep.objects.filter(proposal__in=selectors.proposal_queryset(user=user))
    step = writable_row(request, steps, pk)
    skipped = request.POST.get("outcome") == FollowUpStep.State.SKIPPED
    try:
        services.follow_up_close(step=step, by=user, skipped=skipped)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("skipped") if skipped else _("done")
        messages.success(request, _("“%(step)s” %(done)s.") % {"step": step.title, "done": done})
    return redirect(detail_url(step.proposal_id, "follow-up"))
