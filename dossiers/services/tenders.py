"""Tenders and their preparation plan, generated from the milestone template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from typing_extensions import Unpack

from accounts.models import Account
from common.calendar import add_months

from ..models import Competitor, MilestoneTemplate, Tender, TenderMilestone
from ._common import assign, check_version, clean, fields_of


class TenderFields(TypedDict, total=False):
    title: str
    value: Decimal | None
    announced_on: dt.date | None
    submission_on: dt.date | None
    decision_on: dt.date | None
    status: str
    outcome_reason: str
    outcome_notes: str
    competitors: Iterable[Competitor]


def _assign(tender: Tender, fields: TenderFields) -> Iterable[Competitor] | None:
    """Set the tender's own fields; the competitors (a relation, set once it is saved) are returned."""
    values = fields_of(TenderFields, fields)
    competitors = values.pop("competitors", None)
    assign(tender, values)
    return competitors


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
def tender_create(*, account: Account, **fields: Unpack[TenderFields]) -> Tender:
    """Plan a tender; with a submission date its preparation plan is generated."""
    tender = Tender(account=account)
    competitors = _assign(tender, fields)
    _validate(tender)
    tender.save()
    if competitors is not None:
        tender.competitors.set(competitors)
    _plan_milestones(tender)
    return tender


@transaction.atomic
def tender_update(*, tender: Tender, version: int | None = None, **fields: Unpack[TenderFields]) -> Tender:
    """Change the given fields; refuses a stale version; a new submission date moves the open milestones."""
    tender = Tender.objects.select_for_update().get(pk=tender.pk)
    check_version(tender, version)
    old_submission = tender.submission_on
    competitors = _assign(tender, fields)
    _validate(tender)
    tender.version += 1
    tender.save()
    if competitors is not None:
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
