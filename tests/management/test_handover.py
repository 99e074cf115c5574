"""The handover brief: what a new owner must know, scoped, with the personal-data rules; the new
owner is notified when the account changes hands."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import PersonalDataAccess
from accounts.services import account_update
from retention.models import Notification
from tests.factories import ContactFactory, InteractionFactory, TaskFactory, TenderFactory

pytestmark = pytest.mark.django_db


def _url(account):
    return reverse("management:handover", args=[account.pk])


def test_the_brief_shows_the_buying_centre_tasks_tenders_interactions_and_risks(client, kam, account):
    boss = ContactFactory(account=account, last_name="Boss", influence=5, attitude="sceptic")
    ContactFactory(account=account, last_name="Buyer", reports_to=boss, family="Two children")
    TaskFactory(owner=kam, account=account, title="Send the price list")
    TenderFactory(account=account, title="Framework 2027")
    for n in range(12):
        InteractionFactory(account=account, summary=f"Talk {n:02d}")
    client.force_login(kam)

    response = client.get(_url(account))

    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Boss", "Sceptic", "Two children", "Send the price list", "Framework 2027", "Health score"):
        assert text in page, text
    assert len(response.context["brief"].interactions) == 10
    assert PersonalDataAccess.objects.filter(user=kam, contacts__last_name="Buyer").exists()


def test_an_analyst_sees_no_personal_fields_and_nothing_is_logged(client, analyst, account):
    ContactFactory(account=account, family="Two children")
    client.force_login(analyst)
    page = client.get(_url(account)).content.decode()
    assert "Two children" not in page
    assert not PersonalDataAccess.objects.exists()


def test_a_foreign_account_answers_404(client, kam, foreign_account):
    client.force_login(kam)
    assert client.get(_url(foreign_account)).status_code == 404


def test_the_new_owner_is_notified_with_a_link_to_the_brief(head, teammate, account):
    account_update(account=account, by=head, owner=teammate)
    notification = Notification.objects.get(user=teammate)
    assert notification.url == _url(account) and account.name in notification.title


def test_no_notification_when_the_owner_stays_or_takes_it_themselves(kam, head, account):
    account_update(account=account, by=kam, name="Renamed")
    account_update(account=account, by=head, owner=head)
    assert not Notification.objects.exists()


def test_owner_changes_on_the_timeline_link_to_the_brief(client, head, teammate, account):
    account_update(account=account, by=head, owner=teammate)
    client.force_login(teammate)
    page = client.get(reverse("dossiers:timeline", args=[account.pk])).content.decode()
    assert f'href="{_url(account)}"' in page


def test_the_header_links_the_owner_to_the_brief(client, kam, account):
    client.force_login(kam)
    page = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert _url(account) in page
