"""The alerts a department head's home leads with: each one a sentence, a tone and where to act."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from accounts.models import User
from analysis import scopes
from analysis.selectors import complete_runs

from .scorecards import KamCard
from .strategic import strategic_share


@dataclass(frozen=True)
class Alert:
    text: str
    tone: str  # "danger" or "warning"
    url: str


def _concentration_alert(user: User) -> Alert | None:
    """Mono-dependency in the latest complete run, over the accounts the head sees."""
    run = complete_runs().first()
    if run is None:
        return None
    concentration = scopes.figures(user=user, run=run)["concentration"]
    if not concentration.get("mono_dependency"):
        return None
    text = _("Mono-dependency: key accounts hold %(share).0f %% of sales (above 75 %%).") % {
        "share": float(concentration["key_share"]) * 100
    }
    return Alert(text, "danger", reverse("analysis:dashboard"))


def _strategic_alert(user: User) -> Alert | None:
    """More strategic accounts than the policy allows: privileges lose their meaning."""
    share = strategic_share(user=user)
    if not share.exceeded:
        return None
    text = _("%(percent)s %% of your customers are strategic, above the cap of %(cap)s %%.") % {
        "percent": share.percent,
        "cap": share.cap.normalize(),
    }
    return Alert(text, "warning", reverse("management:strategic"))


def _card_alerts(cards: list[KamCard]) -> list[Alert]:
    """Counts over the KAMs' cards, each with the scorecards sorted by it, worst first."""
    kams = reverse("management:kams")
    checks = [
        (
            sum(c.over_load for c in cards),
            ngettext_lazy("%(n)s KAM holds more key accounts than the target load.",
                          "%(n)s KAMs hold more key accounts than the target load.", "n"),
            "warning",
            "key_accounts",
        ),
        (
            sum(c.at_risk_without_action + c.lost_without_action for c in cards),
            ngettext_lazy("%(n)s account at risk or lost with nothing done about it.",
                          "%(n)s accounts at risk or lost with nothing done about them.", "n"),
            "danger",
            "at_risk_without_action",
        ),
        (
            sum(c.neglected for c in cards),
            ngettext_lazy("%(n)s account nobody has been in touch with for too long.",
                          "%(n)s accounts nobody has been in touch with for too long.", "n"),
            "warning",
            "neglected",
        ),
    ]  # fmt: skip
    alerts = [Alert(str(text % {"n": n}), tone, f"{kams}?sort={sort}") for n, text, tone, sort in checks if n]
    late = sum(c.complaints_past_sla for c in cards)
    if late:
        text = ngettext_lazy(
            "%(n)s complaint case past its SLA.", "%(n)s complaint cases past their SLA.", "n"
        )
        alerts.append(
            Alert(
                str(text % {"n": late}),
                "danger",
                reverse("dossiers:complaints") + "?past_sla=true&ordering=due",
            )
        )
    return alerts


def desk_alerts(*, user: User, cards: list[KamCard]) -> list[Alert]:
    """What needs the head's decision, worst first, from the KAMs' cards and the latest run."""
    alerts = [a for a in [_concentration_alert(user), _strategic_alert(user)] if a]
    return alerts + _card_alerts(cards)
