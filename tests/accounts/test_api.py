"""API v1 for accounts and contacts: same rules as the pages."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from accounts.models import Account, Contact, PersonalDataAccess
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_kam_lists_only_their_accounts(kam, account, subsidiary, foreign_account):
    response = client_for(kam).get("/api/v1/accounts/")
    assert response.status_code == 200
    assert {row["name"] for row in response.json()["results"]} == {"Nordic Steel", "Nordic Steel Logistics"}


def test_a_foreign_account_is_404(kam, foreign_account):
    assert client_for(kam).get(f"/api/v1/accounts/{foreign_account.pk}/").status_code == 404
    assert client_for(kam).patch(f"/api/v1/accounts/{foreign_account.pk}/", {"name": "x"}).status_code == 404


def test_filters_apply_within_visibility(kam, account, foreign_account):
    response = client_for(kam).get("/api/v1/accounts/", {"q": "Baltic"})
    assert response.json()["count"] == 0
    response = client_for(kam).get("/api/v1/accounts/", {"external_id": "00017"})
    assert [row["external_id"] for row in response.json()["results"]] == ["00017"]


def test_create_account_sets_owner_and_keeps_external_id(kam):
    response = client_for(kam).post("/api/v1/accounts/", {"name": "Vega Motors", "external_id": "007"})
    assert response.status_code == 201, response.json()
    assert response.json()["owner"] == kam.pk
    assert response.json()["external_id"] == "007"


def test_duplicate_external_id_is_a_clear_400(kam, account):
    response = client_for(kam).post("/api/v1/accounts/", {"name": "Copy", "external_id": "00017"})
    assert response.status_code == 400
    assert "external id 00017 already exists" in str(response.json())
    assert not Account.objects.filter(name="Copy").exists()


def test_cycle_is_a_clear_400(kam, account, subsidiary):
    response = client_for(kam).patch(f"/api/v1/accounts/{account.pk}/", {"parent": subsidiary.pk})
    assert response.status_code == 400
    assert "own ancestor" in response.json()["parent"][0]
    account.refresh_from_db()
    assert account.parent_id is None


def test_a_foreign_parent_does_not_exist_for_the_caller(kam, account, foreign_account):
    response = client_for(kam).patch(f"/api/v1/accounts/{account.pk}/", {"parent": foreign_account.pk})
    assert response.status_code == 400
    assert "does not exist" in response.json()["parent"][0]


def test_stale_update_is_409(kam, account):
    client = client_for(kam)
    assert client.patch(f"/api/v1/accounts/{account.pk}/", {"industry": "A", "version": 1}).status_code == 200
    response = client.patch(f"/api/v1/accounts/{account.pk}/", {"industry": "B", "version": 1})
    assert response.status_code == 409
    assert "changed by someone else" in response.json()["version"][0]


@pytest.mark.parametrize("size", ["501", "0", "-1", "lots"])
def test_page_size_outside_1_to_500_is_a_clear_400(kam, account, size):
    response = client_for(kam).get("/api/v1/accounts/", {"page_size": size})
    assert response.status_code == 400
    assert "from 1 to 500" in response.json()["page_size"][0]


def test_page_size_is_honoured(kam, department):
    AccountFactory.create_batch(7, owner=kam, department=department)
    body = client_for(kam).get("/api/v1/accounts/", {"page_size": 5}).json()
    assert (body["count"], len(body["results"])) == (7, 5)


def test_analyst_reads_contacts_without_personal_fields(analyst, contact):
    body = client_for(analyst).get(f"/api/v1/contacts/{contact.pk}/").json()
    assert body["last_name"] == "Virtanen"
    assert not {"birthday", "family", "hobbies", "values", "private_phone"} & body.keys()
    assert not PersonalDataAccess.objects.exists()


def test_analyst_cannot_write(analyst, account):
    response = client_for(analyst).patch(f"/api/v1/accounts/{account.pk}/", {"name": "x"})
    assert response.status_code == 403


def test_owner_sees_personal_fields_and_the_view_is_logged(kam, contact):
    body = client_for(kam).get(f"/api/v1/contacts/{contact.pk}/").json()
    assert body["hobbies"] == "sailing"
    log = PersonalDataAccess.objects.get()
    assert (log.user, list(log.contacts.all()), log.channel, log.action) == (kam, [contact], "api", "view")


def test_contact_list_logs_one_row_per_response_listing_the_contacts_shown(head, contact, foreign_contact):
    client_for(head).get("/api/v1/contacts/")
    client_for(head).get("/api/v1/contacts/", {"page_size": 1})
    first, second = PersonalDataAccess.objects.filter(user=head).order_by("pk")
    assert set(first.contacts.all()) == {contact, foreign_contact}
    assert second.contacts.count() == 1


def test_malformed_email_is_a_clear_400_and_nothing_is_written(kam, account):
    payload = {"account": account.pk, "first_name": "X", "last_name": "Y", "email": "nope"}
    response = client_for(kam).post("/api/v1/contacts/", payload)
    assert response.status_code == 400
    assert "email" in response.json()
    assert not Contact.objects.filter(last_name="Y").exists()


def test_contact_cannot_be_added_to_a_foreign_account(kam, foreign_account):
    payload = {"account": foreign_account.pk, "first_name": "X", "last_name": "Y"}
    response = client_for(kam).post("/api/v1/contacts/", payload)
    assert response.status_code == 400
    assert not Contact.objects.filter(last_name="Y").exists()


def test_token_auth_with_a_hashed_token(kam, account, capsys):
    call_command("issue_token", kam.username, "--expiry-days", "30")
    token = capsys.readouterr().out.strip()
    from knox.models import AuthToken

    assert not AuthToken.objects.filter(digest=token).exists()  # only the hash is stored
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/accounts/").json()["count"] == 1
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert client.get("/api/v1/accounts/").status_code == 401


@pytest.mark.parametrize("days", ["\u00b2", "\u0661\u0662", "\uff11\uff12", "0", "3651", "-5"])
def test_issue_token_refuses_expiry_days_that_are_not_1_to_3650_ascii_digits(kam, days):
    with pytest.raises(CommandError, match="whole number of days from 1 to 3650"):
        call_command("issue_token", kam.username, "--expiry-days", days)
    assert not kam.auth_token_set.exists()


def test_schema_and_docs_are_served_locally(kam):
    client = client_for(kam)
    assert client.get("/api/v1/schema/").status_code == 200
    from django.test import Client

    page = Client()
    page.force_login(kam)
    html = page.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()


def test_the_schema_is_generated_once_per_language_and_served_as_generated(kam, head):
    from kam.views import KeptSchemaGenerator

    KeptSchemaGenerator.generated.clear()
    first = client_for(kam).get("/api/v1/schema/?format=json")
    again = client_for(head).get("/api/v1/schema/?format=json")
    assert first.status_code == again.status_code == 200
    assert first.content == again.content and list(KeptSchemaGenerator.generated) == ["en"]
    assert first["Content-Disposition"] == again["Content-Disposition"] == 'inline; filename="kam API.json"'
    yaml = client_for(kam).get("/api/v1/schema/")
    assert yaml.content.startswith(b"openapi: 3") and yaml["Content-Disposition"].endswith('.yaml"')
    japanese = client_for(kam).get("/api/v1/schema/?format=json&lang=ja")
    assert list(KeptSchemaGenerator.generated) == ["en", "ja"] and japanese.content != first.content


@pytest.mark.parametrize("query", ["lang=xx", "lang=%C2%B2", "version=%C2%B2", "version=2&lang=ja"])
def test_a_schema_for_any_other_language_or_version_is_served_but_not_kept(kam, query):
    from kam.views import KeptSchemaGenerator

    KeptSchemaGenerator.generated.clear()
    response = client_for(kam).get(f"/api/v1/schema/?format=json&{query}")
    assert response.status_code == 200 and response.json()["openapi"].startswith("3")
    assert KeptSchemaGenerator.generated == {}


def test_schema_and_docs_ask_anonymous_visitors_to_log_in():
    from django.test import Client

    assert APIClient().get("/api/v1/schema/").status_code == 401
    docs = Client().get("/api/v1/docs/")
    assert docs.status_code == 302
    assert docs["Location"] == "/auth/login/?next=/api/v1/docs/"


def test_api_docs_public_opens_schema_and_docs(settings):
    from django.test import Client

    settings.API_DOCS_PUBLIC = True
    assert APIClient().get("/api/v1/schema/").status_code == 200
    assert "swagger-ui" in Client().get("/api/v1/docs/").content.decode()


@pytest.mark.parametrize(("value", "public"), [(None, "False"), ("true", "True")])
def test_production_keeps_the_api_docs_closed_unless_asked(value, public):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kam.settings.prod", "SECRET_KEY": "x" * 50,
           "ALLOWED_HOSTS": "kam.example.com"}  # fmt: skip
    env.pop("API_DOCS_PUBLIC", None)
    if value is not None:
        env["API_DOCS_PUBLIC"] = value
    code = "from django.conf import settings; print(settings.API_DOCS_PUBLIC)"
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed snippet
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == public


def test_a_parent_out_of_sight_is_null_and_stays_attached(outsider, account, subsidiary):
    client = client_for(outsider)
    body = client.get(f"/api/v1/accounts/{subsidiary.pk}/").json()
    assert body["parent"] is None
    body["industry"] = "Logistics"
    body.pop("team")
    assert client.put(f"/api/v1/accounts/{subsidiary.pk}/", body).status_code == 200
    subsidiary.refresh_from_db()
    assert (subsidiary.parent_id, subsidiary.industry) == (account.pk, "Logistics")


@pytest.mark.parametrize("move", ["none", "other"], ids=["to-none", "to-another"])
def test_a_kam_cannot_move_their_account_out_of_the_heads_sight(kam, head, account, other_department, move):
    target = other_department.pk if move == "other" else None
    response = client_for(kam).patch(f"/api/v1/accounts/{account.pk}/", {"department": target}, format="json")
    assert response.status_code == 400
    assert "department" in response.json()
    account.refresh_from_db()
    assert account.department is not None
    assert client_for(head).get(f"/api/v1/accounts/{account.pk}/").status_code == 200


def test_a_head_may_take_an_account_out_of_their_department(head, account):
    response = client_for(head).patch(f"/api/v1/accounts/{account.pk}/", {"department": None}, format="json")
    assert response.status_code == 200, response.json()
    account.refresh_from_db()
    assert account.department is None


def test_a_kam_may_still_edit_other_fields(kam, account):
    response = client_for(kam).patch(f"/api/v1/accounts/{account.pk}/", {"name": "Nordic Steel AB"})
    assert response.status_code == 200, response.json()
