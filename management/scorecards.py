"""KAM scorecards: one row per KAM of what a department head checks (DOMAIN.md, "the department head
monitors plan execution with numeric indicators and checks the quality of KAM work").

Every figure counts only accounts the viewer may see, in a fixed number of queries whatever the
number of KAMs or accounts: one grouped query per kind of figure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Account, Contact, User, of_visible_accounts
from dossiers.models import AccountProfile, Commitment, ComplaintCase, Interaction, Task, overdue_q
from dossiers.selectors import strategic_account_ids
from proposals.models import FollowUpStep, Proposal
from retention.models import CampaignTarget, LossRecord
from sales.periods import Period, containing
from sales.plan_selectors import plan_rows

from . import neglect
from .selectors import policy_current

ACTIVITY_DAYS = 90  # interactions per key account per month: over the last three months
WIN_RATE_DAYS = 365  # proposals decided in the last twelve months
Status = Account.Status


def key_q() -> Q:
    """Accounts run as key accounts: a key-client type, or marked strategic (ARCHITECTURE.md)."""
    return ~Q(key_client_type="") | Q(pk__in=strategic_account_ids())


class Moments(NamedTuple):
    today: dt.date
    now: dt.datetime
    since: dt.datetime  # contact before this is too long ago


@dataclass
class KamCard:
    kam: User
    load_target: int
    accounts: int = 0
    key_accounts: int = 0
    live: int = 0
    at_risk: int = 0
    at_risk_without_action: int = 0
    lost: int = 0
    lost_without_action: int = 0
    key_interactions: int = 0  # on key accounts, last ACTIVITY_DAYS
    neglected: int = 0
    no_decision_maker: int = 0
    no_financial_approver: int = 0
    single_contact: int = 0
    reviews_overdue: int = 0
    overdue_tasks: int = 0
    overdue_follow_ups: int = 0
    complaints_past_sla: int = 0  # complaint cases the KAM owns, unresolved past their due date
    overdue_commitments: int = 0  # promises to clients still open after their due date
    proposals_won: int = 0
    proposals_lost: int = 0
    plan: Any = None  # the KAM's plan row for the period, when plans exist
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def over_load(self) -> bool:
        return self.key_accounts > self.load_target

    @property
    def interactions_per_key_account_month(self) -> Decimal | None:
        if not self.key_accounts:
            return None
        months = Decimal(ACTIVITY_DAYS) / 30
        per = Decimal(self.key_interactions) / self.key_accounts / months
        return per.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def win_rate(self) -> int | None:
        decided = self.proposals_won + self.proposals_lost
        return round(100 * self.proposals_won / decided) if decided else None

    @property
    def coverage_gaps(self) -> int:
        return self.no_decision_maker + self.no_financial_approver + self.single_contact

    @property
    def needs_attention(self) -> bool:
        """Over the load, or any account forgotten or at risk/lost with nothing done about it."""
        return bool(
            self.over_load or self.neglected or self.at_risk_without_action or self.lost_without_action
        )


def visible_kams(*, user: User) -> QuerySet[User]:
    """The KAMs whose card the user may see: a KAM their own, a head their departments' KAMs,
    analysts and admins every KAM."""
    kams = User.objects.filter(role=User.Role.KAM, is_active=True)
    if user.sees_every_account:
        return kams
    if user.is_head:
        return kams.filter(departments__in=user.departments.all()).distinct()
    return kams.filter(pk=user.pk)


def _accounts_of(user: User, kam_ids: list[int]) -> QuerySet[Account]:
    return Account.objects.visible_to(user).filter(owner_id__in=kam_ids).order_by()


def _grouped(rows: Iterable[Any], key: str = "owner_id") -> dict[int, dict[str, Any]]:
    return {row.pop(key): row for row in rows}


def _action_q(since: dt.datetime) -> dict[str, Any]:
    """Something done about an account in trouble: a recent interaction, an open task, or a place
    in a win-back campaign; for a lost one also its loss recorded with a reason."""
    recent = Interaction.objects.filter(account=OuterRef("pk"), occurred_at__gte=since)
    open_task = Task.objects.filter(account=OuterRef("pk"), done=False)
    campaign = CampaignTarget.objects.filter(account=OuterRef("pk"))
    loss = LossRecord.objects.filter(account=OuterRef("pk"), recovered_on__isnull=True)
    acted = Exists(recent) | Exists(open_task) | Exists(campaign)
    return {"at_risk": acted, "lost": acted | Exists(loss)}


def _account_figures(accounts: QuerySet[Account], since: dt.datetime) -> dict[int, dict[str, Any]]:
    acted = _action_q(since)
    at_risk, lost = Q(status=Status.AT_RISK), Q(status=Status.LOST)
    return _grouped(
        accounts.values("owner_id").annotate(
            accounts=Count("pk"),
            key_accounts=Count("pk", filter=key_q()),
            live=Count("pk", filter=neglect.live_q()),
            at_risk=Count("pk", filter=at_risk),
            at_risk_without_action=Count("pk", filter=at_risk & ~acted["at_risk"]),
            lost=Count("pk", filter=lost),
            lost_without_action=Count("pk", filter=lost & ~acted["lost"]),
        )
    )


def without_role(role: str) -> Any:
    """Accounts with no contact in that buying-centre role (a condition on the account rows)."""
    return ~Exists(Contact.objects.filter(account=OuterRef("pk"), dmu_role=role))


def contact_count() -> Coalesce:
    """The number of the account's contacts (a correlated count, 0 for none)."""
    count = (
        Contact.objects.filter(account=OuterRef("pk")).order_by().values("account").annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(count.values("n")), 0)


def _coverage_figures(accounts: QuerySet[Account]) -> dict[int, dict[str, Any]]:
    """The buying-centre gaps of the live accounts: no decision maker, no financial approver, at
    most one contact."""
    role = Contact.DmuRole
    return _grouped(
        accounts.filter(neglect.live_q())
        .alias(n_contacts=contact_count())
        .values("owner_id")
        .annotate(
            no_decision_maker=Count("pk", filter=without_role(role.DECISION_MAKER)),
            no_financial_approver=Count("pk", filter=without_role(role.FINANCIAL_APPROVER)),
            single_contact=Count("pk", filter=Q(n_contacts__lte=1)),
        )
    )


def overdue_tasks(user: User, kam_ids: list[int], today: dt.date) -> QuerySet[Task]:
    """The KAMs' open tasks past due that the user sees (a proposal's follow-up step counts apart)."""
    tasks = Task.objects.visible_to(user).overdue(today)
    return tasks.filter(owner_id__in=kam_ids, proposal_step__isnull=True)


def overdue_commitments(user: User, kam_ids: list[int], today: dt.date) -> QuerySet[Commitment]:
    return Commitment.objects.visible_to(user).filter(overdue_q(today), owner_id__in=kam_ids)


def overdue_follow_ups(user: User, kam_ids: list[int], today: dt.date) -> QuerySet[FollowUpStep]:
    """Open follow-up steps past due of the proposals the KAMs wrote, on accounts the user sees."""
    return FollowUpStep.objects.overdue(today).filter(
        of_visible_accounts(user, "proposal__account"), proposal__author_id__in=kam_ids
    )


def decided_proposals(user: User, kam_ids: list[int], now: dt.datetime) -> QuerySet[Proposal]:
    """The KAMs' proposals won or lost in the last WIN_RATE_DAYS, on accounts the user sees."""
    return Proposal.objects.filter(
        of_visible_accounts(user, "account"),
        author_id__in=kam_ids,
        decided_at__gte=now - dt.timedelta(days=WIN_RATE_DAYS),
        status__in=[Proposal.Status.WON, Proposal.Status.LOST],
    )


def _counts_by(rows: QuerySet[Any], key: str, name: str) -> dict[int, dict[str, Any]]:
    return {row[key]: {name: row["n"]} for row in rows.values(key).annotate(n=Count("pk")).order_by()}


def _activity(user: User, kam_ids: list[int], accounts: QuerySet[Account], moments: Moments) -> list:
    """The per-KAM counts that come from the timeline, tasks, commitments, profiles and proposals:
    tasks, commitments and proposals on any account the viewer sees, the rest on the KAM's own
    accounts."""
    today, now, since = moments
    key = accounts.filter(key_q()).values("pk")
    recent = Interaction.objects.filter(
        account_id__in=key, occurred_at__gte=now - dt.timedelta(days=ACTIVITY_DAYS)
    ).values(owner_id=F("account__owner_id"))
    reviews = AccountProfile.objects.filter(
        account_id__in=key.filter(pk__in=strategic_account_ids()), next_review_due__lt=today
    ).values("account__owner_id")
    decided = decided_proposals(user, kam_ids, now)
    return [
        {r["owner_id"]: {"key_interactions": r["n"]} for r in recent.annotate(n=Count("pk")).order_by()},
        _counts_by(neglect.neglected(accounts, since=since).order_by(), "owner_id", "neglected"),
        {r["account__owner_id"]: {"reviews_overdue": r["n"]} for r in reviews.annotate(n=Count("pk"))},
        _counts_by(overdue_tasks(user, kam_ids, today), "owner_id", "overdue_tasks"),
        _counts_by(overdue_commitments(user, kam_ids, today), "owner_id", "overdue_commitments"),
        _counts_by(overdue_follow_ups(user, kam_ids, today), "proposal__author_id", "overdue_follow_ups"),
        _counts_by(
            ComplaintCase.objects.past_sla().filter(
                of_visible_accounts(user, "account"), owner_id__in=kam_ids
            ),
            "owner_id",
            "complaints_past_sla",
        ),
        {
            r["author_id"]: {"proposals_won": r["won"], "proposals_lost": r["lost"]}
            for r in decided.values("author_id")
            .annotate(
                won=Count("pk", filter=Q(status=Proposal.Status.WON)),
                lost=Count("pk", filter=Q(status=Proposal.Status.LOST)),
            )
            .order_by()
        },
    ]


def kam_cards(
    *, user: User, kams: Iterable[User], today: dt.date | None = None, period: Period | None = None
) -> list[KamCard]:
    """The scorecard of each KAM (already visible to the user), over the accounts the user sees; the
    plan figures are those of `period` (default: this quarter)."""
    kams = list(kams)
    if not kams:
        return []
    now = timezone.now()
    today = today or timezone.localdate()
    period = period or containing(today, "quarter")
    policy = policy_current()
    since = neglect.cutoff(neglect_days=policy.neglect_days, now=now)
    kam_ids = [k.pk for k in kams]
    accounts = _accounts_of(user, kam_ids)
    merged: dict[int, dict[str, Any]] = defaultdict(dict)
    for part in [
        _account_figures(accounts, since),
        _coverage_figures(accounts),
        *_activity(user, kam_ids, accounts, Moments(today, now, since)),
    ]:
        for kam_id, figures in part.items():
            merged[kam_id].update(figures)
    plans = {
        row.target_id: row
        for row in plan_rows(user=user, level="kam", period=period, today=today, kam_ids=kam_ids)
    }
    return [
        KamCard(kam=kam, load_target=policy.kam_load_target, plan=plans.get(kam.pk), **merged.get(kam.pk, {}))
        for kam in kams
    ]


# sort key -> (figure of a card, highest first?); a card without the figure goes last
_SORTS: dict[str, tuple[Any, bool]] = {
    "name": (lambda c: (c.kam.last_name, c.kam.first_name, c.kam.username), False),
    "key_accounts": (lambda c: c.key_accounts, True),
    "attainment": (lambda c: getattr(c.plan, "attainment_pct", None), False),
    "neglected": (lambda c: c.neglected, True),
    "overdue": (lambda c: c.overdue_tasks + c.overdue_follow_ups, True),
    "at_risk_without_action": (lambda c: c.at_risk_without_action + c.lost_without_action, True),
    "win_rate": (lambda c: c.win_rate, False),
    "complaints_past_sla": (lambda c: c.complaints_past_sla, True),
}


SORT_KEYS = tuple(_SORTS)


def sorted_cards(cards: list[KamCard], sort: str) -> list[KamCard]:
    """The cards in the order a head reads them: the named figure, worst first (most neglected, lowest
    attainment), then by name; cards without the figure last."""
    figure, highest_first = _SORTS.get(sort, _SORTS["name"])
    name = _SORTS["name"][0]
    known = [c for c in cards if figure(c) is not None]
    unknown = [c for c in cards if figure(c) is None]
    known.sort(key=name)
    known.sort(key=figure, reverse=highest_first)
    return known + sorted(unknown, key=name)
