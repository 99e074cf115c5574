"""Surveys answered by phone: entered by a user for a contact on the "phone" channel, checked like
the answers through a link; the results split by channel."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from retention import survey_selectors, survey_services
from retention.models import SurveyInvitation
from retention.survey_services import answer_field, invitation_create, survey_answer
from tests.factories import ContactFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return SurveyFactory(questions=[("Delivery on time?", "scale", True), ("Anything else?", "text", False)])


def _answers(survey, score="4", text=""):
    scale, free = survey.questions.all()
    return {scale.pk: score, free.pk: text}


def test_phone_answers_are_recorded_on_the_phone_channel_by_the_user(kam, account, contact, survey):
    invitation = survey_services.survey_answer_by_phone(
        survey=survey, account=account, contact=contact, by=kam, answers=_answers(survey, "2", "Late twice")
    )
    assert (invitation.channel, invitation.sent_by, invitation.average_score) == ("phone", kam, 2)
    assert invitation.answered_at is not None and invitation.answers.count() == 2
    assert account.tasks.filter(title__startswith="Low satisfaction").exists()  # the same follow-up as online


def test_a_bad_phone_answer_or_a_foreign_contact_writes_nothing(
    kam, account, foreign_contact, contact, survey
):
    with pytest.raises(ValidationError) as error:
        survey_services.survey_answer_by_phone(
            survey=survey, account=account, contact=contact, by=kam, answers=_answers(survey, "9")
        )
    assert answer_field(survey.questions.first()) in error.value.message_dict
    with pytest.raises(ValidationError):
        survey_services.survey_answer_by_phone(
            survey=survey, account=account, contact=foreign_contact, by=kam, answers=_answers(survey)
        )
    assert not SurveyInvitation.objects.exists()


def test_the_results_split_by_channel(kam, account, contact, survey):
    survey_services.survey_answer_by_phone(
        survey=survey, account=account, contact=contact, by=kam, answers=_answers(survey, "2")
    )
    _invitation, token = invitation_create(survey=survey, account=account, contact=contact, by=kam)
    survey_answer(token=token, answers=_answers(survey, "4"))
    both = survey_selectors.survey_results(user=kam, survey=survey)
    phone = survey_selectors.survey_results(user=kam, survey=survey, channel="phone")
    web = survey_selectors.survey_results(user=kam, survey=survey, channel="web")
    assert (both.answered, both.average) == (2, 3)
    assert (phone.answered, phone.average, web.answered, web.average) == (1, 2, 1, 4)


def test_the_page_enters_answers_for_a_contact_of_the_account(client, teammate, account, survey):
    contact = ContactFactory(account=account)
    client.force_login(teammate)
    url = reverse("retention:survey-phone", args=[account.pk])
    shown = client.get(url, {"survey": survey.pk, "contact": contact.pk})
    assert "Delivery on time?" in shown.content.decode()
    scale, free = survey.questions.all()
    data = {"survey": survey.pk, "contact": contact.pk, answer_field(scale): "5", answer_field(free): "Fine"}
    assert client.post(url, data).status_code == 302
    assert SurveyInvitation.objects.get().channel == "phone"


def test_a_missing_answer_is_shown_next_to_its_question_and_nothing_is_written(
    client, kam, account, contact, survey
):
    client.force_login(kam)
    url = reverse("retention:survey-phone", args=[account.pk])
    response = client.post(url, {"survey": survey.pk, "contact": contact.pk})
    assert response.status_code == 400
    assert "Please answer this question." in response.content.decode()
    assert not SurveyInvitation.objects.exists()


def test_an_outsider_gets_404_and_another_accounts_contact_is_not_a_choice(
    client, kam, outsider, account, foreign_contact, survey
):
    url = reverse("retention:survey-phone", args=[account.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(kam)
    response = client.get(url, {"survey": survey.pk, "contact": foreign_contact.pk})
    assert response.status_code == 400 and "Delivery on time?" not in response.content.decode()


def test_the_results_page_and_api_take_a_channel_and_refuse_an_unknown_one(client, kam, survey):
    client.force_login(kam)
    page = reverse("retention:survey", args=[survey.pk])
    assert client.get(page, {"channel": "phone"}).status_code == 200
    assert client.get(page, {"channel": "fax"}).status_code == 400
    assert client.get(f"/api/v1/surveys/{survey.pk}/results/?channel=phone").status_code == 200
    refused = client.get(f"/api/v1/surveys/{survey.pk}/results/?channel=fax")
    assert refused.status_code == 400 and "channel" in refused.json()


def test_the_api_records_phone_answers_and_refuses_a_bad_one_or_a_foreign_account(
    client, kam, account, contact, foreign_account, survey
):
    client.force_login(kam)
    scale, free = survey.questions.all()
    body = {"survey": survey.pk, "account": account.pk, "contact": contact.pk}
    bad = client.post(
        "/api/v1/survey-invitations/phone/",
        {**body, "answers": {str(scale.pk): "7"}},
        content_type="application/json",
    )
    assert bad.status_code == 400 and answer_field(scale) in bad.json()
    foreign = {**body, "account": foreign_account.pk, "answers": {str(scale.pk): "4"}}
    assert (
        client.post("/api/v1/survey-invitations/phone/", foreign, content_type="application/json").status_code
        == 400
    )
    assert not SurveyInvitation.objects.exists()
    good = client.post(
        "/api/v1/survey-invitations/phone/",
        {**body, "answers": {str(scale.pk): "4", str(free.pk): "Fine"}},
        content_type="application/json",
    )
    assert good.status_code == 201 and good.json()["channel"] == "phone"
