"""Reading referrals and recommendation letters: the FilterSets the pages and the API share, the
scoped querysets, and the referrals report (per referrer, the prospects and the revenue won)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import django_filters
from django import forms
from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.filters import VisibleAccountFilter, visible_contacts
from accounts.models import Contact, User
from common.filters import BooleanFilter, FilterSet, VisibleFilter
from sales.models import SalesLine

from .models import RecommendationLetter, Referral

MONEY = DecimalField(max_digits=14, decimal_places=2)
YES_NO = forms.Select(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))])
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


class ReferralFilter(FilterSet):
    account = VisibleAccountFilter(label=_("Prospect (account id)"))
    referrer = VisibleFilter(visible=visible_contacts, label=_("Referrer (contact id)"))
    outcome = django_filters.MultipleChoiceFilter(choices=Referral.Outcome.choices, label=_("Outcome"))
    referrer_called = BooleanFilter(label=_("The referrer phoned"), widget=YES_NO)
    referred_after = django_filters.DateFilter(
        field_name="referred_on", lookup_expr="gte", label=_("Referred on or after"), widget=DATE_INPUT
    )
    referred_before = django_filters.DateFilter(
        field_name="referred_on", lookup_expr="lte", label=_("Referred on or before"), widget=DATE_INPUT
    )

    class Meta:
        model = Referral
        fields = ["account", "referrer", "outcome", "referrer_called"]


class LetterFilter(FilterSet):
    account = VisibleAccountFilter(label=_("Account id"))
    contact = VisibleFilter(visible=visible_contacts, label=_("Written by (contact id)"))
    received_after = django_filters.DateFilter(
        field_name="received_on", lookup_expr="gte", label=_("Received on or after")
    )

    class Meta:
        model = RecommendationLetter
        fields = ["account", "contact"]


def referral_queryset(*, user: User) -> QuerySet[Referral]:
    """The referrals of prospects the user sees whose referrer the user sees too."""
    return (
        Referral.objects.visible_to(user)
        .filter(referrer__in=Contact.objects.visible_to(user))
        .select_related("account", "referrer", "referrer__account")
    )


def letter_queryset(*, user: User) -> QuerySet[RecommendationLetter]:
    return RecommendationLetter.objects.visible_to(user).select_related("account", "contact", "delivery")


def with_revenue_won(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """`revenue_won`: the referred account's ledger revenue from the day of the referral on."""
    since = (
        SalesLine.objects.filter(account=OuterRef("account_id"), date__gte=OuterRef("referred_on"))
        .order_by()
        .values("account")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return referrals.annotate(
        revenue_won=Coalesce(Subquery(since, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)
    )


@dataclass
class ReferrerRow:
    """One referrer of the report: their referrals (each with `revenue_won`) and the totals."""

    referrer: Contact
    referrals: list[Referral] = field(default_factory=list)

    @property
    def won(self) -> int:
        return sum(1 for r in self.referrals if r.outcome == Referral.Outcome.WON)

    @property
    def revenue_won(self) -> Decimal:
        return sum((getattr(r, "revenue_won", Decimal(0)) for r in self.referrals), Decimal(0))


@dataclass
class ReferralReport:
    filter: ReferralFilter
    rows: list[ReferrerRow]

    @property
    def revenue_won(self) -> Decimal:
        return sum((row.revenue_won for row in self.rows), Decimal(0))


def referral_report(*, user: User, filters: Mapping[str, Any] | None = None) -> ReferralReport:
    """Per referrer (contact and account), the prospects they referred and the revenue won through
    them, over the referrals the user sees (one query); the best referrers first."""
    referrals = referral_queryset(user=user).order_by("referrer_id", "-referred_on", "-pk")
    filterset = ReferralFilter(filters or None, queryset=with_revenue_won(referrals), user=user)
    by_referrer: dict[int, ReferrerRow] = {}
    for referral in filterset.rows:
        row = by_referrer.setdefault(referral.referrer_id, ReferrerRow(referrer=referral.referrer))
        row.referrals.append(referral)
    rows = sorted(by_referrer.values(), key=lambda r: (-r.revenue_won, -len(r.referrals), str(r.referrer)))
    return ReferralReport(filter=filterset, rows=rows)


def referrals_given(*, user: User, contact: Contact) -> list[Referral]:
    """The referrals a contact gave, to prospects the user sees, with the revenue won since."""
    return list(with_revenue_won(referral_queryset(user=user).filter(referrer=contact)))


def referrals_received(*, user: User, account_id: int) -> list[Referral]:
    """Who referred the account (visible referrers only)."""
    return list(referral_queryset(user=user).filter(account_id=account_id))
