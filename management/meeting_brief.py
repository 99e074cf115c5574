"""The meeting brief: one printable page before meeting the client's people.

For the account and the contacts attending: their place in the buying centre and the last
interactions with them; what is open with the client (complaints without an outcome, our promises,
proposals in play), what the client declined lately, where the account stands in the latest
complete analysis run, and the questions to ask, generated from the gaps of the dossier.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, Contact, PersonalDataAccess, User
from accounts.permissions import can_see_personal_data
from accounts.services import personal_data_access_log
from analysis.models import AccountSegment
from dossiers.commitment_selectors import open_commitments
from dossiers.models import Commitment, CompetitorPresence, Interaction, ProspectQualification, Task
from proposals.models import Proposal
from retention.models import Refusal
from retention.selectors import latest_run

from .handover import personal_values

REFUSAL_DAYS = 180
INTERACTIONS_PER_CONTACT = 3
UPCOMING_DAYS = 60  # meetings and tasks offered to pick the attendees from


@dataclass
class Attendee:
    contact: Contact
    interactions: list[Interaction] = field(default_factory=list)
    personal: list[tuple[str, Any]] = field(default_factory=list)


@dataclass
class MeetingBrief:
    account: Account
    attendees: list[Attendee]
    personal: bool  # the reader may see the contacts' personal fields (logged as shown)
    complaints: list[Interaction]
    commitments: list[Commitment]
    proposals: list[Proposal]
    refusals: list[Refusal]
    segment: AccountSegment | None
    presences: list[CompetitorPresence]
    questions: list[str]
    free_questions: list[str]


def attendees_of_interaction(*, user: User, account: Account, pk: int) -> list[int] | None:
    """The ids of the contacts present at one of the account's interactions (None: not one of its own)."""
    interaction = (
        Interaction.objects.visible_to(user)
        .filter(account=account, pk=pk)
        .prefetch_related("contacts")
        .first()
    )
    return None if interaction is None else [c.pk for c in interaction.contacts.all()]


def upcoming_meetings(
    *, user: User, account: Account, now: dt.datetime | None = None
) -> dict[str, list[Any]]:
    """Planned meetings (interactions dated ahead) and open tasks of the account, to pick attendees from."""
    now = now or timezone.now()
    interactions = (
        Interaction.objects.visible_to(user)
        .filter(
            account=account, occurred_at__gte=now, occurred_at__lte=now + dt.timedelta(days=UPCOMING_DAYS)
        )
        .prefetch_related("contacts")
        .order_by("occurred_at", "pk")[:10]
    )
    tasks = (
        Task.objects.visible_to(user)
        .filter(account=account, done=False, interaction__isnull=False)
        .select_related("interaction")
        .order_by("due_on", "pk")[:10]
    )
    return {"interactions": list(interactions), "tasks": list(tasks)}


def _attendees(account: Account, contact_ids: list[int], personal: bool) -> list[Attendee]:
    contacts = Contact.objects.filter(account=account, pk__in=contact_ids).select_related("reports_to")
    attendees = {c.pk: Attendee(c, personal=personal_values(c) if personal else []) for c in contacts}
    recent = (
        Interaction.objects.filter(account=account, contacts__in=list(attendees))
        .distinct()
        .select_related("created_by")
        .prefetch_related(Prefetch("contacts", Contact.objects.only("pk", "first_name", "last_name")))
        .order_by("-occurred_at", "-pk")[: INTERACTIONS_PER_CONTACT * max(len(attendees), 1) * 3]
    )
    for interaction in recent:
        for contact in interaction.contacts.all():
            attendee = attendees.get(contact.pk)
            if attendee and len(attendee.interactions) < INTERACTIONS_PER_CONTACT:
                attendee.interactions.append(interaction)
    return sorted(attendees.values(), key=lambda a: (-a.contact.influence, a.contact.last_name, a.contact.pk))


def meeting_brief(
    *,
    user: User,
    account: Account,
    contact_ids: list[int],
    free_questions: list[str] = (),  # type: ignore[assignment]
    today: dt.date | None = None,
) -> MeetingBrief:
    """The brief of an account `user` already sees, for its contacts `contact_ids` (the caller has
    checked they are the account's). Showing personal fields writes one access-log row."""
    today = today or timezone.localdate()
    personal = can_see_personal_data(user, account)
    attendees = _attendees(account, contact_ids, personal)
    if personal:
        shown = [a.contact for a in attendees if a.personal]
        personal_data_access_log(user=user, contacts=shown, channel=PersonalDataAccess.Channel.PAGE)
    run = latest_run()
    brief = MeetingBrief(
        account=account,
        attendees=attendees,
        personal=personal,
        complaints=list(
            Interaction.objects.filter(account=account, kind=Interaction.Kind.COMPLAINT, outcome="")
            .prefetch_related("contacts")
            .order_by("-occurred_at", "-pk")[:20]
        ),
        commitments=open_commitments(user=user, account=account),
        proposals=list(
            Proposal.objects.visible_to(user)
            .filter(account=account, status__in=Proposal.OPEN_STATUSES)
            .order_by("-created_at", "-pk")[:20]
        ),
        refusals=list(
            Refusal.objects.filter(account=account, on__gte=today - dt.timedelta(days=REFUSAL_DAYS))
            .select_related("product_line")
            .order_by("-on", "-pk")
        ),
        segment=(
            AccountSegment.objects.filter(run=run, account=account).select_related("run").first()
            if run
            else None
        ),
        presences=list(
            CompetitorPresence.objects.filter(account=account)
            .select_related("competitor")
            .order_by("-threat_level", "pk")
        ),
        questions=[],
        free_questions=[q.strip() for q in free_questions if q.strip()][:20],
    )
    brief.questions = questions_to_ask(brief, today=today)
    return brief


def questions_to_ask(brief: MeetingBrief, *, today: dt.date) -> list[str]:
    """Questions that fill the gaps of the dossier, most important first."""
    account = brief.account
    roles = set(Contact.objects.filter(account=account).values_list("dmu_role", flat=True))
    questions = []
    if Contact.DmuRole.DECISION_MAKER not in roles:
        questions.append(_("Who takes the final decision on purchases like ours?"))
    if Contact.DmuRole.FINANCIAL_APPROVER not in roles:
        questions.append(_("Who approves the budget, and when is it set?"))
    for presence in brief.presences[:2]:
        questions.append(
            _("What do you value in working with %(competitor)s, and what would you change?")
            % {"competitor": presence.competitor}
        )
    if account.status == Account.Status.AT_RISK or (
        brief.segment is not None and brief.segment.churn_status == AccountSegment.ChurnStatus.AT_RISK
    ):
        questions.append(_("You order less often than before: what has changed on your side?"))
    if account.status == Account.Status.LOST:
        questions.append(_("What would it take for you to order from us again?"))
    for proposal in brief.proposals:
        if proposal.status in Proposal.OUT_WITH_CLIENT:
            questions.append(
                _("Where do you stand on our proposal %(number)s (%(title)s)? What is missing to decide?")
                % {"number": proposal.number, "title": proposal.title}
            )
    if brief.complaints:
        questions.append(_("Is the complaint we have open settled to your satisfaction?"))
    if account.status == Account.Status.PROSPECT:
        qualification = ProspectQualification.objects.filter(account=account).first()
        missing = [
            c for c in ProspectQualification.CRITERIA if not (qualification and qualification.is_confirmed(c))
        ]
        texts = {
            "need": _("What need would our products meet, and how urgent is it?"),
            "solvency": _("What budget is planned, and how are suppliers paid?"),
            "authority": _("Who signs the order, and who else has a say?"),
        }
        questions += [texts[c] for c in missing]
    if any(c.is_overdue(today) for c in brief.commitments):
        questions.append(_("We owe you something past its date: when would suit you to receive it?"))
    return questions
