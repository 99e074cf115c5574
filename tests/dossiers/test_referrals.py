"""Referrals and recommendation letters: the services' rules, the API (scope, 409, uploads checked),
the pages that show them and the referrals report over what the user sees."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Account, LeadSource
from dossiers import services
from dossiers.models import Interaction, RecommendationLetter, Referral
from dossiers.referrals import referral_report
from sales.services import sales_lines_bulk_import
from tests.factories import AccountFactory, ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def prospect(kam, department):
    return AccountFactory(
        name="Fjord Foundry", owner=kam, department=department, status=Account.Status.PROSPECT
    )


@pytest.fixture
def referrer(contact):
    """A contact of the KAM's customer `account`."""
    return contact


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def refer(prospect, referrer, by, **fields):
    return services.referral_create(
        account=prospect,
        referrer=referrer,
        by=by,
        referred_on=fields.pop("referred_on", dt.date(2026, 2, 1)),
        **fields,
    )


def test_a_referral_files_the_prospect_under_the_referral_source(kam, prospect, referrer):
    refer(prospect, referrer, kam, referrer_called=True, called_on=dt.date(2026, 2, 3))

    prospect.refresh_from_db()
    assert prospect.lead_source.code == LeadSource.REFERRAL
    assert prospect.version == 2  # an edit opened before is stale


def test_a_referral_needs_a_prospect_and_a_customers_contact(kam, account, prospect, referrer, department):
    with pytest.raises(ValidationError) as not_prospect:
        refer(account, referrer, kam)
    assert "account" in not_prospect.value.message_dict
    other_prospect = AccountFactory(owner=kam, department=department, status=Account.Status.PROSPECT)
    with pytest.raises(ValidationError) as prospect_referrer:
        refer(prospect, ContactFactory(account=other_prospect), kam)
    assert "referrer" in prospect_referrer.value.message_dict
    with pytest.raises(ValidationError) as call_date:
        refer(prospect, referrer, kam, called_on=dt.date(2026, 2, 3))
    assert "called_on" in call_date.value.message_dict
    assert not Referral.objects.exists()


def test_the_api_creates_a_referral_and_refuses_a_stale_edit_with_409(kam, prospect, referrer):
    api = client_for(kam)
    created = api.post(
        "/api/v1/referrals/",
        {
            "account": prospect.pk,
            "referrer": referrer.pk,
            "referred_on": "2026-02-01",
            "referrer_called": True,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["referrer_account"], body["outcome"], body["version"]) == (referrer.account_id, "pending", 1)

    moved = api.patch(f"/api/v1/referrals/{body['id']}/", {"outcome": "meeting_held", "version": 1})
    assert moved.status_code == 200, moved.json()
    stale = api.patch(f"/api/v1/referrals/{body['id']}/", {"outcome": "lost", "version": 1})
    assert stale.status_code == 409
    assert Referral.objects.get().outcome == "meeting_held"


def test_the_api_hides_referrals_of_prospects_one_cannot_see(
    kam, outsider, prospect, referrer, foreign_contact
):
    referral = refer(prospect, referrer, kam)
    assert client_for(outsider).get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
    answer = client_for(kam).post(
        "/api/v1/referrals/",
        {"account": prospect.pk, "referrer": foreign_contact.pk, "referred_on": "2026-02-01"},
        format="json",
    )
    assert answer.status_code == 400
    assert "referrer" in answer.json()


def test_the_api_filters_referrals_by_outcome(kam, prospect, referrer):
    refer(prospect, referrer, kam, outcome="won")
    api = client_for(kam)
    assert api.get("/api/v1/referrals/?outcome=won").json()["count"] == 1
    assert api.get("/api/v1/referrals/?outcome=lost").json()["count"] == 0
    assert api.get("/api/v1/referrals/?outcome=maybe").status_code == 400


def test_a_letter_is_uploaded_checked_and_downloaded_by_those_who_see_the_account(
    client, kam, outsider, account, contact
):
    delivery = InteractionFactory(account=account, kind=Interaction.Kind.DELIVERY)
    api = client_for(kam)
    fake = SimpleUploadedFile("letter.pdf", b"MZ not a pdf", content_type="application/pdf")
    refused = api.post(
        "/api/v1/recommendation-letters/",
        {"account": account.pk, "received_on": "2026-03-01", "file": fake},
        format="multipart",
    )
    assert refused.status_code == 400
    assert "file" in refused.json()
    letter = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    created = api.post(
        "/api/v1/recommendation-letters/",
        {
            "account": account.pk,
            "contact": contact.pk,
            "delivery": delivery.pk,
            "received_on": "2026-03-01",
            "file": letter,
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    url = created.json()["download_url"]

    client.force_login(kam)
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_letter_names_a_delivery_of_its_own_account(kam, account, foreign_account):
    call = InteractionFactory(account=account, kind=Interaction.Kind.CALL)
    with pytest.raises(ValidationError) as error:
        services.letter_create(account=account, by=kam, received_on=dt.date(2026, 3, 1), delivery=call)
    assert "delivery" in error.value.message_dict
    assert not RecommendationLetter.objects.exists()


def test_the_pages_show_who_referred_the_prospect_and_what_the_contact_referred(
    client, kam, prospect, referrer
):
    refer(prospect, referrer, kam, referrer_called=True)
    client.force_login(kam)

    prospect_page = client.get(f"/accounts/{prospect.pk}/").content.decode()
    assert "Referred by" in prospect_page and referrer.full_name in prospect_page
    contact_page = client.get(referrer.get_absolute_url()).content.decode()
    assert "Referrals given" in contact_page and "Fjord Foundry" in contact_page


def test_the_referral_form_records_a_referral(client, kam, prospect, referrer):
    client.force_login(kam)
    url = f"/accounts/{prospect.pk}/referrals/new/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"referrer": referrer.pk, "referred_on": "2026-02-01", "outcome": "pending"})
    assert response.status_code == 302
    assert Referral.objects.get().referrer == referrer


def test_the_report_counts_revenue_since_the_referral_over_visible_prospects(
    kam, outsider, admin_user, prospect, referrer, foreign_account
):
    refer(prospect, referrer, kam, referred_on=dt.date(2026, 2, 1), outcome="won")
    lines = [
        {"account_external_id": prospect.external_id, "date": d, "amount": amount, "line_external_id": d}
        for d, amount in (("2026-01-15", "70.00"), ("2026-02-01", "100.00"), ("2026-03-10", "250.50"))
    ]
    sales_lines_bulk_import(by=admin_user, lines=lines)

    report = referral_report(user=kam)
    assert [(row.referrer, len(row.referrals), row.won) for row in report.rows] == [(referrer, 1, 1)]
    assert report.revenue_won == Decimal("350.50")  # the line before the referral is not counted
    assert referral_report(user=outsider).rows == []


def test_the_report_page_lists_the_referrers(client, kam, prospect, referrer):
    refer(prospect, referrer, kam)
    client.force_login(kam)
    page = client.get("/management/referrals/")
    assert page.status_code == 200
    assert referrer.full_name in page.content.decode()
    assert client.get("/management/referrals/?referred_after=someday").status_code == 400


def test_the_letter_page_stores_a_pdf_and_refuses_another_file_next_to_the_field(
    client, kam, account, contact
):
    client.force_login(kam)
    url = f"/accounts/{account.pk}/recommendation-letters/new/"
    text = SimpleUploadedFile("letter.pdf", b"hello", content_type="application/pdf")
    refused = client.post(url, {"received_on": "2026-03-01", "file": text})
    assert refused.status_code == 400
    assert "PDF, PNG or JPEG" in refused.content.decode()
    pdf = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    saved = client.post(url, {"received_on": "2026-03-01", "contact": contact.pk, "file": pdf})
    assert saved.status_code == 302
    letter = RecommendationLetter.objects.get()
    assert letter.file.read() == PDF
