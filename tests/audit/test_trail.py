"""What the audit trail records of a write: who, when, from where, with which token, old → new."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import api_token_issue
from audit.masking import MASK
from integrations.models import WebhookSubscription
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def entries_of(obj) -> list[LogEntry]:
    content_type = ContentType.objects.get_for_model(obj)
    return list(LogEntry.objects.filter(content_type=content_type, object_pk=str(obj.pk)).order_by("pk"))


def test_a_page_edit_writes_one_entry_with_its_author_address_and_the_change(client, kam, account):
    client.force_login(kam)
    form = {"name": "Nordic Steel AB", "status": "active", "owner": kam.pk,
            "department": account.department_id, "version": account.version}  # fmt: skip
    before = len(entries_of(account))

    response = client.post(f"/accounts/{account.pk}/edit/", form, REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 302
    entries = entries_of(account)[before:]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == kam
    assert entry.remote_addr == "198.51.100.7"
    assert entry.additional_data == {"via": "page"}
    assert entry.changes_dict["name"] == ["Nordic Steel", "Nordic Steel AB"]
    assert "version" not in entry.changes_dict and "updated_at" not in entry.changes_dict


def test_an_api_edit_names_the_token_owner_and_the_token(kam, contact):
    secret = api_token_issue(user=kam)
    token = AuthToken.objects.get(user=kam)
    client = APIClient(REMOTE_ADDR="203.0.113.9")
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    before = len(entries_of(contact))

    response = client.patch(f"/api/v1/contacts/{contact.pk}/", {"position": "CFO"}, format="json")

    assert response.status_code == 200, response.content
    entries = entries_of(contact)[before:]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.actor == kam
    assert entry.remote_addr == "203.0.113.9"
    assert entry.additional_data == {"via": "api", "token": token.token_key}
    assert secret not in str(entry.additional_data)
    assert entry.changes_dict["position"][1] == "CFO"


def test_a_write_outside_any_request_has_no_actor(account):
    account.industry = "Steel"
    account.save()
    entry = entries_of(account)[-1]
    assert entry.actor is None and entry.remote_addr is None


def test_password_hashes_and_webhook_secrets_are_masked(kam):
    kam.set_password("another-secret-123")
    kam.save()
    entry = entries_of(kam)[-1]
    old, new = entry.changes_dict["password"]
    assert old == new == MASK
    hook = WebhookSubscription.objects.create(owner=kam, target_url="http://127.0.0.1:9/h", events=[])
    created = entries_of(hook)[-1]
    assert created.changes_dict["secret"][1] == MASK
    assert hook.secret not in str(created.changes) and hook.secret not in str(created.serialized_data)


def test_role_and_department_changes_of_a_user_are_recorded(department):
    user = UserFactory(username="newcomer", role=User.Role.KAM)
    user.role = User.Role.HEAD
    user.save()
    user.departments.add(department)
    changes = [entry.changes_dict for entry in entries_of(user)]
    assert {"role": ["kam", "head"]} in changes
    assert any(c.get("departments", {}).get("operation") == "add" for c in changes)


def test_contacts_personal_fields_are_recorded(contact):
    contact.hobbies = "Chess"
    contact.save()
    assert entries_of(contact)[-1].changes_dict["hobbies"][1] == "Chess"


def test_loading_the_demo_is_not_a_change_anyone_made(db):
    import io

    from auditlog.models import LogEntry
    from django.core.management import call_command

    call_command("seed_demo", "--accounts", "6", stdout=io.StringIO())
    assert not LogEntry.objects.exists()
