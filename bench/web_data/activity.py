"""What the KAMs did on the accounts: interactions and their tasks (bulk), proposals (through the
services, so that numbers, totals and the workflow's history are the real ones) and retention records.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Contact, User
from analysis.models import AccountSegment, AnalysisRun
from dossiers.demo import INTERACTIONS
from dossiers.models import Interaction, Task
from proposals.models import Proposal
from proposals.services import line_create, proposal_create, proposal_transition
from retention import services as retention
from retention.demo import REFUSAL_TEXTS
from retention.models import Reason, Refusal, WinBackCampaign
from sales.models import ProductLine

from .people import BATCH, Cast

HISTORY_DAYS = 400
S = Proposal.Status
# The statuses the proposals end in, and the moves that lead there from a draft.
PROPOSAL_PATHS = (
    (),
    (S.SENT,),
    (S.SENT, S.RECEIVED),
    (S.SENT, S.RECEIVED, S.NEGOTIATION),
    (S.SENT, S.RECEIVED, S.NEGOTIATION, S.WON),
    (S.SENT, S.RECEIVED, S.LOST),
)


def _primary_contacts(accounts: list[Account]) -> dict[int, list[int]]:
    contacts: dict[int, list[int]] = defaultdict(list)
    rows = Contact.objects.filter(account__in=accounts).order_by("-is_primary", "pk")
    for account_id, contact_id in rows.values_list("account_id", "pk"):
        contacts[account_id].append(contact_id)
    return contacts


def _moment(rng: random.Random, now: dt.datetime) -> dt.datetime:
    return (now - dt.timedelta(days=rng.randrange(HISTORY_DAYS), minutes=rng.randrange(600))).replace(
        second=0, microsecond=0
    )


def create_interactions(*, rng: random.Random, accounts: list[Account], per_account: int) -> tuple[int, int]:
    """`per_account` interactions on average over the last ~13 months, with the contacts present; a
    next step becomes the owner's task, done when it fell due more than ten days ago."""
    now, today = timezone.now(), timezone.localdate()
    contacts = _primary_contacts(accounts)
    interactions = []
    for account in accounts:
        for _ in range(rng.randint(max(per_account - 2, 0), per_account + 2)):
            kind, summary, outcome, next_step = rng.choice(INTERACTIONS)
            occurred = _moment(rng, now)
            due = occurred.date() + dt.timedelta(days=rng.randint(3, 21)) if next_step else None
            interactions.append(
                Interaction(
                    account=account,
                    kind=kind,
                    occurred_at=occurred,
                    summary=summary,
                    outcome=outcome,
                    next_step=next_step,
                    next_step_due=due,
                    created_by=account.owner,
                )
            )
    Interaction.objects.bulk_create(interactions, batch_size=BATCH)
    present = Interaction.contacts.through
    users = Interaction.users.through
    Interaction.contacts.through.objects.bulk_create(
        [
            present(interaction_id=i.pk, contact_id=contacts[i.account_id][0])
            for i in interactions
            if contacts.get(i.account_id)
        ],
        batch_size=BATCH,
    )
    users.objects.bulk_create(
        [users(interaction_id=i.pk, user_id=i.account.owner_id) for i in interactions], batch_size=BATCH
    )
    tasks = []
    for i in interactions:
        if i.next_step_due is None:
            continue
        done = i.next_step_due < today - dt.timedelta(days=10)
        done_at = timezone.make_aware(dt.datetime.combine(i.next_step_due, dt.time(16))) if done else None
        tasks.append(
            Task(
                owner_id=i.account.owner_id,
                title=i.next_step,
                due_on=i.next_step_due,
                done=done,
                done_at=done_at,
                account=i.account,
                interaction=i,
                created_by_id=i.account.owner_id,
            )
        )
    Task.objects.bulk_create(tasks, batch_size=BATCH)
    return len(interactions), len(tasks)


def _proposal(
    rng: random.Random, account: Account, contact_id: int, head: User, lines: list[ProductLine]
) -> Proposal:
    owner = account.owner or head  # every generated account has an owner
    proposal = proposal_create(
        account=account,
        by=owner,
        title=f"{rng.choice(('Framework supply', 'Spare parts', 'Service contract', 'Premium range'))} "
        f"{timezone.localdate().year}",
        payment_terms="30 days net",
        benefits="Shorter lead times and one point of contact.",
        annual_savings=Decimal(rng.randint(5, 80) * 1000),
        contacts=Contact.objects.filter(pk=contact_id),
    )
    for number in range(rng.randint(1, 3)):
        line_create(
            proposal=proposal,
            product_line=lines[number % len(lines)] if lines else None,
            description=f"Item {number + 1}",
            quantity=Decimal(rng.randint(5, 60)),
            unit_price=Decimal(rng.randint(20, 600)),  # under the approval limit
        )
    for to in rng.choice(PROPOSAL_PATHS):
        reason = {S.WON: Proposal.WonReason.VALUE, S.LOST: Reason.PRICE}.get(to, "")
        by = head if to == S.APPROVED else owner
        proposal = proposal_transition(proposal=proposal, to=to, by=by, reason=reason)
    return proposal


@transaction.atomic  # one commit, not one per service call
def create_proposals(*, rng: random.Random, accounts: list[Account], count: int, cast: Cast) -> int:
    """`count` proposals on accounts with contacts, moved through the workflow by their KAM."""
    contacts = _primary_contacts(accounts)
    lines = list(ProductLine.objects.order_by("code"))
    chosen = rng.sample([a for a in accounts if contacts.get(a.pk)], min(count, len(accounts)))
    for account in chosen:
        _proposal(rng, account, contacts[account.pk][0], cast.head, lines)
    return len(chosen)


def _segments(run: AnalysisRun, status: str) -> list[AccountSegment]:
    rows = AccountSegment.objects.filter(run=run, churn_status=status).select_related("account__owner")
    return list(rows.order_by("-value", "account_id"))


@transaction.atomic
def create_retention(*, rng: random.Random, accounts: list[Account], run: AnalysisRun, cast: Cast) -> str:
    """Refusals on one account in ten; losses recorded on some lost accounts; a win-back campaign."""
    today = timezone.localdate()
    lines = list(ProductLine.objects.order_by("code"))
    reasons = list(REFUSAL_TEXTS)
    refusals = []
    for account in rng.sample(accounts, len(accounts) // 10):
        reason = rng.choice(reasons)
        refusals.append(
            Refusal(
                account=account,
                on=today - dt.timedelta(days=rng.randint(5, 600)),
                kind=rng.choice(Refusal.Kind.values),
                reason=reason,
                text=REFUSAL_TEXTS[reason],
                product_line=rng.choice(lines) if lines else None,
                recorded_by=account.owner,
            )
        )
    Refusal.objects.bulk_create(refusals, batch_size=BATCH)
    lost = [s.account for s in _segments(run, AccountSegment.ChurnStatus.LOST)]
    losses = 0
    for account in lost[: max(len(accounts) // 100, 1)]:
        try:
            retention.loss_record_create(
                account=account,
                by=account.owner or cast.admin,
                lost_on=today,
                reason=rng.choice((Reason.PRICE, Reason.COMPETITOR)),
                product_line=rng.choice(lines) if lines else None,
            )
            losses += 1
        except ValidationError:  # bought after the run's as-of date: not lost after all
            continue
    campaign = retention.campaign_create(
        by=cast.head,
        name="Win back the lost accounts",
        goal="Half of their former volume back.",
        method=WinBackCampaign.Method.SPECIAL_OFFER,
        budget=Decimal(20000),
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=60),
        accounts=lost[:40],
    )
    for target in campaign.targets.all():
        retention.target_step_add(
            target=target,
            by=cast.head,
            on=today - dt.timedelta(days=20),
            action="Called the purchasing manager",
        )
    return f"{len(refusals):,} refusals, {losses} losses, a campaign on {campaign.targets.count()} accounts"
