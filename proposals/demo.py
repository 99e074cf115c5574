"""Proposals demo data, written through the proposal services by the demo users, then dated back.

The reference library and 25 proposals (proposals/demo_story.py) go to the demo accounts sorted by
what the ledger says of them: won and open proposals to accounts that buy, lost and expired ones to
accounts slipping away or gone, first offers to prospects. Each is built as a draft with its lines,
arguments per audience and references, and moved through the workflow as it would be (the head
approves what needs approval; the nightly run expires); the dates of its history are then set back
so that it reads as it happened: decided in the past months, within its validity.
Safe to run twice: once there is any proposal or success story, nothing is added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Contact, User
from common.calendar import add_working_days
from dossiers.models import Task
from retention.models import Refusal
from sales.models import ProductLine
from sales.selectors import last_purchase_date, product_lines

from . import services
from .demo_story import (
    ARGUMENTS,
    BUYING,
    GONE,
    KEY,
    PROPOSALS,
    PROSPECT,
    SKU_PREFIX,
    SLIPPING,
    STORIES,
    Story,
)
from .models import FollowUpStep, Proposal, ProposalSequence, ProposalTransition, SuccessStory
from .rules import approval_reasons

S = Proposal.Status
KAMS = ("kam1", "kam2", "kam3")
DM, FA = Contact.DmuRole.DECISION_MAKER, Contact.DmuRole.FINANCIAL_APPROVER
VALIDITY = dt.timedelta(days=30)  # the policy's default: every demo proposal was valid this long
# The pool to use when a small demo has no account of a kind.
FALLBACK = {KEY: BUYING, SLIPPING: GONE, GONE: SLIPPING, PROSPECT: BUYING, BUYING: KEY}
# The moves from draft to each status (approval is added before sending when the rules want it).
PATHS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (),
    S.IN_APPROVAL: (S.IN_APPROVAL,),
    S.APPROVED: (S.IN_APPROVAL, S.APPROVED),
    S.SENT: (S.SENT,),
    S.RECEIVED: (S.SENT, S.RECEIVED),
    S.NEGOTIATION: (S.SENT, S.RECEIVED, S.NEGOTIATION),
    S.WON: (S.SENT, S.RECEIVED, S.NEGOTIATION, S.WON),
    S.LOST: (S.SENT, S.RECEIVED, S.LOST),
    S.EXPIRED: (S.SENT, S.EXPIRED),
    S.WITHDRAWN: (S.SENT, S.RECEIVED, S.WITHDRAWN),
}
ADDRESSED = (Contact.DmuRole.DECISION_MAKER, Contact.DmuRole.FINANCIAL_APPROVER,
             Contact.DmuRole.BUYER, Contact.DmuRole.TECHNICAL_EXPERT)  # fmt: skip
# The time of day of each event: the expiry is the nightly run's.
HOURS = {"created": (9, 15), S.IN_APPROVAL: (11, 0), S.APPROVED: (14, 30), S.SENT: (10, 0),
         S.RECEIVED: (15, 20), S.NEGOTIATION: (13, 0), S.WON: (16, 0), S.LOST: (16, 0),
         S.WITHDRAWN: (12, 0), S.EXPIRED: (2, 0)}  # fmt: skip


@transaction.atomic
def load_demo() -> str:
    if Proposal.objects.exists() or SuccessStory.objects.exists():
        return "Proposals: already filled, nothing added."
    today = timezone.localdate()
    head = User.objects.filter(username="head").first()
    pools = account_pools(today)
    if head is None or not any(pools.values()):
        return "Proposals: no demo accounts, nothing to fill."
    lines = {line.code: line for line in product_lines()}
    library = [library_story(entry, head, lines) for entry in STORIES]
    picker = Picker(pools)
    made = [build(story, picker.take(story), head, library, lines, today) for story in PROPOSALS]
    renumber()
    statuses = Counter(p.status for p in made)
    summary = ", ".join(f"{statuses[s]} {S(s).label.lower()}" for s in S.values if statuses[s])
    return f"Proposals: {len(made)} proposals ({summary}); {len(library)} success stories."


# --- where each proposal goes ----------------------------------------------------------------------


def account_pools(today: dt.date) -> dict[str, list[Account]]:
    """The demo KAMs' accounts with a buying centre, by what their last purchase says."""
    pools: dict[str, list[Account]] = defaultdict(list)
    accounts = Account.objects.filter(owner__username__in=KAMS, contacts__isnull=False).distinct()
    for account in accounts.select_related("owner").order_by("external_id"):
        last = last_purchase_date(account=account)
        days = None if last is None else (today - last).days
        if days is None:
            pools[PROSPECT].append(account)
        elif account.key_client_type and days <= 60:
            pools[KEY].append(account)
        elif days <= 45:
            pools[BUYING].append(account)
        else:
            pools[SLIPPING if days <= 200 else GONE].append(account)
    return pools


class Picker:
    """Hands out each pool's accounts in turn, so the proposals spread over accounts and KAMs."""

    def __init__(self, pools: dict[str, list[Account]]) -> None:
        self.pools = pools
        self.used: Counter[int] = Counter()
        self.per_kam: Counter[int | None] = Counter()
        everyone = [a for accounts in pools.values() for a in accounts]
        self.roles = {a.pk: set(a.contacts.values_list("dmu_role", flat=True)) for a in everyone}

    def take(self, story: Story) -> Account:
        pool, tried = story.pool, set()
        while not self.pools.get(pool) and pool not in tried:
            tried.add(pool)
            pool = FALLBACK[pool]
        candidates = self.pools.get(pool) or [a for accounts in self.pools.values() for a in accounts]
        if story.unargued:  # the checklist can warn only about people the buying centre has
            candidates = [a for a in candidates if self.roles[a.pk] >= set(story.unargued)] or candidates
        account = min(candidates, key=self.score)
        self.used[account.pk] += 1
        self.per_kam[account.owner_id] += 1
        return account

    def score(self, account: Account) -> tuple[int, int, bool]:
        """The least used first, those whose decision maker is known counting as used twice less;
        then the KAM with the fewest so far; then a known financial approver."""
        roles = self.roles[account.pk]
        used = self.used[account.pk] + (0 if DM in roles else 2)
        return used, self.per_kam[account.owner_id], FA not in roles


# --- the library and the proposals ------------------------------------------------------------------


def library_story(entry: tuple, by: User, lines: dict[str, ProductLine]) -> SuccessStory:
    title, client, industry, code, project, result, name, position, phone, year = entry
    return services.success_story_create(
        by=by, title=title, client_name=client, industry=industry, product_line=lines.get(code),
        project=project, result=result, recommender_name=name, recommender_position=position,
        recommender_phone=phone, year=year,
    )  # fmt: skip


def build(story: Story, account: Account, head: User, library: list[SuccessStory],
          lines: dict[str, ProductLine], today: dt.date) -> Proposal:  # fmt: skip
    author = account.owner or head
    contacts = list(account.contacts.all())
    codes = {line.product_line for line in story.lines}
    proposal = services.proposal_create(
        account=account,
        by=author,
        title=story.title,
        payment_terms="60 days net from the invoice date.",
        delivery_terms="Delivered to the client's main site (DAP), within 48 hours of each call-off.",
        benefits="Less downtime, one supplier to manage and prices fixed for a year.",
        uniqueness="Regional stock within 48 hours and our own service engineers on call.",
        annual_savings=Decimal(story.savings) if story.savings else None,
        payback_months=Decimal(story.payback) if story.payback else None,
        contacts=[c for c in contacts if c.dmu_role in ADDRESSED],
        team=[head] if story.pool == KEY else [],
        references=[s for s in library if s.product_line and s.product_line.code in codes][:2],
    )
    for position, line in enumerate(story.lines, start=1):
        services.line_create(
            proposal=proposal,
            product_line=lines.get(line.product_line),
            sku=f"{SKU_PREFIX[line.product_line]}-{(len(line.description) + position) % 40 + 1:04d}",
            description=line.description,
            quantity=Decimal(line.quantity),
            unit_price=Decimal(line.unit_price),
            discount_percent=Decimal(line.discount),
        )
    argue(proposal, story, {c.dmu_role for c in contacts})
    proposal = advance(proposal, story, author, head, today)
    if proposal.status == S.NEGOTIATION:  # the client answered: what is left is to agree a meeting
        for step in proposal.follow_up_steps.filter(key__in=("next_steps", "urgency")).order_by("position"):
            services.follow_up_close(step=FollowUpStep.objects.get(pk=step.pk), by=author)
    backdate(proposal, story, today)
    redate_effects(proposal)
    return proposal


def argue(proposal: Proposal, story: Story, roles: set[str]) -> None:
    """One argument per audience the buying centre has (addressed to its people in that role)."""
    figures = {"title_lower": story.title.lower(), "payback": story.payback or "12",
               "savings": f"{story.savings or 10000:,}"}  # fmt: skip
    for audience, text in ARGUMENTS.items():
        if audience in roles and audience not in story.unargued:
            services.argument_create(proposal=proposal, audience=audience, text=text.format(**figures))


def advance(proposal: Proposal, story: Story, author: User, head: User, today: dt.date) -> Proposal:
    """Through the workflow to the story's status, each move by whoever makes it."""
    proposal = Proposal.objects.get(pk=proposal.pk)  # with the totals its lines gave it
    for to in PATHS[story.status]:
        if to == S.SENT and approval_reasons(proposal):
            for step in (S.IN_APPROVAL, S.APPROVED):
                by = head if step == S.APPROVED else author
                proposal = services.proposal_transition(proposal=proposal, to=step, by=by)
        if to == S.EXPIRED:  # the nightly run expires what is past its validity
            Proposal.objects.filter(pk=proposal.pk).update(valid_until=today - dt.timedelta(days=1))
        last = to == story.status
        proposal = services.proposal_transition(
            proposal=proposal,
            to=to,
            by=None if to == S.EXPIRED else head if to == S.APPROVED else author,
            comment=story.notes if last else "",
            reason=story.reason if last else "",
        )
    return proposal


# --- dating the history back --------------------------------------------------------------------------


def timeline(story: Story, today: dt.date) -> dict[str, dt.date]:
    """The day of each event of the story, counted back from today."""
    days = dt.timedelta
    if story.status in (S.DRAFT, S.IN_APPROVAL, S.APPROVED):
        created = today - days(story.ago)
        return {"created": created, S.IN_APPROVAL: created + days(1), S.APPROVED: created + days(2)}
    closed = story.status in Proposal.CLOSED_STATUSES
    sent = today - days(story.ago + (story.days if closed else 0))
    events = {
        "created": sent - days(6),
        S.IN_APPROVAL: sent - days(4),
        S.APPROVED: sent - days(2),
        S.SENT: sent,
        S.RECEIVED: sent + days(1),
        S.NEGOTIATION: sent + days(story.days // 2 if closed else max(2, story.ago // 2)),
    }
    if closed:
        events[story.status] = today - days(story.ago)
    return events


def moment(day: dt.date, event: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(*HOURS[event])))


def backdate(proposal: Proposal, story: Story, today: dt.date) -> None:
    events = timeline(story, today)
    at = {event: moment(day, event) for event, day in events.items()}
    start = events[S.SENT] if S.SENT in events else events["created"]
    reached = [t.to_status for t in proposal.transitions.all()]
    for status in reached:
        ProposalTransition.objects.filter(proposal=proposal, to_status=status).update(at=at[status])
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=at["created"],
        updated_at=max([at["created"], *(at[s] for s in reached)]),
        valid_until=start + VALIDITY,
        approved_at=at[S.APPROVED] if proposal.approved_at else None,
        sent_at=at[S.SENT] if proposal.sent_at else None,
        received_at=at[S.RECEIVED] if proposal.received_at else None,
        decided_at=at[story.status] if proposal.decided_at else None,
    )


def redate_effects(proposal: Proposal) -> None:
    """What the moves set off, on the days the moves were dated back to: the refusal of a lost
    proposal on its decision day, the follow-up steps closed on receipt and the open one (and its
    task) due its working days after the sending or the receipt."""
    proposal = Proposal.objects.get(pk=proposal.pk)
    if proposal.status == S.LOST and proposal.decided_at:
        refusals = Refusal.objects.filter(account=proposal.account, kind=Refusal.Kind.PROPOSAL)
        refusals.filter(text__startswith=f"Proposal {proposal.number}").update(
            on=timezone.localdate(proposal.decided_at)
        )
    negotiating = proposal.transitions.filter(to_status=S.NEGOTIATION).first()
    anchor = negotiating.at if negotiating else proposal.received_at or proposal.sent_at
    if anchor is None:
        return
    steps = proposal.follow_up_steps.all()
    closed = steps.exclude(state__in=(FollowUpStep.State.WAITING, FollowUpStep.State.OPEN))
    closed.update(closed_at=anchor, due_on=timezone.localdate(anchor))
    for step in steps.filter(state=FollowUpStep.State.OPEN).select_related("task"):
        step.due_on = add_working_days(timezone.localdate(anchor), step.working_days)
        step.save(update_fields=["due_on"])
        if step.task is not None:
            Task.objects.filter(pk=step.task.pk).update(due_on=step.due_on)


def renumber() -> None:
    """Numbers in the order the proposals were written, in the year each was written; the texts
    that name a proposal (its refusals, its follow-up tasks) follow its new number."""
    proposals = list(Proposal.objects.order_by("created_at", "pk"))
    for proposal in proposals:  # free every number first: they are unique
        Proposal.objects.filter(pk=proposal.pk).update(number=f"demo-{proposal.pk}")
    per_year: Counter[int] = Counter()
    renamed = {}
    for proposal in proposals:
        year = timezone.localtime(proposal.created_at).year
        per_year[year] += 1
        renamed[proposal.number] = f"P-{year}-{per_year[year]:04d}"
        Proposal.objects.filter(pk=proposal.pk).update(number=renamed[proposal.number])
    for year, last in per_year.items():
        ProposalSequence.objects.update_or_create(year=year, defaults={"last": last})
    number = re.compile(r"P-\d{4}-\d{4}")
    for model, field in ((Refusal, "text"), (Task, "title")):
        for row in model.objects.filter(**{f"{field}__regex": number.pattern}):
            text = number.sub(lambda found: renamed.get(found.group(0), found.group(0)), getattr(row, field))
            model.objects.filter(pk=row.pk).update(**{field: text})
