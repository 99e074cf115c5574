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


def _message(proposal: Proposal, transition: ProposalTransition) -> tuple[str, list[User], str, str] | None:
    """(kind, recipients, title, body) of the notification a move calls for, or None."""
    before, to, by = transition.from_status, transition.to_status, str(transition.by or "")
    names = {"proposal": str(proposal), "by": by}
    if to == S.IN_APPROVAL:
        reasons = "; ".join(approval_reasons(proposal))
        body = "\n".join(part for part in (transition.comment, reasons and _("Why: %s") % reasons) if part)
        title = _("%(by)s asks you to approve %(proposal)s") % names
        return "proposal_approval", department_heads(proposal), title, body
    if before == S.IN_APPROVAL and to == S.APPROVED:
        title = _("%(proposal)s was approved by %(by)s") % names
        return "proposal_approved", [proposal.author], title, transition.comment
    if before == S.IN_APPROVAL and to == S.DRAFT:
        title = _("%(proposal)s was returned to draft by %(by)s") % names
        return "proposal_returned", [proposal.author], title, transition.comment
    if to == S.EXPIRED:
        title = _("%(proposal)s expired: it was valid until %(date)s") % {
            **names,
            "date": date_format(proposal.valid_until),
        }
        return "proposal_expired", [proposal.author], title, transition.comment
    return None


def notify(*, proposal: Proposal, transition: ProposalTransition) -> int:
    """Tell the people a move concerns (heads: a proposal to approve; the author: approved, returned,
    expired); no one is told of their own move. Returns how many were told."""
    message = _message(proposal, transition)
    if message is None:
        return 0
    recipients = message[1]
    told = 0
    for user in recipients:
        if user.pk == transition.by_id or not user.is_active:
            continue
        with in_language_of(user):  # the words of the message in the reader's language
            kind, _people, title, body = _message(proposal, transition) or message
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
