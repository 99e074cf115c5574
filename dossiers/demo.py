"""The dossiers of the demo accounts, written through the dossiers services.

Deterministic (a fixed seed; dates counted from today) and safe to run twice: once any demo
account has a profile, the dossiers are considered seeded and nothing is added.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import Account, User
from sales.models import SalesLine, SalesPlan

from . import services
from .demo_commitments import commitment_story
from .demo_service import service_story
from .models import AccountProfile, Competitor, CompetitorPresence, Interaction, Tender

SEED = 20261124
KAMS = ("kam1", "kam2", "kam3")
PER_KAM = 4  # accounts per KAM whose dossier is filled
COMPETITORS = (
    ("Ferrox Industrial", "https://www.ferrox.example", "Aggressive on price; short lead times."),
    ("Unitas Supply", "https://www.unitas.example", "Offers 120-day payment terms."),
    ("Kestrel Components", "https://www.kestrel.example", "Large regional stock."),
    ("Brightline Partners", "", "Family-owned; strong personal relationships."),
)
REVIEW = "Quarterly business review: volumes and service levels"
INTERACTIONS = (
    # kind, summary, outcome, next step (or "")
    (
        Interaction.Kind.MEETING,
        REVIEW,
        "Volumes up 8 %",  # replaced by what the ledger says of the account (_review_outcome)
        "Send revised price list",
    ),
    (
        Interaction.Kind.CALL,
        "Called procurement about the delayed order",
        "Delivery confirmed for Friday",
        "",
    ),
    (
        Interaction.Kind.VISIT,
        "Plant visit with the production team",
        "New line needs a technical proposal",
        "Prepare technical proposal for the new line",
    ),
    (Interaction.Kind.EMAIL, "Sent certificates and safety data sheets", "", ""),
    (
        Interaction.Kind.COMPLAINT,
        "Complaint about damaged packaging in the last delivery",
        "Credit note agreed",
        "Check packaging with logistics",
    ),
    (
        Interaction.Kind.FEEDBACK,
        "Feedback on the new product samples",
        "Positive; wants a trial batch",
        "Schedule the trial batch",
    ),
    (
        Interaction.Kind.EXHIBITION,
        "Met the buying team at the trade fair",
        "Interest in the premium range",
        "",
    ),
    (
        Interaction.Kind.COMPETITOR_VISIT,
        "A competitor's rep visited the buyer with a price offer",
        "Buyer asked us to match",
        "Answer the competitor's offer",
    ),
)
# title, status, then announced / submission / decision in days from today, outcome reason and notes
TENDERS = (
    ("Framework supply", Tender.Status.PLANNED, -30, 250, 300, "", ""),
    ("Maintenance parts", Tender.Status.PREPARING, -120, 45, 90, "", ""),
    (
        "Plant expansion package",
        Tender.Status.WON,
        -300,
        -120,
        -90,
        "relationship",
        "Trusted on delivery.",
    ),
    ("Spare parts 3-year deal", Tender.Status.LOST, -280, -100, -70, "price", "Undercut by 12%."),
)


class _ProfileSections(TypedDict):
    description: str
    history: str
    org_structure: str
    environment: str
    certificates: str
    projects: str


PROFILE: _ProfileSections = {
    "description": "Long-standing customer buying across three product families.",
    "history": "First order in 2014; framework agreement since 2019.",
    "org_structure": "Central procurement, plant-level technical approval.",
    "environment": "Consolidating market; two local competitors press on price.",
    "certificates": "ISO 9001, ISO 14001",
    "projects": "New production line planned for next year.",
}
STRATEGIC = {
    "money_volume_and_payment": True,
    "volume": True,
    "profitability": True,
    "growth_potential": True,
    "loyalty": True,
    "priority_dispatch": True,
    "controlled_contact_plan": True,
    "joint_plans_and_promotions": True,
}


def _demo_accounts() -> dict[str, list[Account]]:
    """Each demo KAM's first customers (by external id) with contacts: a dossier tells of a client
    that buys (its history, business reviews, a won tender), so prospects have none."""
    chosen: dict[str, list[Account]] = {}
    for username in KAMS:
        accounts = (
            Account.objects.filter(owner__username=username, contacts__isnull=False)
            .exclude(status=Account.Status.PROSPECT)
            .distinct()
        )
        chosen[username] = list(accounts.order_by("external_id")[:PER_KAM])
    return chosen


def _at(today: dt.date, days_ago: int) -> dt.datetime:
    moment = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(10, 30))
    return timezone.make_aware(moment)


def _profile(account: Account, by: User, index: int) -> None:
    """A first version and a later edit, so that the history shows old → new."""
    services.profile_update(account=account, by=by, **PROFILE)
    annual = account.annual_revenue or Decimal(1_000_000)
    services.profile_update(
        account=account,
        by=by,
        # The client's own turnover and headcount are the Account's; the edit passes them on.
        annual_revenue=annual,
        sales_forecast=(annual * Decimal("1.1")).quantize(Decimal("1")),
        achievements=f"Supplier of the year {2020 + index % 5}",
        headcount=account.headcount,
        projects="New production line approved; ramp-up in the second half.",
    )


def _months_before(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` before day's month."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def _revenue(account: Account, first: dt.date, before: dt.date) -> Decimal:
    lines = SalesLine.objects.filter(account=account, date__gte=first, date__lt=before)
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _review_outcome(account: Account, day: dt.date) -> str:
    """What a business review on `day` said of the volumes: the 12 months before its month against
    the 12 before those, from the ledger (so the narrative agrees with the figures)."""
    recent = _revenue(account, _months_before(day, 12), _months_before(day, 0))
    before = _revenue(account, _months_before(day, 24), _months_before(day, 12))
    if before <= 0:
        return (
            "First full year reviewed; service levels on target" if recent > 0 else "Service levels on target"
        )
    change = round((recent / before - 1) * 100)
    if change > 0:
        return f"Volumes up {change} %"
    if change < 0:
        return f"Volumes down {-change} %"
    return "Volumes flat"


def _interactions(rng: random.Random, account: Account, by: User, today: dt.date) -> int:
    contacts = list(account.contacts.order_by("pk"))
    picks = rng.sample(INTERACTIONS, 4)
    for number, (kind, summary, outcome, next_step) in enumerate(picks):
        days_ago = 150 - number * 40 + rng.randint(0, 10)
        if summary == REVIEW:
            outcome = _review_outcome(account, today - dt.timedelta(days=days_ago))
        # Due dates on both sides of today: the home page shows overdue and upcoming tasks.
        due = today + dt.timedelta(days=rng.choice((-6, -2, 3, 9, 15))) if next_step else None
        services.interaction_create(
            account=account,
            by=by,
            kind=kind,
            occurred_at=_at(today, days_ago),
            summary=summary,
            outcome=outcome,
            next_step=next_step,
            next_step_due=due,
            contacts=rng.sample(contacts, min(len(contacts), rng.randint(1, 2))),
            users=[by],
        )
    return len(picks)


def _competitors() -> list[Competitor]:
    return [
        Competitor.objects.filter(name=name).first()
        or services.competitor_create(name=name, website=website, notes=notes)
        for name, website, notes in COMPETITORS
    ]


def _presence(rng: random.Random, account: Account, competitor: Competitor, today: dt.date) -> None:
    services.presence_create(
        account=account,
        competitor=competitor,
        product_lines=rng.choice(("Fasteners", "Bearings", "Hydraulics", "Packaging")),
        estimated_share=rng.choice((10, 20, 30, 40)),
        pressure=rng.choice(CompetitorPresence.Pressure.values),
        threat_level=rng.randint(2, 5),
        last_seen=today - dt.timedelta(days=rng.randint(5, 90)),
    )


def _tenders(account: Account, competitors: list[Competitor], today: dt.date, number: int) -> int:
    """Planned and preparing (with their 9-month plan), one won and one lost with reasons. The
    `number`th account's dates lie `9 * number` days further from today, and its values are its own:
    each client's tenders keep their own calendar, not one shared day for every client."""
    days = dt.timedelta
    for title, status, announced, submission, decision, reason, notes in TENDERS:
        away = days(9 * number) if decision > 0 else -days(9 * number)
        tender = services.tender_create(
            account=account,
            title=f"{title} · {account.name}",
            status=status,
            value=Decimal(50_000 + 10_000 * len(title) + 15_000 * number),
            announced_on=today + days(announced),
            submission_on=today + days(submission) + away,
            decision_on=today + days(decision) + away,
            outcome_reason=reason,
            outcome_notes=notes,
            competitors=competitors[:2] if status == Tender.Status.LOST else competitors[:1],
        )
        # The steps already behind us were done; the plan ahead stays open.
        for milestone in tender.milestones.filter(due_on__lt=today):
            services.milestone_complete(milestone=milestone)
    return len(TENDERS)


def _plan(account: Account, by: User, today: dt.date) -> None:
    plan = services.plan_create(
        account=account,
        year=today.year,
        share_of_wallet_target=Decimal(35),
        joint_activities="Joint spring promotion; co-branded catalogue.",
    )
    # The plan's revenue target is the account's yearly sales plan (kept if the sales demo set one).
    SalesPlan.objects.get_or_create(
        account=account, kam=None, department=None, product_line=None, period_kind="year",
        period_start=dt.date(today.year, 1, 1), defaults={"amount": Decimal(250_000)},
    )  # fmt: skip
    for title, months, progress in (
        ("Quarterly reviews with the CFO", 2, 50),
        ("Trial of the premium range", 4, 10),
    ):
        services.plan_action_create(
            plan=plan,
            title=title,
            owner=by,
            due_on=today + dt.timedelta(days=30 * months),
            progress=progress,
        )


def _qualify_prospects() -> str:
    candidates = Account.objects.filter(status=Account.Status.PROSPECT, owner__username__in=KAMS)
    prospects = list(candidates.select_related("owner").order_by("external_id")[:2])
    for number, prospect in enumerate(prospects):
        owner = prospect.owner
        if owner is None:  # the query only picks owned prospects
            raise ValueError(f"demo prospect {prospect.external_id} has no owner")
        # The first one is fully qualified; the second one still lacks authority.
        criteria = ("need", "solvency", "authority") if number == 0 else ("need", "solvency")
        for criterion in criteria:
            services.qualification_confirm(account=prospect, criterion=criterion, by=owner)
    return f"{len(prospects)} prospects qualified (3P)"


@transaction.atomic
def load_demo_dossiers() -> str:
    """Fill the dossiers of the demo KAMs' first accounts; a second run adds nothing."""
    chosen = _demo_accounts()
    everything = [a for accounts in chosen.values() for a in accounts]
    if not everything:
        return "Dossiers: no demo accounts, nothing to fill."
    if AccountProfile.objects.filter(account__in=everything).exists():
        return "Dossiers: already filled, nothing added."
    rng = random.Random(SEED)
    today = timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=KAMS)}
    competitors = _competitors()
    interactions = tenders = promises = 0
    for number, (username, accounts) in enumerate(chosen.items()):
        kam = users[username]
        for index, account in enumerate(accounts):
            if index < 2:
                services.assessment_update(account=account, by=kam, **STRATEGIC)
            _profile(account, kam, index)
            interactions += _interactions(rng, account, kam, today)
            if index < 2:
                interactions += service_story(account, kam, today, index)
            _presence(rng, account, competitors[index % len(competitors)], today)
            if index < 2:
                promises += commitment_story(account, kam, today, index)
            if index == 0:
                tenders += _tenders(account, competitors, today, number)
                _plan(account, kam, today)
    qualified = _qualify_prospects()
    return (
        f"Dossiers: {len(everything)} accounts filled, {interactions} interactions, "
        f"{tenders} tenders, {len(competitors)} competitors, {promises} commitments; {qualified}."
    )
