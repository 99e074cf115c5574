"""The private calendar feed: what it holds, who it shows it to, and how its URL is turned off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.demo import seed_demo
from accounts.models import User
from dossiers.demo import load_demo_dossiers
from dossiers.models import MilestoneTemplate, Task, TenderMilestone
from management.calendar_feed.models import CalendarFeed
from management.calendar_feed.services import calendar_feed_issue, feed_token_hash
from proposals.models import FollowUpStep
from proposals.services import proposal_create
from tests.factories import InteractionFactory, TaskFactory, TenderFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


def fetch(client, token: str):
    return client.get(reverse("management:calendar-ics", kwargs={"token": token}))


def events_of(response) -> dict[str, dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_holds_tasks_tender_dates_follow_ups_and_meetings_of_the_user(client, kam, account):
    task = TaskFactory(owner=kam, account=account, title="Send the price list", due_on=TODAY + DAY * 3)
    tender = TenderFactory(
        account=account,
        title="Coils 2027",
        announced_on=TODAY,
        submission_on=TODAY + dt.timedelta(30),
        decision_on=TODAY + dt.timedelta(60),
    )
    milestone = TenderMilestone.objects.create(tender=tender, title="Samples", due_on=TODAY + DAY * 10)
    proposal = proposal_create(account=account, by=kam, title="Coil supply")
    step = FollowUpStep.objects.create(
        proposal=proposal, position=1, key="receipt", title="Confirm receipt", working_days=1,
        state="open", due_on=TODAY + dt.timedelta(2),
    )  # fmt: skip
    meeting = InteractionFactory(account=account, occurred_at=timezone.now() + dt.timedelta(days=5))
    meeting.users.add(kam)
    _feed, token = calendar_feed_issue(user=kam)

    events = events_of(fetch(client, token))

    assert set(events) == {
        f"task-{task.pk}@kam",
        f"tender-milestone-{milestone.pk}@kam",
        f"tender-submission-{tender.pk}@kam",
        f"tender-decision-{tender.pk}@kam",
        f"proposal-follow-up-{step.pk}@kam",
        f"meeting-{meeting.pk}@kam",
    }
    task_event = events[f"task-{task.pk}@kam"]
    assert str(task_event["SUMMARY"]) == "Send the price list · Nordic Steel"
    assert task_event.decoded("DTSTART") == task.due_on  # an all-day event
    assert str(task_event["URL"]).endswith(reverse("accounts:detail", kwargs={"pk": account.pk}))
    assert "LAST-MODIFIED" in task_event and "DESCRIPTION" in task_event
    assert isinstance(events[f"meeting-{meeting.pk}@kam"].decoded("DTSTART"), dt.datetime)


def test_the_calendar_is_named_after_the_user_and_asks_for_hourly_refreshes(client, kam):
    _feed, token = calendar_feed_issue(user=kam)
    calendar = Calendar.from_ical(fetch(client, token).content)
    assert str(calendar["X-WR-CALNAME"]).startswith("kam — ")
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT1H"
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT1H"


def test_what_the_user_cannot_see_or_does_not_own_stays_out(client, kam, account, foreign_account, teammate):
    foreign_tender = TenderFactory(account=foreign_account, submission_on=TODAY + dt.timedelta(30))
    foreign_task = TaskFactory(owner=foreign_account.owner, account=foreign_account)
    colleagues_task = TaskFactory(owner=teammate, account=account)
    done = TaskFactory(owner=kam, account=account, done=True, done_at=timezone.now())
    far_ahead = TaskFactory(owner=kam, due_on=TODAY + dt.timedelta(days=400))
    long_past = TaskFactory(owner=kam, due_on=TODAY - dt.timedelta(days=100))
    _feed, token = calendar_feed_issue(user=kam)

    uids = set(events_of(fetch(client, token)))

    assert f"tender-submission-{foreign_tender.pk}@kam" not in uids
    for task in (foreign_task, colleagues_task, done, far_ahead, long_past):
        assert f"task-{task.pk}@kam" not in uids


@pytest.mark.parametrize("token", ["unknown-token", ""])
def test_an_unknown_token_is_not_found(client, kam, token):
    calendar_feed_issue(user=kam)
    url = reverse("management:calendar-ics", kwargs={"token": token or "x"})
    assert client.get(url).status_code == 404


def test_a_revoked_feed_is_not_found(client, kam):
    _feed, token = calendar_feed_issue(user=kam)
    client.force_login(kam)
    assert client.post(reverse("management:calendar-feed-revoke")).status_code == 302
    client.logout()
    assert fetch(client, token).status_code == 404


def test_regenerating_turns_the_old_url_off_and_shows_the_new_one_once(client, kam):
    _feed, old = calendar_feed_issue(user=kam)
    client.force_login(kam)
    page = client.post(reverse("management:calendar-feed")).content.decode()
    new_feed = CalendarFeed.objects.active().get(user=kam)
    assert CalendarFeed.objects.filter(user=kam).count() == 2
    client.logout()
    assert fetch(client, old).status_code == 404
    new_url = page.split('id="new-feed-url" translate="no">')[1].split("<")[0]
    token = new_url.rsplit("/", 1)[1].removesuffix(".ics")
    assert feed_token_hash(token) == new_feed.token_hash and token not in new_feed.token_hash
    assert fetch(client, token).status_code == 200
    client.force_login(kam)
    assert token not in client.get(reverse("management:calendar-feed")).content.decode()


def test_a_fetch_is_recorded(client, kam):
    feed, token = calendar_feed_issue(user=kam)
    fetch(client, token)
    feed.refresh_from_db()
    assert feed.last_fetched_at is not None


def test_the_demo_feed_of_a_kam_holds_their_tasks_and_tender_milestones(client):
    MilestoneTemplate.objects.create(title="Samples to the client", days_before=30)  # the plan's one step
    seed_demo()
    load_demo_dossiers()
    window = (TODAY - dt.timedelta(days=90), TODAY + dt.timedelta(days=365))
    open_milestones = TenderMilestone.objects.filter(
        done=False, due_on__range=window, tender__status__in=("planned", "preparing")
    )
    owner = User.objects.get(pk=open_milestones.values_list("tender__account__owner", flat=True)[0])
    _feed, token = calendar_feed_issue(user=owner)

    uids = set(events_of(fetch(client, token)))

    tasks = Task.objects.filter(owner=owner, done=False, due_on__range=window, proposal_step__isnull=True)
    milestones = open_milestones.visible_to(owner)
    assert tasks.exists() and milestones.exists()
    assert {f"task-{pk}@kam" for pk in tasks.values_list("pk", flat=True)} <= uids
    assert {f"tender-milestone-{pk}@kam" for pk in milestones.values_list("pk", flat=True)} <= uids
    others = Task.objects.exclude(owner=owner).values_list("pk", flat=True)
    assert not {f"task-{pk}@kam" for pk in others} & uids
    invisible = TenderMilestone.objects.exclude(pk__in=milestones.values("pk")).values_list("pk", flat=True)
    assert not {f"tender-milestone-{pk}@kam" for pk in invisible} & uids


def test_the_feed_costs_the_same_queries_however_many_events_it_holds(
    client, kam, account, django_assert_num_queries
):
    for n in range(3):
        tender = TenderFactory(account=account, announced_on=TODAY, submission_on=TODAY + DAY * (20 + n))
        TenderMilestone.objects.create(tender=tender, title=f"Step {n}", due_on=TODAY + DAY * (5 + n))
        TaskFactory(owner=kam, account=account)
    _feed, token = calendar_feed_issue(user=kam)
    # The feed by its token, its fetch time, the accounts the user sees (once, when they are kept in
    # the shared cache; a subquery without it), then one query each for tasks, milestones, tenders,
    # follow-up steps and meetings.
    with django_assert_num_queries(8 if settings.REDIS_URL else 7):
        assert len(events_of(fetch(client, token))) == 9


def test_a_calendar_app_may_probe_the_feed_with_head_but_not_write_to_it(client, kam):
    _feed, token = calendar_feed_issue(user=kam)
    url = reverse("management:calendar-ics", kwargs={"token": token})
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


def test_an_admin_revokes_a_leaked_feed_in_the_admin(client, kam, admin_user):
    feed, token = calendar_feed_issue(user=kam)
    client.force_login(admin_user)
    assert client.get(reverse("admin:management_calendarfeed_changelist")).status_code == 200
    response = client.post(
        reverse("admin:management_calendarfeed_changelist"),
        {"action": "revoke", "_selected_action": [feed.pk]},
        follow=True,
    )
    assert "1 feed revoked." in response.content.decode()
    client.logout()
    assert client.get(reverse("management:calendar-ics", kwargs={"token": token})).status_code == 404
