"""Coverage warnings and the dossier summary."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from accounts.models import Contact
from dossiers import selectors, services
from tests.factories import ContactFactory, InteractionFactory, TenderFactory

pytestmark = pytest.mark.django_db


def codes(account):
    return [w.code for w in selectors.coverage_warnings(account)]


def test_an_empty_buying_centre_lacks_a_decision_maker_and_a_financial_approver(account):
    assert codes(account) == ["no_decision_maker", "no_financial_approver"]


def test_a_covered_buying_centre_has_no_warnings(account):
    ContactFactory(account=account, dmu_role=Contact.DmuRole.DECISION_MAKER)
    ContactFactory(account=account, dmu_role=Contact.DmuRole.FINANCIAL_APPROVER)
    assert codes(account) == []


def test_recent_interactions_through_a_single_contact_are_flagged(account):
    boss = ContactFactory(account=account, dmu_role=Contact.DmuRole.DECISION_MAKER)
    ContactFactory(account=account, dmu_role=Contact.DmuRole.FINANCIAL_APPROVER)
    for _ in range(2):
        InteractionFactory(account=account).contacts.set([boss])
    old = InteractionFactory(account=account, occurred_at=timezone.now() - dt.timedelta(days=200))
    old.contacts.set(list(account.contacts.all()))
    assert codes(account) == ["single_contact"]


def test_an_influential_opponent_is_flagged_but_a_weak_one_is_not(account):
    ContactFactory(account=account, attitude=Contact.Attitude.OPPONENT, influence=4, last_name="Strong")
    ContactFactory(account=account, attitude=Contact.Attitude.OPPONENT, influence=3, last_name="Weak")
    warnings = [w for w in selectors.coverage_warnings(account) if w.code == "influential_opponent"]
    assert len(warnings) == 1 and "Strong" in warnings[0].message


def test_the_dossier_summary_of_a_visible_account(kam, account):
    services.profile_update(account=account, by=kam, data={"description": "Steel"})
    TenderFactory(account=account, status="preparing")
    TenderFactory(account=account, status="lost")
    summary = selectors.dossier_summary(user=kam, account=account)
    assert summary.profile.description == "Steel"
    assert [t.status for t in summary.open_tenders] == ["preparing"]
    assert [w.code for w in summary.warnings] == ["no_decision_maker", "no_financial_approver"]


def test_the_dossier_summary_of_an_invisible_account_is_404(outsider, account):
    with pytest.raises(Http404):
        selectors.dossier_summary(user=outsider, account=account)
