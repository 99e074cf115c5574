"""The commitments register: services, who sees what, pages, API, the home card and the timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common.errors import StaleEditError
from dossiers import services
from dossiers.commitment_selectors import commitment_list, overdue_of
from dossiers.models import Commitment
from dossiers.timeline import account_timeline
from tests.factories import (
    AccountFactory,
    CommitmentFactory,
    ContactFactory,
    InteractionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


# --- services -------------------------------------------------------------------------------------


def test_a_commitment_logged_from_an_interaction_is_kept_by_its_author_unless_told(kam, teammate, account):
    contact = ContactFactory(account=account)
    meeting = InteractionFactory(account=account)
    mine = services.commitment_create(
        account=account,
        by=kam,
        what="Send the price list",
        due_on=days(3),
        contact=contact,
        interaction=meeting,
    )
    assert (mine.owner, mine.created_by, mine.status, mine.version) == (kam, kam, "open", 0)
    theirs = services.commitment_create(account=account, by=kam, owner=teammate, what="Visit", due_on=days(9))
    assert theirs.owner == teammate


def test_a_contact_or_interaction_of_another_account_is_refused_and_nothing_is_written(kam, account):
    other = AccountFactory()
    with pytest.raises(ValidationError) as error:
        services.commitment_create(
            account=account,
            by=kam,
            what="Call",
            due_on=days(1),
            contact=ContactFactory(account=other),
            interaction=InteractionFactory(account=other),
        )
    assert set(error.value.message_dict) == {"contact", "interaction"}
    assert not Commitment.objects.exists()


def test_an_analyst_cannot_keep_a_promise(kam, account, analyst):
    with pytest.raises(ValidationError) as error:
        services.commitment_create(account=account, by=kam, owner=analyst, what="Call", due_on=days(1))
    assert "owner" in error.value.message_dict


def test_a_promise_is_kept_once_and_a_broken_one_needs_a_reason(kam, account):
    kept = CommitmentFactory(account=account)
    kept = services.commitment_keep(commitment=kept, by=kam)
    assert (kept.status, kept.kept_on, kept.version) == ("kept", timezone.localdate(), 1)
    with pytest.raises(ValidationError):
        services.commitment_keep(commitment=kept, by=kam)
    broken = CommitmentFactory(account=account)
    with pytest.raises(ValidationError) as error:
        services.commitment_break(commitment=broken, by=kam, note="  ")
    assert "note" in error.value.message_dict
    broken = services.commitment_break(commitment=broken, by=kam, note="Supplier late")
    assert (broken.status, broken.broken_on, broken.note) == ("broken", timezone.localdate(), "Supplier late")


def test_an_edit_on_a_stale_copy_is_refused(kam, account):
    commitment = CommitmentFactory(account=account)
    services.commitment_update(commitment=commitment, by=kam, version=0, what="Send two samples")
    with pytest.raises(StaleEditError):
        services.commitment_update(commitment=commitment, by=kam, version=0, what="Send three")
    with pytest.raises(StaleEditError):
        services.commitment_keep(commitment=commitment, by=kam, version=0)
    assert Commitment.objects.get().what == "Send two samples"


# --- selectors and visibility -----------------------------------------------------------------------


def test_the_register_shows_only_visible_accounts_and_filters_overdue(
    kam, teammate, outsider, account, foreign_account
):
    late = CommitmentFactory(account=account, due_on=days(-2))
    CommitmentFactory(account=account, due_on=days(2))
    CommitmentFactory(account=foreign_account, due_on=days(-5))
    assert commitment_list(user=kam, filters={"overdue": "true"}).rows.get() == late
    assert commitment_list(user=teammate, filters={}).rows.count() == 2
    assert commitment_list(user=outsider, filters={"account": str(account.pk)}).rows.count() == 0
    assert commitment_list(user=kam, filters={"overdue": "false"}).rows.count() == 1


def test_the_home_card_lists_only_the_users_own_overdue_promises(kam, teammate, account):
    CommitmentFactory(account=account, due_on=days(-1), owner=kam)
    CommitmentFactory(account=account, due_on=days(-1), owner=teammate)
    CommitmentFactory(account=account, due_on=days(-1), owner=kam, status="kept", kept_on=days(0))
    shown, total = overdue_of(user=kam, today=timezone.localdate())
    assert total == 1 and shown[0].owner == kam


def test_the_home_page_shows_the_overdue_card(client, kam, account):
    CommitmentFactory(account=account, due_on=days(-3), what="Send the certificate")
    client.force_login(kam)
    page = client.get("/").content.decode()
    assert "Promises overdue (1)" in page and "Send the certificate" in page


# --- pages --------------------------------------------------------------------------------------------


def test_the_owner_logs_a_commitment_from_an_interaction(client, kam, account):
    meeting = InteractionFactory(account=account)
    client.force_login(kam)
    url = reverse("dossiers:commitment-create", args=[account.pk]) + f"?interaction={meeting.pk}"
    assert f'value="{meeting.pk}" selected' in client.get(url).content.decode()
    response = client.post(
        url,
        {"what": "Send samples", "due_on": days(5).isoformat(), "owner": kam.pk, "interaction": meeting.pk},
    )
    assert response.status_code == 302
    assert Commitment.objects.get().interaction == meeting


def test_a_teammate_keeps_and_an_outsider_gets_404(client, teammate, outsider, account):
    commitment = CommitmentFactory(account=account)
    client.force_login(outsider)
    assert client.post(reverse("dossiers:commitment-kept", args=[commitment.pk])).status_code == 404
    assert client.get(reverse("dossiers:account-commitments", args=[account.pk])).status_code == 404
    client.force_login(teammate)
    assert client.post(reverse("dossiers:commitment-kept", args=[commitment.pk])).status_code == 302
    assert Commitment.objects.get().status == "kept"


def test_breaking_a_promise_without_a_reason_shows_the_error_and_writes_nothing(client, kam, account):
    commitment = CommitmentFactory(account=account)
    client.force_login(kam)
    response = client.post(reverse("dossiers:commitment-broken", args=[commitment.pk]), {"note": ""})
    assert response.status_code == 400
    assert Commitment.objects.get().status == "open"


def test_my_commitments_lists_my_own_by_default_sorted_and_filtered(client, kam, teammate, account):
    CommitmentFactory(account=account, what="Mine overdue", due_on=days(-1))
    CommitmentFactory(account=account, what="Mine later", due_on=days(4))
    CommitmentFactory(account=account, what="Theirs", owner=teammate)
    client.force_login(kam)
    page = client.get(reverse("dossiers:commitments") + "?ordering=-due").content.decode()
    assert "Theirs" not in page and page.index("Mine later") < page.index("Mine overdue")
    assert client.get(reverse("dossiers:commitments") + "?overdue=maybe").status_code == 400


# --- API -----------------------------------------------------------------------------------------------


def test_the_api_creates_keeps_and_refuses_a_stale_version(client, kam, account):
    client.force_login(kam)
    created = client.post(
        "/api/v1/commitments/",
        {"account": account.pk, "what": "Send samples", "due_on": days(3).isoformat()},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["owner"] == kam.pk
    pk = created.json()["id"]
    stale = client.patch(
        f"/api/v1/commitments/{pk}/", {"what": "x", "version": 5}, content_type="application/json"
    )
    assert stale.status_code == 409
    kept = client.post(f"/api/v1/commitments/{pk}/kept/", {"version": 0}, content_type="application/json")
    assert kept.status_code == 200 and kept.json()["status"] == "kept"
    again = client.post(
        f"/api/v1/commitments/{pk}/broken/", {"note": "late"}, content_type="application/json"
    )
    assert again.status_code == 400


def test_the_api_filters_overdue_and_hides_foreign_commitments(
    client, kam, outsider, account, foreign_account
):
    CommitmentFactory(account=account, due_on=days(-1))
    foreign = CommitmentFactory(account=foreign_account, due_on=days(-1))
    client.force_login(kam)
    assert client.get("/api/v1/commitments/?overdue=true").json()["count"] == 1
    assert client.get(f"/api/v1/commitments/{foreign.pk}/").status_code == 404
    assert client.get("/api/v1/commitments/?account=x").status_code == 400


# --- timeline -------------------------------------------------------------------------------------------


def test_a_kept_or_broken_promise_shows_on_the_timeline_an_open_one_does_not(kam, account):
    services.commitment_keep(commitment=CommitmentFactory(account=account, what="Samples"), by=kam)
    services.commitment_break(commitment=CommitmentFactory(account=account, what="Visit"), by=kam, note="Ill")
    CommitmentFactory(account=account, what="Open one")
    titles = [e.title for e in account_timeline(account=account, types=["commitment"])]
    assert sorted(titles) == ["Promise broken: Visit", "Promise kept: Samples"]


def test_a_user_who_cannot_act_is_not_offered_as_owner(client, kam, account):
    UserFactory(username="reader", role="analyst")
    client.force_login(kam)
    page = client.get(reverse("dossiers:commitment-create", args=[account.pk])).content.decode()
    assert "reader" not in page
