"""The read replica: which alias each query uses, and read-your-writes after a user's own edit.

Two aliases on the one test database (kam.settings.test: `replica` mirrors `default`), so the tests
commit (transaction=True) and count each alias's queries; the replica reads are turned on per test.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, router, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from knox.models import AuthToken

from accounts.models import Account
from common.replica import _pin_key, reading_from_replica

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
    pytest.mark.usefixtures("replica_on"),
]


@pytest.fixture
def replica_on(kam, head, analyst):
    with override_settings(KAM_READ_REPLICA="replica"):
        for user in (kam, head, analyst):  # a pin left by an earlier test's user of the same id
            cache.delete(_pin_key(user.pk))
        yield


class Queries:
    def __init__(self, primary: CaptureQueriesContext, replica: CaptureQueriesContext) -> None:
        self.primary, self.replica = primary, replica

    def tables(self, which: str) -> str:
        return " ".join(q["sql"] for q in getattr(self, which).captured_queries)


@contextmanager
def queries() -> Iterator[Queries]:
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica"]) as replica,
    ):
        yield Queries(primary, replica)


def test_the_dashboard_reads_from_the_replica(client, head):
    client.force_login(head)
    with queries() as q:
        assert client.get(reverse("analysis:dashboard")).status_code == 200
    assert "analysis_analysisrun" in q.tables("replica")
    # The primary only answers what every request asks before the view: the session and the user.
    assert "analysis_analysisrun" not in q.tables("primary")


def test_an_export_reads_from_the_replica(client, head):
    client.force_login(head)
    with queries() as q:
        assert client.get(reverse("analysis:runs"), {"format": "xlsx"}).status_code == 200
    assert "analysis_analysisrun" in q.tables("replica")
    assert "analysis_analysisrun" not in q.tables("primary")


def test_the_api_list_reads_from_the_replica_and_the_detail_from_the_primary(client, head, account):
    client.force_login(head)
    with queries() as q:
        assert client.get(reverse("account-list")).json()["count"] == 1
    assert "accounts_account" in q.tables("replica")
    with queries() as q:
        assert client.get(reverse("account-detail", args=[account.pk])).status_code == 200
    assert q.replica.captured_queries == []


def test_after_their_own_edit_a_user_reads_from_the_primary(client, head, kam, account):
    client.force_login(head)
    with queries() as q:
        response = client.patch(
            reverse("account-detail", args=[account.pk]), {"name": "Renamed"}, content_type="application/json"
        )
    assert response.status_code == 200
    assert q.replica.captured_queries == []  # a write, and the reads it makes, stay on the primary
    with queries() as q:
        names = [row["name"] for row in client.get(reverse("account-list")).json()["results"]]
    assert names == ["Renamed"]
    assert q.replica.captured_queries == []
    assert "accounts_account" in q.tables("primary")
    # Someone else's reads still go to the replica, and so do the writer's once the pin lapses.
    client.force_login(kam)
    with queries() as q:
        client.get(reverse("account-list"))
    assert "accounts_account" in q.tables("replica")
    cache.delete(_pin_key(head.pk))
    client.force_login(head)
    with queries() as q:
        client.get(reverse("account-list"))
    assert "accounts_account" in q.tables("replica")


def test_a_token_client_reads_its_own_writes_too(client, head, account):
    _token, secret = AuthToken.objects.create(user=head)
    auth = {"HTTP_AUTHORIZATION": f"Token {secret}"}
    with queries() as q:
        client.get(reverse("account-list"), **auth)
    assert "accounts_account" in q.tables("replica")
    url = reverse("account-detail", args=[account.pk])
    assert client.patch(url, {"name": "Renamed"}, content_type="application/json", **auth).status_code == 200
    with queries() as q:
        assert client.get(reverse("account-list"), **auth).json()["results"][0]["name"] == "Renamed"
    assert q.replica.captured_queries == []


def test_a_page_post_pins_the_user_too(client, kam, account):
    client.force_login(kam)
    form = {"name": "Renamed", "status": account.status, "owner": kam.pk, "version": account.version}
    form["department"] = account.department_id
    assert client.post(reverse("accounts:edit", args=[account.pk]), form).status_code == 302
    with queries() as q:
        assert client.get(reverse("analysis:dashboard")).status_code == 200
    assert q.replica.captured_queries == []


def test_a_transaction_reads_from_the_primary_even_in_a_replica_block(account):
    with reading_from_replica(), queries() as q:
        assert Account.objects.filter(pk=account.pk).exists()
        with transaction.atomic():
            Account.objects.select_for_update().get(pk=account.pk)
            assert Account.objects.filter(pk=account.pk).exists()
    assert len(q.replica.captured_queries) == 1  # only the read before the transaction
    assert "FOR UPDATE" in q.tables("primary") or connections["default"].vendor == "sqlite"


def test_writes_go_to_the_primary_in_a_replica_block(kam):
    with reading_from_replica(), queries() as q:
        Account.objects.create(name="Written", owner=kam)
    assert "INSERT" in q.tables("primary")
    assert q.replica.captured_queries == []


def test_without_a_replica_configured_everything_reads_the_primary(client, head):
    client.force_login(head)
    with override_settings(KAM_READ_REPLICA=None), queries() as q:
        assert client.get(reverse("analysis:dashboard")).status_code == 200
        assert client.get(reverse("account-list")).status_code == 200
    assert q.replica.captured_queries == []


def test_the_export_command_reads_from_the_replica(tmp_path):
    with queries() as q, pytest.raises(Exception, match="No such complete run"):
        call_command("export_segments", output=str(tmp_path / "segments.csv"))
    assert "analysis_analysisrun" in q.tables("replica")


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "accounts") is True
    assert router.allow_migrate("replica", "accounts") is False
