"""What follows a move of the workflow: the follow-up sequence, notifications, refusals.

Everything here runs inside the transition's transaction: the move and what follows it are
recorded together, or not at all.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from common.locale import in_language_of
from retention.models import Refusal
from retention.services import notification_create, refusal_create
from sales.models import ProductLine

from .links import proposal_url
from .models import Proposal, ProposalTransition
from .rules import approval_reasons
from .services.follow_up import follow_up_receipt, follow_up_start, follow_up_stop

S = Proposal.Status


def after_transition(*, proposal: Proposal, transition: ProposalTransition) -> None:
    """Called inside the transition's transaction, after the move is recorded."""
    to, by = transition.to_status, transition.by
    if to == S.SENT:
        follow_up_start(proposal=proposal, by=by)
    elif to == S.RECEIVED:
        follow_up_receipt(proposal=proposal, by=by)
    elif to in Proposal.CLOSED_STATUSES:
        follow_up_stop(proposal=proposal, by=by)
    if to == S.LOST:
        record_refusals(proposal=proposal, by=by or proposal.author)
    notify(proposal=proposal, transition=transition)


# --- notifications ------------------------------------------------------------------------------


def department_heads(proposal: Proposal) -> list[User]:
    """The active heads of the account's department (none when the account has no department)."""
    if proposal.account.department_id is None:
        return []
    return list(
        User.objects.filter(
            role=User.Role.HEAD, is_active=True, departments=proposal.account.department_id
        ).distinct()
    )


def _recipients(proposal: Proposal, transition: ProposalTransition) -> tuple[str, list[User]] | None:
    """(kind, recipients) of the notification a move calls for, or None."""
    before, to = transition.from_status, transition.to_status
    if to == S.IN_APPROVAL:
        return "proposal_approval", department_heads(proposal)
    if before == S.IN_APPROVAL and to == S.APPROVED:
        return "proposal_approved", [proposal.author]
    if before == S.IN_APPROVAL and to == S.DRAFT:
        return "proposal_returned", [proposal.author]
    if to == S.EXPIRED:
        return "proposal_expired", [proposal.author]
    return None


def _words(kind: str, proposal: Proposal, transition: ProposalTransition) -> tuple[str, str]:
    """(title, body) of a notification of `kind`, in the active language."""
    names = {"proposal": str(proposal), "by": str(transition.by or "")}
    if kind == "proposal_approval":
        reasons = "; ".join(approval_reasons(proposal))
        body = "\n".join(part for part in (transition.comment, reasons and _("Why: %s") % reasons) if part)
        return _("%(by)s asks you to approve %(proposal)s") % names, body
    if kind == "proposal_approved":
        return _("%(proposal)s was approved by %(by)s") % names, transition.comment
    if kind == "proposal_returned":
        return _("%(proposal)s was returned to draft by %(by)s") % names, transition.comment
    title = _("%(proposal)s expired: it was valid until %(date)s")
    return title % {**names, "date": date_format(proposal.valid_until)}, transition.comment


def notify(*, proposal: Proposal, transition: ProposalTransition) -> int:
    """Tell the people a move concerns (heads: a proposal to approve; the author: approved, returned,
    expired); no one is told of their own move. Returns how many were told."""
    found = _recipients(proposal, transition)
    if found is None:
        return 0
    kind, recipients = found
    told = 0
    for user in recipients:
        if user.pk == transition.by_id or not user.is_active:
            continue
        with in_language_of(user):  # the words of the message in the reader's language
            title, body = _words(kind, proposal, transition)
        notification_create(
            user=user,
            kind=kind,
            title=title,
            body=body,
            url=proposal_url(proposal.pk),
            account=proposal.account,
        )
        told += 1
    return told


# --- a lost proposal is a refusal ---------------------------------------------------------------


def record_refusals(*, proposal: Proposal, by: User) -> list[Refusal]:
    """A lost proposal is a refusal in retention's records (recorded by `by`), once per distinct
    product line of its lines (the direction), or once without one when no line has a product line."""
    ids = proposal.lines.exclude(product_line=None).values_list("product_line", flat=True).distinct()
    directions: list[ProductLine | None] = list(ProductLine.objects.filter(pk__in=ids).order_by("code"))
    notes = proposal.outcome_notes.strip()
    text = (
        _("Proposal %(number)s: %(notes)s") % {"number": proposal.number, "notes": notes}
        if notes
        else _("Proposal %(number)s") % {"number": proposal.number}
    )
    return [
        refusal_create(
            account=proposal.account,
            by=by,
            kind=Refusal.Kind.PROPOSAL,
            reason=proposal.lost_reason,
            on=timezone.localdate(),
            text=text,
            product_line=direction,
        )
        for direction in directions or [None]
    ]
