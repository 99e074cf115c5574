"""E-mail digests: who gets which, in their language, over what they see; once a day; unsubscribing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from celery.schedules import crontab
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Account, PersonalDataAccess, User
from management.digests.kinds import DAILY, WEEKLY, kinds_for
from management.digests.render import digest_render
from management.digests.services import digest_send, digests_send
from management.digests.tokens import unsubscribe_token
from management.tasks import send_daily_digests, send_weekly_digests
from proposals.models import Proposal
from proposals.services import proposal_create
from tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def kam_news(kam, outsider, account, foreign_account, contact):
    """An overdue task of the KAM; the KAM's and a foreign account at risk; a birthday this week."""
    TaskFactory(
        owner=kam, account=account, title="Call Laura about the coils", due_on=today() - dt.timedelta(days=2)
    )
    TaskFactory(owner=outsider, account=foreign_account, title="Foreign errand", due_on=today())
    Account.objects.filter(pk__in=[account.pk, foreign_account.pk]).update(status=Account.Status.AT_RISK)
    contact.birthday = today().replace(year=1980) + dt.timedelta(days=0)
    contact.save()
    return kam


@pytest.fixture
def approval(account, kam):
    proposal = proposal_create(account=account, by=kam, title="Coils 2027")
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.IN_APPROVAL)
    return proposal


def html_of(message) -> str:
    return message.alternatives[0][0]


def test_each_role_receives_its_own_digest(kam, head, analyst, admin_user):
    assert kinds_for(kam) == [DAILY]
    assert kinds_for(head) == [WEEKLY]
    assert kinds_for(analyst) == kinds_for(admin_user) == []


@pytest.mark.parametrize(("language", "at_risk"), [("en", "At risk"), ("fi", "Riskissä")])
def test_kam_daily_digest_in_the_kams_language_over_their_accounts(kam_news, mailoutbox, language, at_risk):
    kam_news.language = language
    kam_news.save()
    assert digest_send(user=kam_news, kind=DAILY, today=today()) is True
    [message] = mailoutbox
    html = html_of(message)
    assert f'<html lang="{language}">' in html
    with translation.override(language):
        assert date_format(today(), "SHORT_DATE_FORMAT") in message.subject
    for part in (html, message.body):
        assert "Call Laura about the coils" in part
        assert "Nordic Steel" in part
        assert at_risk in part
        assert "Virtanen" in part  # the birthday
        assert "Foreign errand" not in part
        assert "Baltic Foods" not in part
    assert message.to == [kam_news.email]


def test_birthdays_in_a_digest_are_logged_as_personal_data_access(kam_news, contact, mailoutbox):
    digest_send(user=kam_news, kind=DAILY, today=today())
    access = PersonalDataAccess.objects.get(user=kam_news)
    assert list(access.contacts.all()) == [contact]


@pytest.mark.parametrize(("language", "status"), [("en", "In approval"), ("fi", "Hyväksyttävänä")])
def test_head_weekly_digest_lists_approvals_of_their_departments(
    head, other_head, approval, mailoutbox, language, status
):
    head.language = language
    head.save()
    assert digests_send(kind=WEEKLY, today=today()) == 1  # the other head sees nothing to report
    [message] = mailoutbox
    assert message.to == [head.email]
    html = html_of(message)
    assert f'<html lang="{language}">' in html
    assert "Coils 2027" in html and status in html
    assert "Coils 2027" in message.body


def test_empty_digest_is_not_sent(kam, head, analyst, admin_user, mailoutbox):
    assert digests_send(kind=DAILY, today=today()) == 0
    assert digests_send(kind=WEEKLY, today=today()) == 0
    assert mailoutbox == []


def test_the_beat_job_sends_once_a_day(kam_news, mailoutbox):
    # The owner (task, account at risk), the teammate (the birthday), the outsider (a task due today).
    assert send_daily_digests() == 3
    assert send_daily_digests() == 0
    assert len(mailoutbox) == 3
    assert digest_send(user=kam_news, kind=DAILY, today=today() + dt.timedelta(days=1)) is True


def test_unsubscribe_link_works_without_signing_in_and_stops_the_next_digest(kam_news, client, mailoutbox):
    digest_send(user=kam_news, kind=DAILY, today=today())
    url = reverse(
        "management:digest-unsubscribe", kwargs={"token": unsubscribe_token(user_id=kam_news.pk, kind=DAILY)}
    )
    assert re.search(rf"http://\S+{re.escape(url)}", mailoutbox[0].body)
    assert 'href="http://' in html_of(mailoutbox[0]) and url in html_of(mailoutbox[0])
    confirm = client.get(url)
    assert confirm.status_code == 200
    # Not "no-referrer": with it browsers send "Origin: null" and the CSRF check refuses the POST.
    assert confirm["Referrer-Policy"] == "same-origin"
    assert kam_news.digest_subscription.daily is True  # a GET (a link checker) changes nothing
    assert client.post(url).status_code == 200
    kam_news.digest_subscription.refresh_from_db()
    assert kam_news.digest_subscription.daily is False
    assert digest_send(user=kam_news, kind=DAILY, today=today() + dt.timedelta(days=1)) is False
    assert len(mailoutbox) == 1


def test_a_forged_unsubscribe_link_is_refused(kam, client):
    url = reverse("management:digest-unsubscribe", kwargs={"token": "not-a-token"})
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_preview_shows_the_next_digest_and_the_subscription(kam_news, client):
    client.force_login(kam_news)
    page = client.get(reverse("management:digest-preview"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Call Laura about the coils" in content
    assert "Subscribed" in content
    text = client.get(reverse("management:digest-preview-text", kwargs={"kind": DAILY}))
    assert text.status_code == 200 and "Call Laura about the coils" in text.content.decode()
    assert client.get(reverse("management:digest-preview-text", kwargs={"kind": WEEKLY})).status_code == 404


def test_analyst_preview_says_no_digest_is_sent(analyst, client):
    client.force_login(analyst)
    page = client.get(reverse("management:digest-preview"))
    assert page.status_code == 200 and "No digest is sent to you" in page.content.decode()


def test_rendering_does_not_send(kam_news, mailoutbox):
    mail = digest_render(user=kam_news, kind=DAILY, today=today())
    assert not mail.is_empty and mailoutbox == []
    assert User.objects.get(pk=kam_news.pk).language == kam_news.language


def test_the_digests_are_scheduled_daily_for_kams_and_on_monday_for_heads(settings):
    daily = settings.CELERY_BEAT_SCHEDULE["daily-kam-digest"]
    weekly = settings.CELERY_BEAT_SCHEDULE["weekly-head-digest"]
    assert daily == {"task": send_daily_digests.name, "schedule": crontab(hour=6, minute=30)}
    assert weekly == {
        "task": send_weekly_digests.name,
        "schedule": crontab(hour=7, minute=0, day_of_week="mon"),
    }


def test_preview_shows_an_unsubscribed_digest_as_such(kam_news, client):
    client.post(
        reverse(
            "management:digest-unsubscribe",
            kwargs={"token": unsubscribe_token(user_id=kam_news.pk, kind=DAILY)},
        )
    )
    client.force_login(kam_news)
    content = client.get(reverse("management:digest-preview")).content.decode()
    assert "Unsubscribed" in content and "Call Laura about the coils" in content


def test_a_head_sees_only_their_departments_news(head, other_head, approval):
    theirs = digest_render(user=head, kind=WEEKLY, today=today())
    others = digest_render(user=other_head, kind=WEEKLY, today=today())
    assert "Coils 2027" in theirs.html
    assert "Coils 2027" not in others.html and others.is_empty
