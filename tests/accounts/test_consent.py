"""The consent register: recorded, withdrawn, and once withdrawn the personal fields are shown nowhere."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.consent import GIVEN, UNKNOWN, WITHDRAWN, consent_record, consent_state, consent_withdraw
from accounts.models import Contact, ContactConsent, PersonalDataAccess
from accounts.permissions import may_show_personal_data
from dossiers.selectors import upcoming_birthdays
from management.handover import personal_values
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def _withdrawn(contact: Contact, by) -> Contact:
    return consent_withdraw(contact=contact, withdrawn_on=TODAY, by=by)


def test_a_contact_without_any_record_is_unknown_and_still_shown_to_allowed_users(kam, account):
    legacy = ContactFactory(account=account, consent_given=False)
    assert consent_state(legacy) == UNKNOWN
    assert may_show_personal_data(kam, legacy)


def test_recording_a_consent_keeps_how_and_by_whom(kam, contact):
    consent = consent_record(contact=contact, given_on=TODAY, channel="email", note="Reply of 3 May", by=kam)
    contact.refresh_from_db()
    assert consent_state(contact) == GIVEN
    assert (contact.consent_given, contact.consent_date) == (True, TODAY)
    assert (consent.channel, consent.note, consent.recorded_by) == ("email", "Reply of 3 May", kam)


def test_a_consent_cannot_be_dated_in_the_future(kam, contact):
    with pytest.raises(ValidationError):
        consent_record(contact=contact, given_on=TODAY + dt.timedelta(days=1), channel="verbal", by=kam)
    assert not contact.consents.exists()


def test_withdrawal_closes_the_consent_in_force_and_a_new_consent_reopens(kam, contact):
    consent_record(contact=contact, given_on=TODAY - dt.timedelta(days=30), channel="written", by=kam)
    contact = _withdrawn(contact, kam)
    assert consent_state(contact) == WITHDRAWN
    assert contact.consents.get().withdrawn_on == TODAY
    assert not may_show_personal_data(kam, contact)
    consent_record(contact=contact, given_on=TODAY, channel="verbal", by=kam)
    contact.refresh_from_db()
    assert consent_state(contact) == GIVEN and may_show_personal_data(kam, contact)
    assert contact.consents.count() == 2


def test_a_withdrawal_without_a_record_leaves_one_of_unspecified_channel(kam, contact):
    contact = _withdrawn(contact, kam)
    (record,) = contact.consents.all()
    assert record.channel == ContactConsent.Channel.UNSPECIFIED
    assert record.withdrawn_on == TODAY and record.withdrawn_by == kam


def test_withdrawal_hides_the_personal_fields_on_the_contact_page(client, kam, contact):
    client.force_login(kam)
    url = reverse("accounts:contact", args=[contact.pk])
    assert "sailing" in client.get(url).content.decode()
    _withdrawn(contact, kam)
    before = PersonalDataAccess.objects.count()
    page = client.get(url).content.decode()
    assert "sailing" not in page and "married, two children" not in page
    assert "consent-withdrawn" in page
    assert PersonalDataAccess.objects.count() == before  # nothing shown, nothing logged


def test_withdrawal_hides_the_personal_fields_in_the_api(kam, contact):
    api = APIClient()
    api.force_authenticate(kam)
    url = f"/api/v1/contacts/{contact.pk}/"
    assert api.get(url).json()["hobbies"] == "sailing"
    _withdrawn(contact, kam)
    data = api.get(url).json()
    assert not set(Contact.PERSONAL_FIELDS) & set(data)
    assert data["consent_withdrawn_on"] == TODAY.isoformat()
    listed = api.get("/api/v1/contacts/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert all("hobbies" not in row for row in rows if row["id"] == contact.pk)


def test_withdrawal_keeps_the_personal_fields_out_of_the_edit_form(client, kam, contact):
    _withdrawn(contact, kam)
    client.force_login(kam)
    page = client.get(reverse("accounts:contact-edit", args=[contact.pk])).content.decode()
    assert 'name="hobbies"' not in page


def test_withdrawal_takes_the_contact_off_birthday_lists_and_briefs(kam, account):
    soon = TODAY + dt.timedelta(days=3)
    contact = ContactFactory(account=account, birthday=soon.replace(year=1980))
    assert contact in upcoming_birthdays(user=kam, today=TODAY)
    assert personal_values(contact)
    contact = _withdrawn(contact, kam)
    assert contact not in upcoming_birthdays(user=kam, today=TODAY)
    assert personal_values(contact) == []


def test_the_unknown_consent_notice_is_shown(client, kam, account):
    legacy = ContactFactory(account=account, consent_given=False)
    client.force_login(kam)
    page = client.get(reverse("accounts:contact", args=[legacy.pk])).content.decode()
    assert "consent-unknown" in page and "sailing" in page


def test_the_consent_page_records_and_withdraws(client, kam, contact):
    client.force_login(kam)
    url = reverse("accounts:contact-consent", args=[contact.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"given_on": TODAY.isoformat(), "channel": "written", "note": "Signed"})
    assert response.status_code == 302
    assert contact.consents.get().note == "Signed"
    withdraw = reverse("accounts:contact-consent-withdraw", args=[contact.pk])
    assert client.post(withdraw, {"withdrawn_on": "not a date"}).status_code == 400
    assert client.post(withdraw, {"withdrawn_on": TODAY.isoformat()}).status_code == 302
    contact.refresh_from_db()
    assert contact.consent_withdrawn_on == TODAY


def test_the_admin_site_hides_withdrawn_personal_fields(client, admin_user, kam, contact):
    _withdrawn(contact, kam)
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_contact_change", args=[contact.pk])).content.decode()
    assert 'name="hobbies"' not in page


def test_consents_ticked_before_the_register_become_its_first_records(account):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accounts.migrations.0011_contact_consent")
    ticked = ContactFactory(account=account, consent_given=True, consent_date=dt.date(2024, 5, 1))
    never = ContactFactory(account=account, consent_given=False)
    migration.carry_over_consents(apps, None)
    (record,) = ticked.consents.all()
    assert (record.given_on, record.channel) == (dt.date(2024, 5, 1), ContactConsent.Channel.UNSPECIFIED)
    assert not never.consents.exists() and consent_state(never) == UNKNOWN
