"""The meeting brief: the attendees chosen by id or from a meeting, what is open with the client,
and the questions generated from the gaps of the dossier."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account, Contact, PersonalDataAccess
from dossiers.models import ProspectQualification
from management.meeting_brief import meeting_brief
from proposals.models import Proposal
from proposals.services import proposal_create
from retention.models import Refusal
from tests.factories import CommitmentFactory, ContactFactory, InteractionFactory, PresenceFactory

pytestmark = pytest.mark.django_db


def _url(account, query=""):
    return reverse("management:meeting-brief", args=[account.pk]) + query


def _questions(kam, account):
    return meeting_brief(user=kam, account=account, contact_ids=[]).questions


def test_an_empty_buying_centre_asks_for_the_decision_maker_and_the_budget(kam, account):
    questions = _questions(kam, account)
    assert questions[:2] == [
        "Who takes the final decision on purchases like ours?",
        "Who approves the budget, and when is it set?",
    ]


def test_known_roles_are_not_asked_for_again(kam, account):
    ContactFactory(account=account, dmu_role=Contact.DmuRole.DECISION_MAKER)
    ContactFactory(account=account, dmu_role=Contact.DmuRole.FINANCIAL_APPROVER)
    assert _questions(kam, account) == []


def test_a_competitor_an_at_risk_status_and_a_proposal_out_with_the_client_each_ask_a_question(kam, account):
    ContactFactory(account=account, dmu_role=Contact.DmuRole.DECISION_MAKER)
    ContactFactory(account=account, dmu_role=Contact.DmuRole.FINANCIAL_APPROVER)
    PresenceFactory(account=account, competitor__name="Rival Steel")
    Account.objects.filter(pk=account.pk).update(status=Account.Status.AT_RISK)
    account.refresh_from_db()
    sent = proposal_create(account=account, by=kam, title="Coils 2027")
    Proposal.objects.filter(pk=sent.pk).update(status=Proposal.Status.SENT)
    proposal_create(account=account, by=kam, title="Still a draft")  # in play, not awaiting an answer
    questions = _questions(kam, account)
    assert len(questions) == 3
    assert "Rival Steel" in questions[0]
    assert "what has changed on your side" in questions[1]
    assert "Coils 2027" in questions[2]


def test_a_prospect_is_asked_for_each_3p_criterion_not_yet_confirmed(kam, account):
    ContactFactory(account=account, dmu_role=Contact.DmuRole.DECISION_MAKER)
    ContactFactory(account=account, dmu_role=Contact.DmuRole.FINANCIAL_APPROVER)
    Account.objects.filter(pk=account.pk).update(status=Account.Status.PROSPECT)
    account.refresh_from_db()
    ProspectQualification.objects.create(account=account, need_confirmed_at=timezone.now())
    questions = _questions(kam, account)
    assert questions == [
        "What budget is planned, and how are suppliers paid?",
        "Who signs the order, and who else has a say?",
    ]


def test_the_page_shows_the_attendees_their_interactions_and_what_is_open(client, kam, account):
    boss = ContactFactory(account=account, last_name="Boss", dmu_role="decision_maker", family="Two children")
    ContactFactory(account=account, last_name="Absent")
    InteractionFactory(account=account, summary="Talked volumes").contacts.add(boss)
    InteractionFactory(account=account, kind="complaint", summary="Rust on the coils")
    InteractionFactory(account=account, kind="complaint", summary="Settled one", outcome="Credit note")
    CommitmentFactory(account=account, what="Send the certificate")
    today = timezone.localdate()
    Refusal.objects.create(account=account, on=today - dt.timedelta(days=10), reason="price", text="Too dear")
    Refusal.objects.create(account=account, on=today - dt.timedelta(days=200), reason="competitor")
    client.force_login(kam)
    response = client.get(_url(account, f"?contacts={boss.pk}&questions=Ask+about+the+new+plant"))
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("Talked volumes", "Rust on the coils", "Send the certificate", "Two children", "new plant"):
        assert text in page, text
    assert "Settled one" not in page
    assert [a.contact for a in response.context["brief"].attendees] == [boss]
    assert len(response.context["brief"].refusals) == 1  # the one of 200 days ago is too old
    assert PersonalDataAccess.objects.filter(user=kam, contacts=boss).exists()


def test_the_attendees_of_a_planned_meeting_are_taken_from_it(client, kam, account):
    boss, buyer = ContactFactory(account=account), ContactFactory(account=account)
    ContactFactory(account=account)
    meeting = InteractionFactory(account=account, occurred_at=timezone.now() + dt.timedelta(days=3))
    meeting.contacts.add(boss, buyer)
    client.force_login(kam)
    response = client.get(_url(account, f"?interaction={meeting.pk}"))
    assert {a.contact for a in response.context["brief"].attendees} == {boss, buyer}


def test_another_accounts_contact_or_meeting_answers_404_and_a_bad_id_400(
    client, kam, account, foreign_account
):
    stranger = ContactFactory(account=foreign_account)
    elsewhere = InteractionFactory(account=foreign_account)
    client.force_login(kam)
    assert client.get(_url(account, f"?contacts={stranger.pk}")).status_code == 404
    assert client.get(_url(account, f"?interaction={elsewhere.pk}")).status_code == 404
    assert client.get(_url(account, "?contacts=1,x")).status_code == 400


def test_an_outsider_gets_404_and_an_analyst_sees_no_personal_fields(client, outsider, analyst, account):
    contact = ContactFactory(account=account, family="Two children")
    client.force_login(outsider)
    assert client.get(_url(account)).status_code == 404
    client.force_login(analyst)
    page = client.get(_url(account, f"?contacts={contact.pk}")).content.decode()
    assert "Two children" not in page
    assert not PersonalDataAccess.objects.exists()
