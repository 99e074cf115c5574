"""The demo's strategic service plans: each strategic demo account gets this year's contact plan
and the visits, calls, reviews and gifts logged against it.

The story, per KAM: the first strategic account is on pace (visits and calls as planned, a spring
business review, a modest gift budget well used); the second is behind (visits slipped, no review
yet) while its gift spend ran ahead of the budget — what the strategic accounts page flags.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from accounts.models import Account, User

from . import services
from .models import Interaction, ServicePlan

Kind = Interaction.Kind
# visits, calls, reviews, budget; then the share of the plan logged so far (of the pace).
PLANS = (
    (12, 24, 2, Decimal("3000"), Decimal("1.0"), "Quarterly visits to the plant; monthly calls with buying."),
    (
        10,
        20,
        2,
        Decimal("1500"),
        Decimal("0.5"),
        "Win back attention after the price dispute; keep gifts modest.",
    ),
)
GIFTS = (
    (Kind.HOSPITALITY, "Dinner after the spring review", Decimal("420")),
    (Kind.GIFT, "Anniversary gift for the plant manager", Decimal("180")),
    (Kind.GREETING_CARD, "Season's greetings to the buying centre", Decimal("25")),
    (Kind.HOSPITALITY, "Trade fair hospitality suite", Decimal("900")),
    (Kind.GIFT, "Branded tool sets for the maintenance team", Decimal("640")),
)


def _spread(today: dt.date, count: int, number: int) -> dt.datetime:
    """The `number`th of `count` moments spread evenly from 1 January to yesterday."""
    start = dt.date(today.year, 1, 1)
    span = max((today - start).days - 1, 0)
    day = start + dt.timedelta(days=span * (number + 1) // (count + 1))
    return timezone.make_aware(dt.datetime.combine(day, dt.time(11, 0)))


def _log(
    account: Account, by: User, kind: str, when: dt.datetime, summary: str, value: Decimal | None = None
) -> None:
    services.interaction_create(
        account=account, by=by, kind=kind, occurred_at=when, summary=summary, value=value
    )


def service_story(account: Account, by: User, today: dt.date, number: int) -> int:
    """The plan of the `number`th strategic account of `by` (0: on pace, 1: behind) and what was
    logged against it this year; returns the interactions added."""
    visits, calls, reviews, budget, pace, note = PLANS[number % len(PLANS)]
    if not ServicePlan.objects.filter(account=account, year=today.year).exists():
        services.service_plan_create(
            account=account, year=today.year, by=by, visits=visits, calls=calls, reviews=reviews,
            budget=budget, note=note,
        )  # fmt: skip
    elapsed = Decimal((today - dt.date(today.year, 1, 1)).days) / Decimal(365)
    logged = [
        (Kind.VISIT if n % 2 else Kind.MEETING, "Plant visit: production review")
        for n in range(int(visits * elapsed * pace))
    ]
    logged += [(Kind.CALL, "Call with buying: open orders") for _n in range(int(calls * elapsed * pace))]
    if number % 2 == 0 and elapsed > Decimal("0.3"):
        logged.append((Kind.BUSINESS_REVIEW, "Business review with the management: the year so far"))
    for n, (kind, summary) in enumerate(logged):
        _log(account, by, kind, _spread(today, len(logged), n), summary)
    gifts = GIFTS[:2] if number % 2 == 0 else GIFTS[2:]
    for n, (kind, summary, value) in enumerate(gifts):
        _log(account, by, kind, _spread(today, len(gifts), n), summary, value=value)
    return len(logged) + len(gifts)
