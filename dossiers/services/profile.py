"""Profile edits with their history, the strategic assessment and the 3P qualification."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, User
from common.calendar import add_months

from ..models import AccountProfile, ProfileChange, ProspectQualification, StrategicAssessment
from ._common import UNSET, Unset, assign, check_version, clean

REVIEW_MONTHS = 6


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


def _is_strategic(account: Account) -> bool:
    assessment = StrategicAssessment.objects.filter(account=account).first()
    return assessment is not None and assessment.is_strategic


@transaction.atomic
def profile_update(
    *,
    account: Account,
    by: User,
    version: int | None = None,
    description: str | Unset = UNSET,
    history: str | Unset = UNSET,
    org_structure: str | Unset = UNSET,
    environment: str | Unset = UNSET,
    headcount: int | Unset | None = UNSET,
    annual_sales: Decimal | Unset | None = UNSET,
    sales_forecast: Decimal | Unset | None = UNSET,
    certificates: str | Unset = UNSET,
    achievements: str | Unset = UNSET,
    projects: str | Unset = UNSET,
) -> AccountProfile:
    """Change profile sections; one ProfileChange per changed field. A stale `version` is refused.

    A strategic account's next profile review is scheduled six months after this one.
    """
    # The account row serialises the first edit, which creates the profile.
    Account.objects.select_for_update().filter(pk=account.pk).get()
    profile = AccountProfile.objects.select_for_update().filter(account=account).first()
    if profile is None:
        profile = AccountProfile(account=account)
    check_version(profile, version)
    before = {name: _as_text(getattr(profile, name)) for name in AccountProfile.TRACKED_FIELDS}
    names = assign(
        profile,
        description=description,
        history=history,
        org_structure=org_structure,
        environment=environment,
        headcount=headcount,
        annual_sales=annual_sales,
        sales_forecast=sales_forecast,
        certificates=certificates,
        achievements=achievements,
        projects=projects,
    )
    clean(profile, exclude=["account"])
    changes = [
        (name, before[name], _as_text(getattr(profile, name)))
        for name in names
        if _as_text(getattr(profile, name)) != before[name]
    ]
    if not changes and profile.pk:
        return profile
    if _is_strategic(account):
        profile.next_review_due = add_months(timezone.localdate(), REVIEW_MONTHS)
    profile.version += 1
    profile.save()
    ProfileChange.objects.bulk_create(
        ProfileChange(profile=profile, field=name, old=old, new=new, changed_by=by)
        for name, old, new in changes
    )
    return profile


@transaction.atomic
def assessment_update(
    *,
    account: Account,
    by: User,
    money_volume_and_payment: bool | Unset = UNSET,
    distributor: bool | Unset = UNSET,
    volume: bool | Unset = UNSET,
    profitability: bool | Unset = UNSET,
    growth_potential: bool | Unset = UNSET,
    loyalty: bool | Unset = UNSET,
    test_client: bool | Unset = UNSET,
    absorbs_slow_stock: bool | Unset = UNSET,
    prestige_brand: bool | Unset = UNSET,
    multinational: bool | Unset = UNSET,
    pays_cash: bool | Unset = UNSET,
    priority_dispatch: bool | Unset = UNSET,
    no_minimum_order: bool | Unset = UNSET,
    production_priority: bool | Unset = UNSET,
    personalised_invoicing: bool | Unset = UNSET,
    controlled_contact_plan: bool | Unset = UNSET,
    joint_plans_and_promotions: bool | Unset = UNSET,
) -> StrategicAssessment:
    """Tick or untick the given strategic criteria and privileges; `by` is recorded as the assessor."""
    assessment, _created = StrategicAssessment.objects.select_for_update().get_or_create(account=account)
    assign(
        assessment,
        money_volume_and_payment=money_volume_and_payment,
        distributor=distributor,
        volume=volume,
        profitability=profitability,
        growth_potential=growth_potential,
        loyalty=loyalty,
        test_client=test_client,
        absorbs_slow_stock=absorbs_slow_stock,
        prestige_brand=prestige_brand,
        multinational=multinational,
        pays_cash=pays_cash,
        priority_dispatch=priority_dispatch,
        no_minimum_order=no_minimum_order,
        production_priority=production_priority,
        personalised_invoicing=personalised_invoicing,
        controlled_contact_plan=controlled_contact_plan,
        joint_plans_and_promotions=joint_plans_and_promotions,
    )
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
