"""Profile edits with their history, the strategic assessment and the 3P qualification."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from typing_extensions import Unpack

from accounts.models import Account, User
from common.calendar import add_months

from ..models import AccountProfile, ProfileChange, ProspectQualification, StrategicAssessment
from ._common import assign, check_version, clean, fields_of

REVIEW_MONTHS = 6


class ProfileFields(TypedDict, total=False):
    description: str
    history: str
    org_structure: str
    environment: str
    headcount: int | None  # the Account's
    annual_revenue: Decimal | None  # the Account's: the client's own annual turnover
    sales_forecast: Decimal | None
    certificates: str
    achievements: str
    projects: str


class AssessmentFields(TypedDict, total=False):
    """The strategic criteria and the privileges a strategic account is given."""

    money_volume_and_payment: bool
    distributor: bool
    volume: bool
    profitability: bool
    growth_potential: bool
    loyalty: bool
    test_client: bool
    absorbs_slow_stock: bool
    prestige_brand: bool
    multinational: bool
    pays_cash: bool
    priority_dispatch: bool
    no_minimum_order: bool
    production_priority: bool
    personalised_invoicing: bool
    controlled_contact_plan: bool
    joint_plans_and_promotions: bool


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


def _is_strategic(account: Account) -> bool:
    assessment = StrategicAssessment.objects.filter(account=account).first()
    return assessment is not None and assessment.is_strategic


@transaction.atomic
def profile_update(
    *, account: Account, by: User, version: int | None = None, **fields: Unpack[ProfileFields]
) -> AccountProfile:
    """Change profile sections; one ProfileChange per changed field. A stale `version` is refused.

    Headcount and annual revenue are the Account's own fields (one value per fact): they are written
    there, and their changes kept in the profile's history too.
    A strategic account's next profile review is scheduled six months after this one.
    """
    # The account row serialises the first edit, which creates the profile.
    client = Account.objects.select_for_update().filter(pk=account.pk).get()
    profile = AccountProfile.objects.select_for_update().filter(account=account).first()
    if profile is None:
        profile = AccountProfile(account=client)
    check_version(profile, version)
    owner_of = {
        name: client if name in AccountProfile.ACCOUNT_FIELDS else profile
        for name in AccountProfile.TRACKED_FIELDS
    }
    before = {name: getattr(owner_of[name], name) for name in AccountProfile.TRACKED_FIELDS}
    given = fields_of(ProfileFields, fields)
    names = [
        *assign(profile, {k: v for k, v in given.items() if k not in AccountProfile.ACCOUNT_FIELDS}),
        *assign(client, {k: v for k, v in given.items() if k in AccountProfile.ACCOUNT_FIELDS}),
    ]
    _clean_account_facts(client)
    clean(profile, exclude=["account"])
    # Compared as values: 52125000 and 52125000.00 are the same turnover.
    changes = [
        (name, _as_text(before[name]), _as_text(getattr(owner_of[name], name)))
        for name in names
        if getattr(owner_of[name], name) != before[name]
    ]
    if not changes and profile.pk:
        return profile
    if any(name in AccountProfile.ACCOUNT_FIELDS for name, _old, _new in changes):
        client.version += 1  # an account edit made on the copy from before this one is refused
        client.save(update_fields=[*AccountProfile.ACCOUNT_FIELDS, "version", "updated_at"])
        account.headcount, account.annual_revenue = client.headcount, client.annual_revenue
    if _is_strategic(account):
        profile.next_review_due = add_months(timezone.localdate(), REVIEW_MONTHS)
    profile.version += 1
    profile.save()
    ProfileChange.objects.bulk_create(
        ProfileChange(profile=profile, field=name, old=old, new=new, changed_by=by)
        for name, old, new in changes
    )
    return profile


def _clean_account_facts(account: Account) -> None:
    """The account's own validation of the facts the profile edits, as field errors."""
    others = [f.name for f in Account._meta.fields if f.name not in AccountProfile.ACCOUNT_FIELDS]
    account.clean_fields(exclude=others)


@transaction.atomic
def assessment_update(
    *, account: Account, by: User, **fields: Unpack[AssessmentFields]
) -> StrategicAssessment:
    """Tick or untick the given strategic criteria and privileges; `by` is recorded as the assessor."""
    assessment, _created = StrategicAssessment.objects.select_for_update().get_or_create(account=account)
    assign(assessment, fields_of(AssessmentFields, fields))
    assessment.assessed_by = by
    clean(assessment, exclude=["account"])
    assessment.save()
    return assessment


@transaction.atomic
def qualification_confirm(*, account: Account, criterion: str, by: User) -> ProspectQualification:
    """Confirm need, solvency or authority; all three make the prospect a qualified prospect."""
    if criterion not in ProspectQualification.CRITERIA:
        raise ValidationError({"criterion": _("Choose need, solvency or authority.")})
    if account.status != Account.Status.PROSPECT:
        raise ValidationError({"criterion": _("Only prospects are qualified (need, solvency, authority).")})
    qualification, _created = ProspectQualification.objects.select_for_update().get_or_create(account=account)
    if not qualification.is_confirmed(criterion):
        setattr(qualification, f"{criterion}_confirmed_by", by)
        setattr(qualification, f"{criterion}_confirmed_at", timezone.now())
    if qualification.is_qualified and qualification.qualified_at is None:
        qualification.qualified_at = timezone.now()
    qualification.save()
    return qualification
