"""The admin site: the contact page writes the access log, which administrators read there."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import PersonalDataAccess

pytestmark = pytest.mark.django_db


def test_the_admin_contact_page_logs_one_admin_row(client, admin_user, contact):
    client.force_login(admin_user)
    assert client.get(reverse("admin:accounts_contact_change", args=[contact.pk])).status_code == 200
    log = PersonalDataAccess.objects.get()
    assert (log.user, list(log.contacts.all()), log.channel) == (admin_user, [contact], "admin")


def test_the_access_log_lists_one_row_per_view_with_the_number_of_contacts(
    client, admin_user, kam, contact, foreign_contact
):
    services.personal_data_access_log(user=kam, contacts=[contact, foreign_contact], channel="page")
    client.force_login(admin_user)

    response = client.get(reverse("admin:accounts_personaldataaccess_changelist"), {"q": "Virtanen"})

    [row] = response.context["cl"].result_list
    assert row.shown == 2
    assert '<td class="field-contacts_shown">2</td>' in response.content.decode()


def test_an_access_row_shows_the_contacts_it_listed(client, admin_user, kam, contact, foreign_contact):
    access = services.personal_data_access_log(user=kam, contacts=[contact, foreign_contact], channel="api")
    client.force_login(admin_user)
    page = client.get(reverse("admin:accounts_personaldataaccess_change", args=[access.pk])).content.decode()
    assert "Laura Virtanen" in page and "Olga Ivanova" in page
