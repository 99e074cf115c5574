"""The health score: 0 to 100 from six components, each with the reason for its points.

Missing evidence earns no points and costs none: a component without evidence shows "no data" and
the score is taken over the components that have some. An account that is lost cannot score above
the watch band. Pure arithmetic over figures the selectors gather, so every edge is testable
without a database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

RHYTHM_POINTS, TREND_POINTS, REFUSAL_POINTS, SATISFACTION_POINTS, COMPLAINT_POINTS = 35, 25, 15, 15, 10
CONTACT_POINTS = 10
MIN_INTERVAL_DAYS = 30  # a faster rhythm is not held against an account for a few quiet weeks
SINGLE_PURCHASE_INTERVAL = 45  # the at-risk threshold for an account with one purchase
POINTS_PER_REFUSAL = 5
POINTS_PER_COMPLAINT = 5
HEALTHY, WATCH = 70, 40
LOST_CEILING = HEALTHY - 1  # a lost account scores in the watch band at best


def usual_interval_days(median_interval_days: float | None) -> int | None:
    """The account's usual interval between purchases as people read it: the median gap in whole
    days, rounded half up. The Retention tab and the health score both state this one number."""
    if median_interval_days is None:
        return None
    return int(Decimal(str(median_interval_days)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Component:
    key: str
    label: str
    points: float | None  # None: no evidence, so no data
    max_points: int
    why: str

    @property
    def has_data(self) -> bool:
        return self.points is not None

    @property
    def share(self) -> float:
        return (self.points or 0.0) / self.max_points if self.max_points else 0.0


@dataclass
class HealthInputs:
    days_since_last_purchase: int | None  # None: never bought
    median_interval_days: float | None
    value_last_6: Decimal = Decimal(0)
    value_previous_6: Decimal = Decimal(0)
    refusals_180: int = 0
    satisfaction: float | None = None  # average of the answered surveys (1..5), last 12 months
    open_complaints: int = 0
    interactions_180: int = 0  # contact recorded with the client: evidence that refusals would show
    interactions_90: int = 0  # likewise for complaints
    lost: bool = False  # the account's buying status is lost
    days_since_last_contact: int | None = None  # None: no interaction recorded
    neglect_days: int = 45  # the management policy's "neglected after"


@dataclass
class Health:
    score: int | None  # None: no component has evidence
    components: list[Component] = field(default_factory=list)

    @property
    def band(self) -> str:
        if self.score is None:
            return "no-data"
        return "healthy" if self.score >= HEALTHY else "watch" if self.score >= WATCH else "poor"


def _no_data(key: str, label: str, max_points: int, why: str) -> Component:
    return Component(key, label, None, max_points, why)


def _rhythm(i: HealthInputs) -> Component:
    label = _("Recency vs usual rhythm")
    if i.days_since_last_purchase is None:
        return _no_data("rhythm", label, RHYTHM_POINTS, _("No purchase yet: no rhythm to judge."))
    usual = usual_interval_days(i.median_interval_days)
    judged = max(usual or SINGLE_PURCHASE_INTERVAL, MIN_INTERVAL_DAYS)
    ratio = i.days_since_last_purchase / judged
    points = RHYTHM_POINTS if ratio <= 1 else max(0.0, RHYTHM_POINTS * (3 - ratio) / 2)
    values = {"days": i.days_since_last_purchase, "usual": usual, "judged": judged, "ratio": ratio}
    if usual is None:
        why = _("%(days)s days since its only purchase, %(ratio).1f times the %(judged)s days allowed.")
        why %= values
    elif usual < MIN_INTERVAL_DAYS:
        why = (
            ngettext(
                "%(days)s days since the last purchase; it usually buys every %(usual)s day, judged as "
                "%(judged)s (a faster rhythm is not held against it): %(ratio).1f times that.",
                "%(days)s days since the last purchase; it usually buys every %(usual)s days, judged as "
                "%(judged)s (a faster rhythm is not held against it): %(ratio).1f times that.",
                usual,
            )
            % values
        )
    else:
        why = _("%(days)s days since the last purchase, %(ratio).1f times its usual %(usual)s days.") % values
    return Component("rhythm", label, points, RHYTHM_POINTS, why)


def _trend(i: HealthInputs) -> Component:
    label = _("Value trend (6 months vs the 6 before)")
    last, before = i.value_last_6, i.value_previous_6
    if i.days_since_last_purchase is None and last <= 0 and before <= 0:
        return _no_data("trend", label, TREND_POINTS, _("No purchase yet: no trend to judge."))
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
    label = _("Refusals")
    if not i.refusals_180 and not i.interactions_180:
        return _no_data("refusals", label, REFUSAL_POINTS, _("No contact recorded in the last 180 days."))
    points = max(0, REFUSAL_POINTS - POINTS_PER_REFUSAL * i.refusals_180)
    why = ngettext(
        "%(n)s refusal in the last 180 days.", "%(n)s refusals in the last 180 days.", i.refusals_180
    ) % {"n": i.refusals_180}
    return Component("refusals", label, points, REFUSAL_POINTS, why)


def _satisfaction(i: HealthInputs) -> Component:
    label = _("Satisfaction")
    if i.satisfaction is None:
        return _no_data(
            "satisfaction", label, SATISFACTION_POINTS, _("No survey answered in the last 12 months.")
        )
    points = SATISFACTION_POINTS * (i.satisfaction - 1) / 4
    why = _("Average survey score %(avg).1f of 5.") % {"avg": i.satisfaction}
    return Component("satisfaction", label, points, SATISFACTION_POINTS, why)


def _complaints(i: HealthInputs) -> Component:
    label = _("Open complaints")
    if not i.open_complaints and not i.interactions_90:
        return _no_data("complaints", label, COMPLAINT_POINTS, _("No contact recorded in the last 90 days."))
    points = max(0, COMPLAINT_POINTS - POINTS_PER_COMPLAINT * i.open_complaints)
    why = ngettext(
        "%(n)s open complaint case (open or in progress).",
        "%(n)s open complaint cases (open or in progress).",
        i.open_complaints,
    ) % {"n": i.open_complaints}
    return Component("complaints", label, points, COMPLAINT_POINTS, why)


def _contact(i: HealthInputs) -> Component:
    """Full points while the last interaction is within half the neglect limit, none past it."""
    label = _("Contact with the client")
    days, limit = i.days_since_last_contact, i.neglect_days
    if days is None:
        return _no_data("contact", label, CONTACT_POINTS, _("No interaction recorded yet."))
    share = min(1.0, max(0.0, (limit - days) / (limit / 2)))
    values = {"days": days, "limit": limit}
    if days > limit:
        why = _("%(days)s days since the last interaction: neglected (the limit is %(limit)s days).") % values
    else:
        why = _("%(days)s days since the last interaction (neglected after %(limit)s).") % values
    return Component("contact", label, CONTACT_POINTS * share, CONTACT_POINTS, why)


def health_score(inputs: HealthInputs) -> Health:
    components = [
        _rhythm(inputs),
        _trend(inputs),
        _refusals(inputs),
        _satisfaction(inputs),
        _complaints(inputs),
        _contact(inputs),
    ]
    scored = [c for c in components if c.points is not None]
    possible = sum(c.max_points for c in scored)
    if not possible:
        return Health(None, components)
    score = round(100 * sum(c.points or 0.0 for c in scored) / possible)
    if inputs.lost:
        score = min(score, LOST_CEILING)
    return Health(score, components)
