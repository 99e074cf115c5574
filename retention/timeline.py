"""Retention's entries on the account timeline: churn status changes, refusals, losses, win-back steps."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Account
from dossiers.timeline import Entry, register, start_of_day

from .models import CampaignStep, CampaignTarget, LossRecord, Refusal, StatusTransition
from .survey_selectors import answered_invitations


def _status_change(t: StatusTransition) -> str:
    """ "Went from Active to At risk", or "Became Lost" for an account's first status."""
    if not t.old_status:
        return _("Buying status: became %(new)s") % {"new": t.get_new_status_display()}
    return _("Buying status went from %(old)s to %(new)s") % {
        "old": t.get_old_status_display(),
        "new": t.get_new_status_display(),
    }


def _days_since(days: int | None) -> str:
    if days is None:
        return ""
    return ngettext("%(days)s day since the last purchase", "%(days)s days since the last purchase", days) % {
        "days": days
    }


def churn_changes(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    return [
        Entry(
            at=start_of_day(t.on),
            all_day=True,
            type="churn",
            label=_("Churn status"),
            title=_status_change(t),
            detail=_days_since(t.days_since_last_purchase),
            url=reverse("retention:account-tab", args=[account.pk]),
        )
        for t in StatusTransition.objects.filter(account=account)[:limit]
    ]


def refusals(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    return [
        Entry(
            at=start_of_day(r.on),
            all_day=True,
            type="refusal",
            label=_("Refusal"),
            title=_("%(kind)s declined: %(reason)s")
            % {"kind": r.get_kind_display(), "reason": r.get_reason_display()}
            + (f" · {r.product_line.name}" if r.product_line else ""),
            detail=r.text,
            by=str(r.recorded_by or ""),
        )
        for r in Refusal.objects.filter(account=account).select_related("product_line", "recorded_by")[:limit]
    ]


def losses(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    return [
        Entry(
            at=start_of_day(loss.lost_on),
            all_day=True,
            type="loss",
            label=_("Account lost"),
            title=_("Lost: %(reason)s") % {"reason": loss.get_reason_display()}
            + (f" · {loss.competitor}" if loss.competitor else ""),
            detail=loss.notes,
            by=str(loss.recorded_by or ""),
        )
        for loss in LossRecord.objects.filter(account=account).select_related("competitor", "recorded_by")[
            :limit
        ]
    ]


def winback(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    entries = []
    steps = CampaignStep.objects.filter(target__account=account).select_related("target__campaign", "by")
    for step in steps.order_by("-on", "-pk")[:limit]:
        entries.append(
            Entry(
                at=start_of_day(step.on),
                all_day=True,
                type="winback",
                label=_("Win-back"),
                title=step.action,
                detail=step.target.campaign.name,
                by=str(step.by or ""),
                url=reverse("retention:campaign-detail", args=[step.target.campaign_id]),
            )
        )
    targets = CampaignTarget.objects.filter(account=account, outcome_on__isnull=False).select_related(
        "campaign"
    )
    for target in targets.order_by("-outcome_on")[:limit]:
        if target.outcome_on is None:  # excluded by the query
            continue
        entries.append(
            Entry(
                at=start_of_day(target.outcome_on),
                all_day=True,
                type="winback",
                label=_("Win-back"),
                title=_("Win-back outcome: %(outcome)s") % {"outcome": target.get_outcome_display()},
                detail=target.campaign.name,
                url=reverse("retention:campaign-detail", args=[target.campaign_id]),
            )
        )
    return sorted(entries, key=lambda e: e.at, reverse=True)[:limit]


def surveys(account: Account, wanted: Collection[str] | None, limit: int) -> list[Entry]:
    return [
        Entry(
            at=invitation.answered_at,
            type="survey",
            label=_("Survey"),
            title=_("Survey answered: %(survey)s, %(score)s / 5")
            % {"survey": invitation.survey, "score": invitation.average_score or "—"},
            by=str(invitation.contact or ""),
            url=reverse("retention:account-tab", args=[account.pk]) + "#satisfaction",
        )
        for invitation in answered_invitations(account=account, limit=limit)
        if invitation.answered_at is not None
    ]


def register_sources() -> None:
    register([("churn", gettext_lazy("Churn status"))], churn_changes)
    register([("refusal", gettext_lazy("Refusals"))], refusals)
    register([("loss", gettext_lazy("Losses"))], losses)
    register([("winback", gettext_lazy("Win-back"))], winback)
    register([("survey", gettext_lazy("Surveys"))], surveys)
