"""The parts of the proposal page: the lines table, the workflow box, the audiences, the whole page.

Each part is rendered from one proposal read by `selectors.proposal_get` (everything prefetched),
so the page costs the same number of queries whatever the number of lines, arguments or moves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.models import Contact, User
from accounts.permissions import can_edit_account
from common.views import AuthenticatedHttpRequest
from retention.models import Reason
from sales.models import ProductLine

from ..forms import ArgumentForm, LineForm, TransitionForm
from ..models import Proposal, ProposalArgument
from ..rules import Rules, approval_reasons, current_rules
from ..selectors import AUDIENCE_HINTS, checklist
from ..services.workflow import moves

S = Proposal.Status
# What the button of each move says (the status it leads to is the model's label).
ACTIONS = {
    S.DRAFT: _("Return to draft"),
    S.IN_APPROVAL: _("Submit for approval"),
    S.APPROVED: _("Approve"),
    S.SENT: _("Mark as sent"),
    S.RECEIVED: _("Receipt confirmed"),
    S.NEGOTIATION: _("In negotiation"),
    S.WON: _("Won"),
    S.LOST: _("Lost"),
    S.EXPIRED: _("Mark expired"),
    S.WITHDRAWN: _("Withdraw"),
}
# The buttons' order: onward first, then back, then out.
MOVE_ORDER = (S.IN_APPROVAL, S.APPROVED, S.SENT, S.RECEIVED, S.NEGOTIATION, S.WON, S.LOST, S.DRAFT,
              S.WITHDRAWN, S.EXPIRED)  # fmt: skip
NEW_LINE = "line-new"


@dataclass(frozen=True)
class Button:
    to: str
    action: str
    refused: str | None


def editable(user: User, proposal: Proposal) -> bool:
    return proposal.is_editable and can_edit_account(user, proposal.account)


def validity_hint(proposal: Proposal, today: dt.date, rules: Rules) -> tuple[str, str]:
    """("expires in 3 days", tone) for an open proposal; nothing once it is decided."""
    if proposal.status in Proposal.CLOSED_STATUSES:
        return "", ""
    days = (proposal.valid_until - today).days
    if days < 0:
        return ngettext("expired %(n)s day ago", "expired %(n)s days ago", -days) % {"n": -days}, "danger"
    if days == 0:
        return str(_("expires today")), "warning"
    text = ngettext("expires in %(n)s day", "expires in %(n)s days", days) % {"n": days}
    return text, "warning" if days <= rules.expiring_soon_days else "muted"


# --- the lines table ----------------------------------------------------------------------------


def product_lines() -> list[ProductLine]:
    return list(ProductLine.objects.order_by("name"))


def lines_context(
    user: User,
    proposal: Proposal,
    *,
    add_form: LineForm | None = None,
    edit_form: LineForm | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """The lines with at most one of them in edit mode (`edit_form.instance`), the add row, totals."""
    can_write = editable(user, proposal)
    choices = product_lines() if can_write else []
    editing = edit_form.instance.pk if edit_form is not None else None
    return {
        "proposal": proposal,
        "editable": can_write,
        "rows": [(line, edit_form if line.pk == editing else None) for line in proposal.lines.all()],
        "add_form": add_form or (LineForm(form_id=NEW_LINE, product_lines=choices) if can_write else None),
        "lines_error": error,
    }


def line_form(line: Any, data: Any = None) -> LineForm:
    return LineForm(data, instance=line, form_id=f"line-{line.pk}", product_lines=product_lines())


# --- the workflow box ---------------------------------------------------------------------------


def workflow_context(
    user: User, proposal: Proposal, rules: Rules, form: TransitionForm | None = None
) -> dict[str, Any]:
    """The onward moves (each with why it is refused), and the approval box while in approval."""
    onward = {move.to: move for move in moves(proposal, user)}
    approving = proposal.status == S.IN_APPROVAL
    approval_moves = (S.APPROVED, S.DRAFT) if approving else ()
    buttons = [
        Button(to, str(ACTIONS[to]), onward[to].refused)
        for to in MOVE_ORDER
        if to in onward and to not in approval_moves and to != S.EXPIRED  # expiry is the nightly run's
    ]
    return {
        "moves": buttons,
        "refused_moves": [b for b in buttons if b.refused],
        "approving": approving,
        "can_approve": user.is_head or user.is_admin_role,
        "take_back": approving and not onward[S.DRAFT].refused,
        "approval_reasons": approval_reasons(proposal, rules),
        "transition_form": form or TransitionForm(),
        "won_reasons": Proposal.WonReason.choices,
        "lost_reasons": Reason.choices,
        "can_write": can_edit_account(user, proposal.account),
    }


# --- arguments per audience ---------------------------------------------------------------------


def audiences(proposal: Proposal, contacts: list[Contact]) -> tuple[list[dict[str, Any]], list[str]]:
    """One block per DMU role that has people or arguments, and the labels of the roles with neither."""
    arguments: list[ProposalArgument] = list(proposal.arguments.all())
    blocks, empty = [], []
    for role, label in Contact.DmuRole.choices:
        people = [c for c in contacts if c.dmu_role == role]
        argued = [a for a in arguments if a.audience == role]
        if people or argued:
            hint = AUDIENCE_HINTS[Contact.DmuRole(role)]
            blocks.append({"role": role, "label": label, "hint": hint, "people": people, "arguments": argued})
        else:
            empty.append(str(label))
    return blocks, empty


# --- the whole page -----------------------------------------------------------------------------


def page_context(
    request: AuthenticatedHttpRequest,
    proposal: Proposal,
    *,
    lines: dict[str, Any] | None = None,
    transition_form: TransitionForm | None = None,
    argument_form: ArgumentForm | None = None,
) -> dict[str, Any]:
    user = request.user
    rules = current_rules()
    today = timezone.localdate()
    prefetch_related_objects([proposal.account], "contacts")  # one read for the checklist and the forms
    contacts = list(proposal.account.contacts.all())
    blocks, unargued = audiences(proposal, contacts)
    hint, tone = validity_hint(proposal, today, rules)
    can_write = editable(user, proposal)
    context = {
        **lines_context(user, proposal, **(lines or {})),
        **workflow_context(user, proposal, rules, transition_form),
        "account": proposal.account,
        "can_edit": can_edit_account(user, proposal.account),
        "today": today,
        "validity_hint": hint,
        "validity_tone": tone,
        "checklist": checklist(proposal),
        "audiences": blocks,
        "unargued": unargued,
        "audience_choices": Contact.DmuRole.choices,
        "steps": list(proposal.follow_up_steps.all()),
        "argument_form": argument_form
        or (ArgumentForm(contacts=contacts, version=proposal.version) if can_write else None),
    }
    return context


def render_page(
    request: AuthenticatedHttpRequest, proposal: Proposal, *, status: int = 200, **parts: Any
) -> HttpResponse:
    return render(request, "proposals/detail.html", page_context(request, proposal, **parts), status=status)


def render_lines(
    request: AuthenticatedHttpRequest,
    proposal: Proposal,
    *,
    status: int = 200,
    changed: bool = False,
    **parts: Any,
) -> HttpResponse:
    """The lines table alone; after a change, the workflow box too (out of band), since what may be
    done next depends on the lines (no lines: nothing to send; deep discounts: approval first)."""
    user = request.user
    context = lines_context(user, proposal, **parts)
    if changed:
        context.update(workflow_context(user, proposal, current_rules()), oob=True)
    return render(request, "proposals/_lines.html", context, status=status)
