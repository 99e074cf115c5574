"""An account's lead source: set in the API and on the account form, shown on the account page."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import LeadSource

pytestmark = pytest.mark.django_db


@pytest.fixture
def exhibition(db):
    return LeadSource.objects.create(code="exhibition", name="Exhibition", position=3)


def test_the_api_sets_and_reads_the_lead_source(kam, account, exhibition):
    api = APIClient()
    api.force_authenticate(kam)
    response = api.patch(
        f"/api/v1/accounts/{account.pk}/",
        {"lead_source": exhibition.pk, "version": account.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["lead_source"] == exhibition.pk
    account.refresh_from_db()
    assert account.lead_source == exhibition


def test_the_account_form_offers_the_sources_and_the_page_shows_it(client, kam, account, exhibition):
    client.force_login(kam)
    form = client.get(f"/accounts/{account.pk}/edit/").content.decode()
    assert 'name="lead_source"' in form and "Exhibition" in form
    account.lead_source = exhibition
    account.save()
    page = client.get(f"/accounts/{account.pk}/").content.decode()
    assert "Exhibition" in page


def test_the_account_form_offers_only_sources_still_in_use_but_keeps_an_accounts_own(kam, account):
    from accounts.forms import AccountForm
    from accounts.models import LeadSource

    retired = LeadSource.objects.create(code="fair-2019", name="Fair 2019", is_active=False)
    current = LeadSource.objects.create(code="webinar", name="Webinar")
    offered = AccountForm(user=kam).fields["lead_source"].queryset
    assert retired not in offered and current in offered
    account.lead_source = retired
    account.save(update_fields=["lead_source"])
    assert retired in AccountForm(instance=account, user=kam).fields["lead_source"].queryset
