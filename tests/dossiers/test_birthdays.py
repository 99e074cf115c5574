"""The home page's birthday card and the birthdays page: what they show, to whom, and the one
personal-data access row each view writes."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import PersonalDataAccess
from dossiers.selectors import HOME_BIRTHDAYS
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db

PAGE_URL = reverse("dossiers:birthdays")


def birthday_in(days, **kwargs):
    day = timezone.localdate() + dt.timedelta(days=days)
    return ContactFactory(birthday=day.replace(year=1980), **kwargs)


def logged(user):
    """The access rows of `user`, oldest first, as (channel, action, contacts shown)."""
    rows = PersonalDataAccess.objects.filter(user=user).order_by("pk").prefetch_related("contacts")
    return [(r.channel, r.action, set(r.contacts.all())) for r in rows]


def test_the_card_shows_the_next_birthdays_and_logs_one_row_for_them(client, kam, account, foreign_account):
    soon = birthday_in(3, account=account, first_name="Soon", last_name="Born")
    birthday_in(20, account=account, first_name="Later", last_name="Born")
    birthday_in(2, account=foreign_account, first_name="Foreign", last_name="Born")
    client.force_login(kam)

    page = client.get(reverse("home")).content.decode()

    assert "Soon Born" in page and "Later Born" not in page and "Foreign Born" not in page
    assert f'href="{PAGE_URL}">See all (1)</a>' in page
    assert logged(kam) == [("page", "view", {soon})]
    client.get(reverse("home"))
    assert logged(kam) == [("page", "view", {soon})] * 2  # one row per view


def test_the_card_shows_the_first_five_and_links_to_all(client, kam, account):
    contacts = [birthday_in(day, account=account) for day in range(8)]
    client.force_login(kam)

    response = client.get(reverse("home"))

    shown = [b.contact for b in response.context["agenda"].birthdays]
    assert shown == contacts[:HOME_BIRTHDAYS] and HOME_BIRTHDAYS == 5
    assert f'href="{PAGE_URL}">See all (8)</a>' in response.content.decode()
    assert logged(kam) == [("page", "view", set(contacts[:HOME_BIRTHDAYS]))]


def test_without_birthdays_there_is_no_card_and_nothing_is_logged(client, kam, account):
    birthday_in(30, account=account)
    client.force_login(kam)
    assert 'id="birthdays"' not in client.get(reverse("home")).content.decode()
    assert not PersonalDataAccess.objects.exists()


def test_the_page_lists_them_by_day_then_name_25_at_a_time(client, head, department):
    account = AccountFactory(department=department)
    days = {birthday_in(n % 15, account=account, last_name=f"Name {n:02}"): n % 15 for n in range(30)}
    expected = sorted(days, key=lambda c: (days[c], c.last_name))
    client.force_login(head)

    first = client.get(PAGE_URL)
    second = client.get(PAGE_URL, {"page": 2})

    assert [b.contact for b in first.context["birthdays"]] == expected[:25]
    assert [b.contact for b in second.context["birthdays"]] == expected[25:]
    assert first.context["page"].paginator.count == 30
    assert "1\u201325 of 30" in first.content.decode()  # an en dash
    assert logged(head) == [("page", "view", set(expected[:25])), ("page", "view", set(expected[25:]))]


def test_the_page_shows_the_coming_date_and_only_visible_contacts(client, kam, account, foreign_account):
    soon = birthday_in(1, account=account, first_name="Soon", last_name="Born")
    birthday_in(1, account=foreign_account, first_name="Foreign", last_name="Born")
    client.force_login(kam)

    response = client.get(PAGE_URL)

    [row] = response.context["birthdays"]
    assert (row.contact, row.on) == (soon, timezone.localdate() + dt.timedelta(days=1))
    assert "Foreign Born" not in response.content.decode()


def test_an_analyst_sees_no_birthdays_and_nothing_is_logged(client, analyst, account):
    birthday_in(1, account=account, first_name="Soon", last_name="Born")
    client.force_login(analyst)

    home = client.get(reverse("home"))
    page = client.get(PAGE_URL)

    assert home.context["agenda"].birthdays == [] and 'id="birthdays"' not in home.content.decode()
    assert page.status_code == 200 and page.context["birthdays"] == []
    assert "Soon Born" not in page.content.decode()
    assert "Birthdays are personal data" in page.content.decode()
    assert not PersonalDataAccess.objects.exists()


# The home page of a head, whatever the number of birthdays in the window (five or more):
# 1. the session
# 2. the logged-in user
# 3. the visible accounts counted by status
# (the department's KAMs: none here, so no scorecard figures; their queries are pinned in
#  tests/management/test_scorecards.py)
# 4. the head's own open tasks due in the next 14 days
# 5. the tender milestones of the next 30 days
# 6. the profile reviews due
# 7. the first five birthdays (LIMIT 5), account joined
# 8. COUNT(*) of the birthdays of the next 14 days, for "See all (N)"
# 9. INSERT of the access-log row
# 10. INSERT of the contacts it lists (one statement)
# 11. the head's own overdue commitments to clients (LIMIT 5; counted only when five are shown)
# 12. the proposals awaiting the head's approval
# 13. the proposal policy in force
# 14. the proposals expiring soon
# 15. the latest analysis run (drifting accounts)
# 16. the department's KAMs, for their scorecards (the head's home lists no accounts of their own)
# 17. the latest complete run, for the desk's mono-dependency alert
# 18-19. the strategic share of the head's customers against the policy's cap (its count, the policy)
# 20-23. the department's quarter (sales.plan_selectors.plan_rows): the head's departments, their
#     plans, their accounts' revenue to date and last year's, the season
HOME_QUERIES = 23


@pytest.mark.parametrize("n", [10, 200])
def test_the_home_page_runs_the_same_queries_for_10_and_200_birthdays(
    client, head, department, n, django_assert_num_queries
):
    accounts = AccountFactory.create_batch(10, department=department)
    for i in range(n):
        birthday_in(i % 15, account=accounts[i % 10])
    client.force_login(head)

    with django_assert_num_queries(HOME_QUERIES):
        response = client.get(reverse("home"))

    assert response.context["agenda"].birthdays_total == n
    assert [len(c) for _, _, c in logged(head)] == [HOME_BIRTHDAYS]
