"""Moving a proposal through its workflow. The legal moves are the transitions declared on the
model; this service finds the one asked for, says plainly why it is refused, records it and sets
off what follows (follow-up, notifications, refusals) through `proposals.effects`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from common.errors import check_version

from .. import effects, signals
from ..models import Proposal, ProposalTransition
from ._common import lock

Status = Proposal.Status


class TransitionRefused(Exception):
    """A move the workflow does not allow from here, or not to this user, or not yet."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@cache  # the declarations are the model's: the same for the life of the process
def declared_transitions() -> dict[tuple[str, str], Any]:
    """(from, to) → the django-fsm transition: at most one per pair, by construction of the model."""
    field = Proposal._meta.get_field("status")
    transitions = field.get_all_transitions(Proposal)
    return {(str(t.source), str(t.target)): t for t in transitions}


def targets_from(status: str) -> list[str]:
    return [target for (source, target) in declared_transitions() if source == status]


def refusal(proposal: Proposal, to: str, user: User | None) -> str | None:
    """Why `user` cannot move `proposal` to `to` now, in words; None when they can. No user: the
    system itself (the nightly expiry), which needs no permission but meets the same conditions."""
    if to not in Status.values:
        return _("“%(to)s” is not a status. Use one of: %(all)s.") % {
            "to": to,
            "all": ", ".join(Status.values),
        }
    move = declared_transitions().get((proposal.status, to))
    if move is None:
        onward = ", ".join(str(Status(t).label) for t in targets_from(proposal.status)) or _(
            "nothing: it is closed"
        )
        return _("A proposal that is %(now)s cannot become %(to)s. From here it can go to: %(onward)s.") % {
            "now": proposal.get_status_display().lower(),
            "to": str(Status(to).label).lower(),
            "onward": onward,
        }
    if user is not None and not move.has_perm(proposal, user):
        if to == Status.APPROVED:
            return _("Only a department head or an administrator approves proposals.")
        return _("Your role can read proposals but not change them.")
    for condition in move.conditions:
        if not condition(proposal):
            return str(condition.refusal(proposal))
    return None


REASON_NEEDED = {Status.WON: "won_reason", Status.LOST: "lost_reason"}


def _check_reason(to: str, reason: str) -> None:
    from retention.models import Reason

    if to not in REASON_NEEDED:
        return
    choices = Proposal.WonReason.values if to == Status.WON else Reason.values
    if reason not in choices:
        raise ValidationError(
            {
                "reason": _("Say why it was %(outcome)s: one of %(choices)s.")
                % {"outcome": str(Status(to).label).lower(), "choices": ", ".join(choices)}
            }
        )


@transaction.atomic
def proposal_transition(
    *,
    proposal: Proposal,
    to: str,
    by: User | None,
    comment: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> Proposal:
    """Move the proposal to status `to`, as `by`, with an optional comment (and the reason for won
    or lost). Refused with TransitionRefused when the workflow does not allow it."""
    proposal = lock(proposal)
    check_version(proposal, expected_version)
    why_not = refusal(proposal, to, by)
    if why_not:
        raise TransitionRefused(why_not)
    _check_reason(to, reason)
    before = proposal.status
    method = getattr(proposal, declared_transitions()[(before, to)].name)
    if to == Status.APPROVED:
        method(by=by)
    elif to in REASON_NEEDED:
        method(reason=reason, notes=comment)
    else:
        method()
    proposal.version += 1
    proposal.save()
    record = ProposalTransition.objects.create(
        proposal=proposal, from_status=before, to_status=to, by=by, comment=comment
    )
    effects.after_transition(proposal=proposal, transition=record)
    signals.status_changed.send(sender=Proposal, proposal=proposal, transition=record)
    return proposal


@dataclass(frozen=True)
class Move:
    to: str
    label: str
    refused: str | None  # why not, or None when the user may make it now


def moves(proposal: Proposal, user: User) -> list[Move]:
    """Every move from the current status, with whether `user` may make it now and why not."""
    return [
        Move(to=target, label=str(Status(target).label), refused=refusal(proposal, target, user))
        for target in targets_from(proposal.status)
    ]
