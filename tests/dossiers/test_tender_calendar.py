"""The tender calendar: a month grid (the locale's first weekday) or a list, of the visible tenders."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from dossiers.models import Tender, TenderMilestone
from dossiers.tender_calendar import first_weekday, tender_calendar
from tests.factories import TenderFactory

pytestmark = pytest.mark.django_db

URL = reverse("dossiers:tender-calendar")
MARCH = dt.date(2031, 3, 1)


def _day(response, day: dt.date):
    return next(d for week in response.context["calendar"].weeks for d in week if d.on == day)


def test_entries_sit_on_their_days_of_the_month_grid(client, kam, account):
    tender = TenderFactory(
        account=account,
        title="Framework supply",
        submission_on=dt.date(2031, 3, 12),
        decision_on=dt.date(2031, 3, 30),
    )
    TenderMilestone.objects.create(tender=tender, title="Map the buying centre", due_on=dt.date(2031, 3, 5))
    client.force_login(kam)

    response = client.get(URL, {"from": "2031-03"})

    assert response.status_code == 200
    assert [i["kind"] for i in _day(response, dt.date(2031, 3, 12)).items] == ["submission"]
    assert [i["kind"] for i in _day(response, dt.date(2031, 3, 30)).items] == ["decision"]
    assert [i["what"] for i in _day(response, dt.date(2031, 3, 5)).items] == ["Map the buying centre"]
    assert not _day(response, dt.date(2031, 3, 13)).items
    page = response.content.decode()
    assert 'data-day="2031-03-12"' in page and "Framework supply" in page
    assert page.count(account.name) == page.count("Framework supply")  # the account once per entry


def test_the_grid_starts_on_the_locales_first_weekday(client, kam):
    client.force_login(kam)
    with translation.override("ja"):  # FIRST_DAY_OF_WEEK 0: Sunday
        assert first_weekday() == 6
        weeks = tender_calendar(tenders=Tender.objects.none(), first=MARCH, today=MARCH).weeks
    assert weeks[0][0].on == dt.date(2031, 2, 23) and weeks[0][0].on.weekday() == 6
    assert all(len(week) == 7 for week in weeks) and weeks[-1][-1].on == dt.date(2031, 4, 5)
    with translation.override("en"):  # Monday
        assert first_weekday() == 0
        weeks = client.get(URL, {"from": "2031-03"}).context["calendar"].weeks
    assert weeks[0][0].on == dt.date(2031, 2, 24) and weeks[-1][-1].on == dt.date(2031, 4, 6)


def test_only_the_tenders_the_user_may_see(client, kam, account, foreign_account):
    TenderFactory(account=foreign_account, title="Not yours", submission_on=dt.date(2031, 3, 12))
    TenderFactory(account=account, title="Yours", submission_on=dt.date(2031, 3, 12))
    client.force_login(kam)

    response = client.get(URL, {"from": "2031-03"})

    titles = [i["tender"].title for i in _day(response, dt.date(2031, 3, 12)).items]
    assert titles == ["Yours"] and "Not yours" not in response.content.decode()


def test_previous_and_next_month_and_today(client, kam):
    client.force_login(kam)

    response = client.get(URL, {"from": "2031-01", "mine": "1"})

    assert (response.context["previous"], response.context["next"]) == ("2030-12", "2031-02")
    page = response.content.decode()
    assert "from=2030-12&amp;mine=1" in page and "from=2031-02&amp;mine=1" in page
    today = timezone.localdate()
    now = client.get(URL)
    assert now.context["first"] == today.replace(day=1)
    assert _day(now, today).on == today and 'aria-current="date"' in now.content.decode()


def test_the_list_view_is_kept_as_an_alternative(client, kam, account):
    TenderFactory(account=account, title="Listed", submission_on=dt.date(2031, 4, 2))
    client.force_login(kam)

    response = client.get(URL, {"from": "2031-03", "view": "list"})

    assert response.context["view"] == "list" and 'id="calendar-list"' in response.content.decode()
    listed = [[i["tender"].title for i in items] for _m, items in response.context["months"]]
    assert listed == [[], ["Listed"], []]


@pytest.mark.parametrize(
    "query", [{"from": "2031-13"}, {"from": "9999-12"}, {"from": "0001-01"}, {"from": "x"}, {"view": "week"}]
)
def test_a_bad_month_or_view_is_refused_not_a_server_error(client, kam, query):
    client.force_login(kam)

    response = client.get(URL, query)

    assert response.status_code == 400
    assert response.context["first"] == timezone.localdate().replace(day=1)


def test_a_milestone_not_done_after_its_day_is_overdue_on_the_calendar_and_the_tender(client, kam, account):
    today = timezone.localdate()
    submission = today + dt.timedelta(days=9)
    tender = TenderFactory(account=account, status=Tender.Status.PREPARING, submission_on=submission)
    late, done, due_today = (
        TenderMilestone.objects.create(tender=tender, title=title, due_on=on, done=finished)
        for title, on, finished in (
            ("Ask for the drawings", today - dt.timedelta(days=1), False),
            ("Visit the plant", today - dt.timedelta(days=3), True),
            ("Price the bill of materials", today, False),
        )
    )
    assert [m.is_overdue(today) for m in (late, done, due_today)] == [True, False, False]
    assert list(TenderMilestone.objects.overdue(today)) == [late]
    client.force_login(kam)

    calendar = client.get(URL)
    assert list(calendar.context["calendar"].overdue) == [late]
    page = client.get(reverse("dossiers:tender-detail", args=[tender.pk])).content.decode()
    titles = (late.title, done.title, due_today.title)
    assert [title for title in titles if "text-danger" in _row(page, title)] == [late.title]


def _row(page: str, text: str) -> str:
    at = page.index(text)
    return page[page.rindex("<li", 0, at) : at]
