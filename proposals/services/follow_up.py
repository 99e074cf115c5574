"""The follow-up sequence after a proposal is sent (DOMAIN.md): one open step at a time, each a
task on the author's home page; closing one (done or skipped) opens the next.

The steps are the policy's in force when the proposal is sent. Each falls due its working days
after it opens: the first after the sending date, the others after the day the one before closed.
The workflow's moves drive it too (`proposals.effects`): a recorded receipt closes "confirm_receipt",
a decision (won, lost, expired, withdrawn) skips whatever is left.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.calendar import add_working_days
from dossiers.models import Task
from dossiers.services import task_complete, task_create

from ..models import FollowUpStep, Proposal
from ..rules import current_rules

State = FollowUpStep.State
RECEIPT = "confirm_receipt"  # the step a recorded receipt settles
UNSETTLED = (State.WAITING, State.OPEN)


def _close(step: FollowUpStep, *, by: User | None, state: str) -> None:
    """Mark the step done or skipped, and tick off its task if it is still open."""
    step.state, step.closed_at, step.closed_by = state, timezone.now(), by
    step.save(update_fields=["state", "closed_at", "closed_by"])
    if step.task is not None and not step.task.done:
        task_complete(task=step.task)  # the step is closed already: the task's signal finds nothing open


def _open_next(proposal: Proposal, *, by: User | None, start: dt.date) -> FollowUpStep | None:
    """Open the first waiting step, due its working days after `start`, as a task of the author.
    "confirm_receipt" is skipped when the receipt is already recorded."""
    for step in proposal.follow_up_steps.filter(state=State.WAITING).order_by("position"):
        if step.key == RECEIPT and proposal.received_at is not None:
            _close(step, by=by, state=State.SKIPPED)
            continue
        step.state, step.due_on = State.OPEN, add_working_days(start, step.working_days)
        step.task = task_create(
            by=by or proposal.author,
            owner=proposal.author,
            account=proposal.account,
            title=f"{proposal.number} · {step.title}",
            due_on=step.due_on,
        )
        step.save(update_fields=["state", "due_on", "task"])
        return step
    return None


def follow_up_start(*, proposal: Proposal, by: User | None) -> list[FollowUpStep]:
    """On sending: the policy's steps, all waiting, then the first opened (a task of the author,
    created by `by`), due its working days after the sending date. Runs once per proposal."""
    if proposal.follow_up_steps.exists():
        return list(proposal.follow_up_steps.all())
    steps = FollowUpStep.objects.bulk_create(
        FollowUpStep(
            proposal=proposal,
            position=position,
            key=str(step["key"]),
            title=str(step["title"]),
            working_days=int(step["working_days"]),
        )
        for position, step in enumerate(current_rules().follow_up_steps, start=1)
    )
    sent_on = timezone.localdate(proposal.sent_at) if proposal.sent_at else timezone.localdate()
    _open_next(proposal, by=by, start=sent_on)
    return steps


@transaction.atomic
def follow_up_close(*, step: FollowUpStep, by: User, skipped: bool = False) -> FollowUpStep:
    """Close the open step as done (or skipped), recorded as closed by `by`; opens the next step."""
    # One writer of a proposal's follow-up at a time, as for its other writes.
    proposal = Proposal.objects.select_for_update().get(pk=step.proposal_id)
    step = FollowUpStep.objects.select_related("task").get(pk=step.pk)
    if step.state != State.OPEN:
        raise ValidationError(
            _("“%(step)s” is %(state)s: only the open step of the follow-up can be closed.")
            % {"step": step.title, "state": step.get_state_display().lower()}
        )
    _close(step, by=by, state=State.SKIPPED if skipped else State.DONE)
    _open_next(proposal, by=by, start=timezone.localdate())
    return step


def follow_up_receipt(*, proposal: Proposal, by: User | None) -> None:
    """The client confirmed receipt (recorded by `by`): "confirm_receipt" is done, and when it was
    the open step the next one opens. Not reached yet, it is settled now and passed over later."""
    step = proposal.follow_up_steps.filter(key=RECEIPT, state__in=UNSETTLED).select_related("task").first()
    if step is None:
        return
    was_open = step.state == State.OPEN
    _close(step, by=by, state=State.DONE)
    if was_open:
        _open_next(proposal, by=by, start=timezone.localdate())


def follow_up_stop(*, proposal: Proposal, by: User | None) -> int:
    """The proposal is decided (by `by`, or the nightly expiry): the open step and those waiting are
    skipped, the open step's task ticked off. Returns how many steps were skipped."""
    steps = list(proposal.follow_up_steps.filter(state__in=UNSETTLED).select_related("task"))
    for step in steps:
        _close(step, by=by, state=State.SKIPPED)
    return len(steps)


def follow_up_task_done(*, task: Task) -> FollowUpStep | None:
    """A follow-up task was ticked off on the home page: its step, if still open, is done (closed by
    the task's owner, who alone ticks it there) and the next one opens."""
    step = FollowUpStep.objects.filter(task_id=task.pk, state=State.OPEN).first()
    return follow_up_close(step=step, by=task.owner) if step is not None else None
