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
    services.profile_update(account=account, by=kam, description="Steel")
    TenderFactory(account=account, status="preparing")
    TenderFactory(account=account, status="lost")
    summary = selectors.dossier_summary(user=kam, account=account)
    assert summary.profile.description == "Steel"
    assert [t.status for t in summary.open_tenders] == ["preparing"]
    assert [w.code for w in summary.warnings] == ["no_decision_maker", "no_financial_approver"]


def test_the_dossier_summary_of_an_invisible_account_is_404(outsider, account):
    with pytest.raises(Http404):
        selectors.dossier_summary(user=outsider, account=account)


# --- home reminders: birthdays ---


def upcoming(user, today):
    contacts = selectors.upcoming_birthdays(user=user, today=today)
    return [(b.contact, b.on) for b in selectors.birthdays_of(contacts, today)]


@pytest.mark.parametrize(
    ("born", "today", "expected"),
    [
        (dt.date(1980, 1, 3), dt.date(2026, 12, 28), dt.date(2027, 1, 3)),  # across the new year
        (dt.date(1980, 2, 29), dt.date(2027, 2, 20), dt.date(2027, 3, 1)),  # a leap-day birthday
        (dt.date(1980, 2, 29), dt.date(2028, 2, 20), dt.date(2028, 2, 29)),  # ... in a leap year
        (dt.date(1975, 6, 1), dt.date(2026, 6, 1), dt.date(2026, 6, 1)),  # today
        (dt.date(1975, 6, 15), dt.date(2026, 6, 1), dt.date(2026, 6, 15)),  # the 14th day
    ],
    ids=["new-year", "leap-day", "leap-day-in-a-leap-year", "today", "last-day"],
)
def test_a_birthday_in_the_next_14_days_is_dated_this_year_or_next(kam, account, born, today, expected):
    contact = ContactFactory(account=account, birthday=born)
    assert upcoming(kam, today) == [(contact, expected)]


def test_a_birthday_15_days_away_is_not_listed(kam, account):
    ContactFactory(account=account, birthday=dt.date(1980, 7, 16))
    assert upcoming(kam, dt.date(2026, 7, 1)) == []


def test_a_leap_day_birthday_is_not_moved_to_1_march_in_a_leap_year(kam, account):
    ContactFactory(account=account, birthday=dt.date(1980, 2, 29))
    assert upcoming(kam, dt.date(2028, 3, 1)) == []


def test_birthdays_are_sorted_by_day_then_by_name(kam, account, foreign_account):
    zed = ContactFactory(account=account, last_name="Zed", birthday=dt.date(1970, 3, 1))
    leap = ContactFactory(account=account, last_name="Leap", birthday=dt.date(1980, 2, 29))
    abel = ContactFactory(account=account, last_name="Abel", birthday=dt.date(1990, 3, 2))
    feb = ContactFactory(account=account, last_name="Feb", birthday=dt.date(1990, 2, 28))
    ContactFactory(account=foreign_account, birthday=dt.date(1990, 3, 1))
    ContactFactory(account=account, birthday=None)

    assert upcoming(kam, dt.date(2027, 2, 27)) == [
        (feb, dt.date(2027, 2, 28)),
        (leap, dt.date(2027, 3, 1)),
        (zed, dt.date(2027, 3, 1)),
        (abel, dt.date(2027, 3, 2)),
    ]


def test_an_analyst_gets_no_birthdays_without_a_query(analyst, account, django_assert_num_queries):
    ContactFactory(account=account, birthday=dt.date(1980, 7, 2))
    with django_assert_num_queries(0):
        assert upcoming(analyst, dt.date(2026, 7, 1)) == []


def test_birthdays_after_new_year_come_after_those_of_december(kam, account):
    january = ContactFactory(account=account, last_name="Aalto", birthday=dt.date(1980, 1, 2))
    december = ContactFactory(account=account, last_name="Zed", birthday=dt.date(1980, 12, 30))
    assert upcoming(kam, dt.date(2026, 12, 25)) == [
        (december, dt.date(2026, 12, 30)),
        (january, dt.date(2027, 1, 2)),
    ]
