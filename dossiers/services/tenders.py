"""Tenders and their preparation plan, generated from the milestone template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Account
from common.calendar import add_months

from ..models import Competitor, MilestoneTemplate, Tender, TenderMilestone
from ._common import UNSET, Unset, assign, check_version, clean


def _check_dates(tender: Tender) -> None:
    errors: dict[str, str] = {}
    if tender.announced_on and tender.submission_on and tender.submission_on < tender.announced_on:
        errors["submission_on"] = _("The submission cannot come before the announcement.")
    if tender.submission_on and tender.decision_on and tender.decision_on < tender.submission_on:
        errors["decision_on"] = _("The decision cannot come before the submission.")
    if errors:
        raise ValidationError(errors)


def milestone_due(template: MilestoneTemplate, submission_on: dt.date) -> dt.date:
    """When a template step falls due, counted back from the submission date."""
    if template.months_before_submission is not None:
        return add_months(submission_on, -template.months_before_submission)
    return submission_on - dt.timedelta(days=template.days_before or 0)


def _plan_milestones(tender: Tender) -> None:
    """Generate the preparation plan once; later moves of the submission reschedule its open steps."""
    if tender.submission_on is None:
        return
    generated = list(tender.milestones.filter(template__isnull=False).select_related("template"))
    if not generated and not tender.milestones.exists():
        TenderMilestone.objects.bulk_create(
            TenderMilestone(
                tender=tender, template=t, title=t.title, due_on=milestone_due(t, tender.submission_on)
            )
            for t in MilestoneTemplate.objects.all()
        )
        return
    for milestone in generated:
        if not milestone.done and milestone.template is not None:
            milestone.due_on = milestone_due(milestone.template, tender.submission_on)
    TenderMilestone.objects.bulk_update(generated, ["due_on"])


def _validate(tender: Tender) -> None:
    clean(tender, exclude=["account"])
    _check_dates(tender)


@transaction.atomic
def tender_create(
    *,
    account: Account,
    title: str | Unset = UNSET,
    value: Decimal | Unset | None = UNSET,
    announced_on: dt.date | Unset | None = UNSET,
    submission_on: dt.date | Unset | None = UNSET,
    decision_on: dt.date | Unset | None = UNSET,
    status: str | Unset = UNSET,
    outcome_reason: str | Unset = UNSET,
    outcome_notes: str | Unset = UNSET,
    competitors: Iterable[Competitor] | Unset = UNSET,
) -> Tender:
    """Plan a tender; with a submission date its preparation plan is generated."""
    tender = Tender(account=account)
    assign(
        tender,
        title=title,
        value=value,
        announced_on=announced_on,
        submission_on=submission_on,
        decision_on=decision_on,
        status=status,
        outcome_reason=outcome_reason,
        outcome_notes=outcome_notes,
    )
    _validate(tender)
    tender.save()
    if not isinstance(competitors, Unset):
        tender.competitors.set(competitors)
    _plan_milestones(tender)
    return tender


@transaction.atomic
def tender_update(
    *,
    tender: Tender,
    version: int | None = None,
    title: str | Unset = UNSET,
    value: Decimal | Unset | None = UNSET,
    announced_on: dt.date | Unset | None = UNSET,
    submission_on: dt.date | Unset | None = UNSET,
    decision_on: dt.date | Unset | None = UNSET,
    status: str | Unset = UNSET,
    outcome_reason: str | Unset = UNSET,
    outcome_notes: str | Unset = UNSET,
    competitors: Iterable[Competitor] | Unset = UNSET,
) -> Tender:
    """Change the given fields; refuses a stale version; a new submission date moves the open milestones."""
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    check_version(tender, version)
    old_submission = tender.submission_on
    assign(
        tender,
        title=title,
        value=value,
        announced_on=announced_on,
        submission_on=submission_on,
        decision_on=decision_on,
        status=status,
        outcome_reason=outcome_reason,
        outcome_notes=outcome_notes,
    )
    _validate(tender)
    tender.version += 1
    tender.save()
    if not isinstance(competitors, Unset):
        tender.competitors.set(competitors)
    if tender.submission_on != old_submission or not tender.milestones.exists():
        _plan_milestones(tender)
    return tender


@transaction.atomic
def tender_delete(*, tender: Tender) -> None:
    tender.delete()


@transaction.atomic
def milestone_complete(*, milestone: TenderMilestone, done: bool = True) -> TenderMilestone:
    """Tick (or untick) a preparation step."""
    milestone.done = done
    milestone.save(update_fields=["done"])
    return milestone
