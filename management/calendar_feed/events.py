"""What goes into a user's calendar feed: dated items they may see, inside a bounded window."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Interaction, Task, Tender, TenderMilestone
from proposals.models import FollowUpStep, Proposal

if TYPE_CHECKING:
    from accounts.models import User

# The feed stays small: what is long past or far ahead does not belong in a calendar app.
DAYS_BACK = 90
DAYS_AHEAD = 365
MEETING_LENGTH = dt.timedelta(hours=1)
OPEN_TENDER_STATUSES = (Tender.Status.PLANNED, Tender.Status.PREPARING)


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    summary: str
    start: dt.date | dt.datetime  # a date is an all-day event
    url: str
    description: str
    last_modified: dt.datetime
    end: dt.datetime | None = None


def _link(name: str, pk: int) -> str:
    return settings.KAM_BASE_URL + reverse(name, kwargs={"pk": pk})


def _titled(title: str, account_name: str | None) -> str:
    if not account_name:
        return title
    return _("%(title)s · %(account)s") % {"title": title, "account": account_name}


def _tasks(user: User, first: dt.date, last: dt.date) -> list[FeedEvent]:
    # Proposal follow-up steps have their own events (with the proposal's link); skip their tasks.
    tasks = (
        Task.objects.visible_to(user)
        .open()
        .filter(owner=user, due_on__range=(first, last), proposal_step__isnull=True)
        .select_related("account")
    )
    tasks_url = settings.KAM_BASE_URL + reverse("dossiers:tasks")
    return [
        FeedEvent(
            uid=f"task-{task.pk}@kam",
            summary=_titled(task.title, task.account.name if task.account else None),
            start=task.due_on,
            url=_link("accounts:detail", task.account_id) if task.account_id else tasks_url,
            description=_("Task due on this day."),
            last_modified=task.created_at,
        )
        for task in tasks
    ]


def _milestones(user: User, first: dt.date, last: dt.date) -> list[FeedEvent]:
    milestones = (
        TenderMilestone.objects.visible_to(user)
        .filter(done=False, due_on__range=(first, last), tender__status__in=OPEN_TENDER_STATUSES)
        .select_related("tender__account")
    )
    return [
        FeedEvent(
            uid=f"tender-milestone-{m.pk}@kam",
            summary=_titled(m.title, m.tender.account.name),
            start=m.due_on,
            url=_link("dossiers:tender-detail", m.tender_id),
            description=_("Preparation step of the tender “%(tender)s”.") % {"tender": m.tender.title},
            last_modified=m.tender.updated_at,
        )
        for m in milestones
    ]


def _tender_dates(user: User, first: dt.date, last: dt.date) -> list[FeedEvent]:
    tenders = (
        Tender.objects.visible_to(user)
        .filter(
            Q(submission_on__range=(first, last), status__in=OPEN_TENDER_STATUSES)
            | Q(decision_on__range=(first, last), status__in=(*OPEN_TENDER_STATUSES, Tender.Status.SUBMITTED))
        )
        .select_related("account")
    )
    events = []
    for tender in tenders:
        url = _link("dossiers:tender-detail", tender.pk)
        if tender.submission_on and first <= tender.submission_on <= last:
            title = _("Tender submission: %(tender)s") % {"tender": tender.title}
            events.append(
                FeedEvent(
                    uid=f"tender-submission-{tender.pk}@kam",
                    summary=_titled(title, tender.account.name),
                    start=tender.submission_on,
                    url=url,
                    description=_("Submission deadline of the tender."),
                    last_modified=tender.updated_at,
                )
            )
        if tender.decision_on and first <= tender.decision_on <= last:
            title = _("Tender decision: %(tender)s") % {"tender": tender.title}
            events.append(
                FeedEvent(
                    uid=f"tender-decision-{tender.pk}@kam",
                    summary=_titled(title, tender.account.name),
                    start=tender.decision_on,
                    url=url,
                    description=_("The client is due to announce the tender's decision."),
                    last_modified=tender.updated_at,
                )
            )
    return events


def _follow_ups(user: User, first: dt.date, last: dt.date) -> list[FeedEvent]:
    proposals = Proposal.objects.visible_to(user).filter(Q(author=user) | Q(team=user))
    steps = (
        FollowUpStep.objects.filter(
            proposal__in=proposals, state=FollowUpStep.State.OPEN, due_on__range=(first, last)
        )
        .select_related("proposal__account")
        .distinct()
    )
    return [
        FeedEvent(
            uid=f"proposal-follow-up-{step.pk}@kam",
            summary=_titled(step.title, step.proposal.account.name),
            start=step.due_on,
            url=_link("proposals:detail", step.proposal_id),
            description=_("Follow-up of the proposal %(number)s “%(title)s”.")
            % {"number": step.proposal.number, "title": step.proposal.title},
            last_modified=step.proposal.updated_at,
        )
        for step in steps
        if step.due_on is not None
    ]


def _meetings(user: User, now: dt.datetime, last: dt.date) -> list[FeedEvent]:
    # Meetings one attends, logged or owns the account of, not every meeting a head can see.
    meetings = (
        Interaction.objects.visible_to(user)
        .filter(kind=Interaction.Kind.MEETING, occurred_at__gte=now, occurred_at__date__lte=last)
        .filter(Q(users=user) | Q(created_by=user) | Q(account__owner=user))
        .select_related("account")
        .distinct()
    )
    return [
        FeedEvent(
            uid=f"meeting-{meeting.pk}@kam",
            summary=_("Meeting · %(account)s") % {"account": meeting.account.name},
            start=meeting.occurred_at,
            end=meeting.occurred_at + MEETING_LENGTH,
            url=_link("accounts:detail", meeting.account_id),
            description=_("Meeting with the client; the agenda is in kam."),
            last_modified=meeting.updated_at,
        )
        for meeting in meetings
    ]


def calendar_events(*, user: User, today: dt.date | None = None) -> list[FeedEvent]:
    """Everything dated for `user` from DAYS_BACK ago to DAYS_AHEAD ahead, in date order."""
    today = today or timezone.localdate()
    first, last = today - dt.timedelta(days=DAYS_BACK), today + dt.timedelta(days=DAYS_AHEAD)
    events = [
        *_tasks(user, first, last),
        *_milestones(user, first, last),
        *_tender_dates(user, first, last),
        *_follow_ups(user, first, last),
        *_meetings(user, timezone.now(), last),
    ]
    return sorted(events, key=lambda e: (str(e.start), e.uid))
