"""Retention demo data, written through the services, so that every retention page shows something.

It reads the demo's latest segmentation run (its at-risk and lost accounts), records refusals and
loss reasons, starts a win-back campaign on lost accounts with steps and outcomes — one account
buying again after the start, so that recovered revenue shows — and answers satisfaction surveys.
Deterministic and safe to run twice: once the demo campaign exists nothing is added.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, User
from analysis.models import AccountSegment, AnalysisRun
from analysis.services import run_create, run_execute
from dossiers.models import Competitor
from sales.models import ProductLine
from sales.services import sales_lines_bulk_import

from . import selectors, services
from .models import CampaignTarget, Reason, Refusal, WinBackCampaign

SEED = 20261201
CAMPAIGN = "Win back the lost accounts"
REFUSAL_TEXTS = {
    Reason.PRICE: "Competitor quoted 8 % lower on the same grade.",
    Reason.MISSED_DEADLINES: "Two late deliveries in a row.",
    Reason.SERVICE_DROP: "Complaint handling took three weeks.",
    Reason.NO_NEED: "Project postponed to next year.",
    Reason.COMPETITOR: "Moved the volume to a local supplier.",
    Reason.IGNORED_OPINION: "Their engineers' change request was not answered.",
}


def _owner_or_admin(account: Account, admin: User) -> User:
    return account.owner or admin


@transaction.atomic
def load_demo() -> str:
    if WinBackCampaign.objects.filter(name=CAMPAIGN).exists():
        return "Retention: already filled, nothing added."
    run = selectors.latest_run()
    if run is None:
        return "Retention: no segmentation run, nothing to fill."
    rng = random.Random(SEED)
    today = timezone.localdate()
    admin = User.objects.filter(role=User.Role.ADMIN).first()
    if admin is None:
        return "Retention: no admin user, nothing to fill."
    head = User.objects.filter(role=User.Role.HEAD).first() or admin
    segments = list(
        AccountSegment.objects.filter(run=run)
        .select_related("account__owner")
        .order_by("-value", "account_id")
    )
    lost = [s.account for s in segments if s.churn_status == AccountSegment.ChurnStatus.LOST]
    at_risk = [s.account for s in segments if s.churn_status == AccountSegment.ChurnStatus.AT_RISK]
    lines = list(ProductLine.objects.order_by("code"))
    refusals = _refusals(rng, [*at_risk, *lost[:4], *[s.account for s in segments[:3]]], lines, admin, today)
    lost_segments = [s for s in segments if s.churn_status == AccountSegment.ChurnStatus.LOST]
    losses = _losses(rng, lost_segments[:6], lines, admin, today)
    campaign = _campaign(lost[:5], head, today, run.as_of)
    # The nightly run after the campaign's new sale: the won-back account is active by its rhythm too.
    run_execute(run=run_create(by=None, as_of=run.as_of, trigger=AnalysisRun.Trigger.DEMO))
    surveys = _surveys(rng, [s.account for s in segments[:8]], admin, today)
    return (
        f"Retention: {refusals} refusals, {losses} loss reasons, campaign “{campaign.name}” with "
        f"{campaign.targets.count()} targets (one won back; the latest month analysed again), {surveys}."
    )


def _refusals(rng: random.Random, accounts: list[Account], lines: list[ProductLine], admin: User,
              today: dt.date) -> int:  # fmt: skip
    reasons = list(REFUSAL_TEXTS)
    count = 0
    for index, account in enumerate(accounts):
        for n in range(1 + index % 3):
            reason = reasons[(index + n) % len(reasons)]
            services.refusal_create(
                account=account,
                by=_owner_or_admin(account, admin),
                on=today - dt.timedelta(days=rng.randint(5, 600)),
                kind=rng.choice(list(Refusal.Kind)),
                product_line=lines[(index + n) % len(lines)] if lines else None,
                reason=reason,
                text=REFUSAL_TEXTS[reason],
            )
            count += 1
    return count


def _losses(rng: random.Random, segments: list[AccountSegment], lines: list[ProductLine], admin: User,
            today: dt.date) -> int:  # fmt: skip
    """Loss reasons of lost accounts, each recorded a while after its last purchase."""
    competitors = list(Competitor.objects.order_by("name"))
    reasons = [Reason.PRICE, Reason.COMPETITOR, Reason.SERVICE_DROP, Reason.MISSED_DEADLINES]
    for index, segment in enumerate(segments):
        account, reason = segment.account, reasons[index % len(reasons)]
        last = segment.last_purchase or today
        services.loss_record_create(
            account=account,
            by=_owner_or_admin(account, admin),
            lost_on=min(today, last + dt.timedelta(days=rng.randint(60, 200))),
            reason=reason,
            product_line=lines[index % len(lines)] if lines else None,
            competitor=competitors[index % len(competitors)] if competitors and index % 2 == 0 else None,
            notes=REFUSAL_TEXTS.get(reason, ""),
        )
    return len(segments)


def _campaign(accounts: list[Account], head: User, today: dt.date, as_of: dt.date) -> WinBackCampaign:
    """A campaign started 45 days ago; the first target bought again since (10 days ago, or just
    before the latest run's as-of date when that is earlier, so the next run sees it)."""
    start = today - dt.timedelta(days=45)
    campaign = services.campaign_create(
        by=head,
        name=CAMPAIGN,
        goal="Bring the lost key accounts back to at least half their former volume.",
        method=WinBackCampaign.Method.SPECIAL_OFFER,
        budget=Decimal("12000"),
        starts_on=start,
        ends_on=today + dt.timedelta(days=45),
        accounts=accounts,
    )
    targets = list(campaign.targets.select_related("account").order_by("pk"))
    steps = ("Called the purchasing manager", "Sent the special offer", "Visited with the regional director")
    outcomes = [
        CampaignTarget.Outcome.WON_BACK,
        CampaignTarget.Outcome.DECLINED,
        CampaignTarget.Outcome.NO_ANSWER,
    ]
    # The won-back order: within the campaign and within the latest run's months, so that the run
    # made after it counts the account active again.
    won_back_on = min(today - dt.timedelta(days=10), as_of - dt.timedelta(days=2))
    for index, target in enumerate(targets):
        for n, action in enumerate(steps[: 1 + index % 3]):
            services.target_step_add(
                target=target, by=head, on=start + dt.timedelta(days=3 + 7 * n), action=action
            )
        if index < len(outcomes):
            won = outcomes[index] == CampaignTarget.Outcome.WON_BACK
            services.target_update(
                target=target,
                outcome=outcomes[index],
                outcome_on=won_back_on if won else today - dt.timedelta(days=12),
            )
    if targets and targets[0].account.external_id:
        sales_lines_bulk_import(
            by=head,
            lines=[
                {
                    "account_external_id": targets[0].account.external_id,
                    "date": won_back_on.isoformat(),
                    "amount": "8400.00",
                    "line_external_id": f"demo-winback-{targets[0].account.external_id}",
                }
            ],
            options={},
        )
    return campaign


def _surveys(rng: random.Random, accounts: list[Account], admin: User, today: dt.date) -> str:
    try:
        from .demo_surveys import load_demo_surveys
    except ImportError:  # pragma: no cover
        return "no surveys"
    return load_demo_surveys(rng=rng, accounts=accounts, by=admin, today=today)
