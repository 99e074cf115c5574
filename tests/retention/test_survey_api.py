"""The survey API: shared surveys, scoped results, links created once and scoped to visible accounts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from retention.models import Survey, SurveyInvitation
from retention.survey_services import invitation_create, survey_answer, token_hash
from tests.factories import ContactFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return SurveyFactory(title="Yearly satisfaction")


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_survey_is_created_with_nested_questions(client, kam):
    client.force_login(kam)
    body = {"title": "After delivery", "questions": [{"text": "On time?"}, {"text": "Notes", "kind": "text"}]}
    response = post(client, reverse("survey-list"), body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert [(q["position"], q["text"], q["kind"]) for q in data["questions"]] == [
        (0, "On time?", "scale"),
        (1, "Notes", "text"),
    ]
    assert data["created_by"] == kam.pk


def test_a_survey_without_questions_is_a_400(client, kam):
    client.force_login(kam)
    response = post(client, reverse("survey-list"), {"title": "Empty", "questions": []})
    assert response.status_code == 400 and "questions" in response.json()
    assert not Survey.objects.exists()


def test_analysts_read_surveys_but_do_not_create_them(client, analyst, survey):
    client.force_login(analyst)
    assert client.get(reverse("survey-list")).json()["count"] == 1
    assert (
        post(client, reverse("survey-list"), {"title": "x", "questions": [{"text": "y"}]}).status_code == 403
    )


def test_a_link_is_returned_once_and_e_mailed(client, kam, survey, account, contact, mailoutbox):
    client.force_login(kam)
    body = {"survey": survey.pk, "account": account.pk, "contact": contact.pk, "valid_days": 7}
    response = post(client, reverse("survey-invitation-list"), body)
    assert response.status_code == 201, response.json()
    data = response.json()
    token = data["link"].rstrip("/").rsplit("/", 1)[1]
    assert SurveyInvitation.objects.get(pk=data["id"]).token_hash == token_hash(token)
    assert data["emailed"] is True and data["link"] in mailoutbox[0].body
    again = client.get(reverse("survey-invitation-detail", args=[data["id"]])).json()
    assert again["link"] is None and "token_hash" not in again


def test_a_link_can_be_created_without_e_mail(client, kam, survey, account, contact, mailoutbox):
    client.force_login(kam)
    body = {"survey": survey.pk, "account": account.pk, "contact": contact.pk, "send_email": False}
    assert post(client, reverse("survey-invitation-list"), body).json()["emailed"] is False
    assert mailoutbox == []


def test_a_foreign_account_or_contact_is_an_invalid_pk(
    client, kam, survey, account, foreign_account, foreign_contact
):
    client.force_login(kam)
    url = reverse("survey-invitation-list")
    response = post(
        client, url, {"survey": survey.pk, "account": foreign_account.pk, "contact": foreign_contact.pk}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"account", "contact"}
    assert foreign_contact.last_name not in response.content.decode()
    assert not SurveyInvitation.objects.exists()


def test_a_contact_of_another_visible_account_is_refused_by_name(client, kam, survey, account, subsidiary):
    client.force_login(kam)
    other = ContactFactory(account=subsidiary)
    response = post(
        client,
        reverse("survey-invitation-list"),
        {"survey": survey.pk, "account": account.pk, "contact": other.pk},
    )
    assert response.status_code == 400 and "contact" in response.json()


def test_invitations_are_scoped_to_visible_accounts(
    client, outsider, survey, account, contact, foreign_account
):
    mine, _token = invitation_create(
        survey=survey, account=foreign_account, contact=ContactFactory(account=foreign_account), by=outsider
    )
    theirs, _token = invitation_create(survey=survey, account=account, contact=contact, by=account.owner)
    client.force_login(outsider)
    listed = client.get(reverse("survey-invitation-list")).json()["results"]
    assert [row["id"] for row in listed] == [mine.pk]
    assert client.get(reverse("survey-invitation-detail", args=[theirs.pk])).status_code == 404


def test_results_cover_only_the_visible_accounts(client, outsider, survey, account, contact, foreign_account):
    scale = survey.questions.get(kind="scale")
    for acct, person, score in (
        (account, contact, 5),
        (foreign_account, ContactFactory(account=foreign_account), 2),
    ):
        _invitation, token = invitation_create(survey=survey, account=acct, contact=person, by=acct.owner)
        survey_answer(token=token, answers={scale.pk: score})
    client.force_login(outsider)
    data = client.get(reverse("survey-results", args=[survey.pk])).json()
    assert (data["invited"], data["answered"], data["average"]) == (1, 1, "2.00")
    assert data["questions"][0]["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 0, "5": 0}
    assert [a["name"] for a in data["accounts"]] == ["Baltic Foods"]


def test_an_answered_invitation_carries_its_answers(client, kam, survey, account, contact):
    invitation, token = invitation_create(survey=survey, account=account, contact=contact, by=kam)
    scale = survey.questions.get(kind="scale")
    survey_answer(token=token, answers={scale.pk: 4})
    client.force_login(kam)
    data = client.get(reverse("survey-invitation-detail", args=[invitation.pk])).json()
    assert data["average_score"] == "4.00"
    assert data["answers"] == [{"question": scale.pk, "score": 4, "text": ""}]
