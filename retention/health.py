"""The health score: 0 to 100 from five components, each with the reason for its points.

Pure arithmetic over figures the selectors gather, so every edge is testable without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

RHYTHM_POINTS, TREND_POINTS, REFUSAL_POINTS, SATISFACTION_POINTS, COMPLAINT_POINTS = 35, 25, 15, 15, 10
MIN_INTERVAL_DAYS = 30  # a faster rhythm is not held against an account for a few quiet weeks
SINGLE_PURCHASE_INTERVAL = 45  # the at-risk threshold for an account with one purchase
POINTS_PER_REFUSAL = 5
POINTS_PER_COMPLAINT = 5
HEALTHY, WATCH = 70, 40


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    points: float
    max_points: int
    why: str

    @property
    def share(self) -> float:
        return self.points / self.max_points if self.max_points else 0.0


@dataclass
class HealthInputs:
    days_since_last_purchase: int | None  # None: never bought
    median_interval_days: float | None
    value_last_6: Decimal = Decimal(0)
    value_previous_6: Decimal = Decimal(0)
    refusals_180: int = 0
    satisfaction: float | None = None  # average of the answered surveys (1..5), last 12 months
    open_complaints: int = 0


@dataclass
class Health:
    score: int
    components: list[Component] = field(default_factory=list)

    @property
    def band(self) -> str:
        return "healthy" if self.score >= HEALTHY else "watch" if self.score >= WATCH else "poor"


def _rhythm(i: HealthInputs) -> Component:
    label = _("Recency vs usual rhythm")
    if i.days_since_last_purchase is None:
        return Component("rhythm", label, 0, RHYTHM_POINTS, _("No purchase yet."))
    usual = max(i.median_interval_days or SINGLE_PURCHASE_INTERVAL, MIN_INTERVAL_DAYS)
    ratio = i.days_since_last_purchase / usual
    points = RHYTHM_POINTS if ratio <= 1 else max(0.0, RHYTHM_POINTS * (3 - ratio) / 2)
    why = _("%(days)s days since the last purchase, %(ratio).1f times its usual %(usual)s days.") % {
        "days": i.days_since_last_purchase,
        "ratio": ratio,
        "usual": round(usual),
    }
    return Component("rhythm", label, points, RHYTHM_POINTS, why)


def _trend(i: HealthInputs) -> Component:
    label = _("Value trend (6 months vs the 6 before)")
    last, before = i.value_last_6, i.value_previous_6
    if before <= 0:
        points = float(TREND_POINTS if last > 0 else 0)
        why = (
            _("New business in the last 6 months.") if last > 0 else _("No purchases in the last 12 months.")
        )
        return Component("trend", label, points, TREND_POINTS, why)
    ratio = float(last / before)
    points = TREND_POINTS * min(1.0, ratio)
    why = _("%(change)+.0f %% against the 6 months before.") % {"change": (ratio - 1) * 100}
    return Component("trend", label, points, TREND_POINTS, why)


def _refusals(i: HealthInputs) -> Component:
    points = max(0, REFUSAL_POINTS - POINTS_PER_REFUSAL * i.refusals_180)
    why = _("%(n)s refusal(s) in the last 180 days.") % {"n": i.refusals_180}
    return Component("refusals", _("Refusals"), points, REFUSAL_POINTS, why)


def _satisfaction(i: HealthInputs) -> Component:
    label = _("Satisfaction")
    if i.satisfaction is None:
        return Component("satisfaction", label, SATISFACTION_POINTS / 2, SATISFACTION_POINTS,
                         _("No survey answered in the last 12 months: counted as neutral."))  # fmt: skip
    points = SATISFACTION_POINTS * (i.satisfaction - 1) / 4
    why = _("Average survey score %(avg).1f of 5.") % {"avg": i.satisfaction}
    return Component("satisfaction", label, points, SATISFACTION_POINTS, why)


def _complaints(i: HealthInputs) -> Component:
    points = max(0, COMPLAINT_POINTS - POINTS_PER_COMPLAINT * i.open_complaints)
    why = _("%(n)s open complaint(s) (no outcome recorded, last 90 days).") % {"n": i.open_complaints}
    return Component("complaints", _("Open complaints"), points, COMPLAINT_POINTS, why)


def health_score(inputs: HealthInputs) -> Health:
    components = [
        _rhythm(inputs),
        _trend(inputs),
        _refusals(inputs),
        _satisfaction(inputs),
        _complaints(inputs),
    ]
    return Health(round(sum(c.points for c in components)), components)
