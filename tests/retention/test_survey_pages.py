"""Survey pages, and the public link: it rejects reuse, expiry and tampering with a clear page, and
shows nothing but the survey."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Task
from retention.models import Survey, SurveyAnswer, SurveyInvitation
from retention.survey_services import answer_field, invitation_create
from tests.factories import ContactFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey():
    return SurveyFactory(title="Yearly satisfaction", intro="Two minutes of your time.")


@pytest.fixture
def link(survey, account, contact):
    invitation, token = invitation_create(survey=survey, account=account, contact=contact, by=account.owner)
    return invitation, token, reverse("retention:survey-answer", args=[token])


def filled(survey, score="4", comment="Good service"):
    scale, text = survey.questions.order_by("position")
    return {answer_field(scale): score, answer_field(text): comment}


# --- the public answer page -------------------------------------------------------------------------


def test_the_public_page_shows_the_survey_and_nothing_else(client, survey, account, contact, link):
    _invitation, _token, url = link
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Yearly satisfaction" in page and "Two minutes of your time." in page
    assert "How satisfied are you with us?" in page and "Very satisfied" in page
    assert page.count('type="radio"') == 5 and "<textarea" in page
    assert "csrfmiddlewaretoken" in page
    for private in (
        account.name,
        contact.first_name,
        contact.last_name,
        contact.email,
        "navbar",
        "/accounts/",
    ):
        assert private not in page
    assert response["Cache-Control"] == "no-store" and response["Referrer-Policy"] == "same-origin"


def test_a_logged_in_user_sees_the_same_bare_page(client, kam, link):
    client.force_login(kam)
    page = client.get(link[2]).content.decode()
    assert "navbar" not in page and "Log out" not in page and "Nordic Steel" not in page


def test_answering_leads_to_the_thank_you_page(client, survey, link):
    invitation, _token, url = link
    response = client.post(url, filled(survey))
    assert response.status_code == 302 and response["Location"] == reverse("retention:survey-thanks")
    assert "Thank you" in client.get(response["Location"]).content.decode()
    invitation.refresh_from_db()
    assert invitation.answered_at is not None and SurveyAnswer.objects.count() == 2


def test_csrf_protection_stays_on(survey, link):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(link[2], filled(survey))
    assert response.status_code == 403
    assert not SurveyAnswer.objects.exists()


def test_a_reused_link_says_it_was_already_answered(client, survey, link):
    _invitation, _token, url = link
    client.post(url, filled(survey))
    for response in (client.get(url), client.post(url, filled(survey, score="1"))):
        assert response.status_code == 410
        assert "This survey has already been answered" in response.content.decode()
        assert "How satisfied" not in response.content.decode()
    assert SurveyAnswer.objects.count() == 2 and not Task.objects.exists()


def test_an_expired_link_says_so(client, survey, link):
    invitation, _token, url = link
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    for response in (client.get(url), client.post(url, filled(survey))):
        assert response.status_code == 410
        assert "This survey link has expired" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize("tamper", [lambda t: t[:-1], lambda t: t + "A", lambda t: t[::-1], lambda t: "x"])
def test_a_tampered_link_is_not_valid(client, survey, link, tamper):
    _invitation, token, _url = link
    url = reverse("retention:survey-answer", args=[tamper(token)])
    for response in (client.get(url), client.post(url, filled(survey))):
        assert response.status_code == 404
        page = response.content.decode()
        assert "This link is not valid" in page and "Yearly satisfaction" not in page
    assert not SurveyAnswer.objects.exists()


def test_the_stored_hash_is_not_a_link(client, link):
    invitation, _token, _url = link
    response = client.get(reverse("retention:survey-answer", args=[invitation.token_hash]))
    assert response.status_code == 404


def test_missing_or_invalid_answers_are_shown_next_to_the_questions(client, survey, link):
    invitation, _token, url = link
    response = client.post(url, filled(survey, score="9", comment="Kept"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose a score from 1 to 5." in page and "Kept" in page
    invitation.refresh_from_db()
    assert invitation.answered_at is None and not SurveyAnswer.objects.exists()


def test_a_free_text_answer_past_2000_characters_is_refused_and_nothing_is_written(client, survey, link):
    invitation, _token, url = link
    assert 'maxlength="2000"' in client.get(url).content.decode()
    response = client.post(url, filled(survey, comment="x" * 2001))
    assert response.status_code == 400
    assert "Please keep this answer to 2000 characters; it has 2001." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.answered_at is None and not SurveyAnswer.objects.exists()


def test_a_free_text_answer_of_2000_characters_is_kept(client, survey, link):
    _invitation, _token, url = link
    assert client.post(url, filled(survey, comment="x" * 2000)).status_code == 302
    assert len(SurveyAnswer.objects.get(score__isnull=True).text) == 2000


def test_a_low_score_through_the_page_gives_the_owner_a_task(client, kam, survey, link):
    client.post(link[2], filled(survey, score="2"))
    assert Task.objects.get().owner == kam


# --- sending ---------------------------------------------------------------------------------------


def send_url(account):
    return reverse("retention:survey-send", args=[account.pk])


def test_sending_shows_each_link_once_and_e_mails_it(client, kam, survey, account, contact, mailoutbox):
    silent = ContactFactory(account=account, email="", first_name="Mika", last_name="Salo")
    client.force_login(kam)
    response = client.post(
        send_url(account), {"survey": survey.pk, "contacts": [contact.pk, silent.pk], "valid_days": 14}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    invitations = SurveyInvitation.objects.filter(account=account)
    assert invitations.count() == 2
    assert page.count("http://testserver/s/") == 2
    assert "not sent — copy the link" in page
    (mail,) = mailoutbox
    assert mail.to == [contact.email] and "http://testserver/s/" in mail.body
    token = mail.body.split("http://testserver/s/")[1].split("/")[0]
    assert client.get(reverse("retention:survey-answer", args=[token])).status_code == 200


def test_only_the_account_s_contacts_can_be_chosen(client, kam, survey, account, foreign_contact):
    client.force_login(kam)
    response = client.post(
        send_url(account), {"survey": survey.pk, "contacts": [foreign_contact.pk], "valid_days": 30}
    )
    assert response.status_code == 400
    assert foreign_contact.last_name not in response.content.decode()
    assert not SurveyInvitation.objects.exists()


def test_a_closed_survey_is_not_offered(client, kam, survey, account, contact):
    Survey.objects.filter(pk=survey.pk).update(is_active=False)
    client.force_login(kam)
    response = client.post(
        send_url(account), {"survey": survey.pk, "contacts": [contact.pk], "valid_days": 30}
    )
    assert response.status_code == 400 and not SurveyInvitation.objects.exists()


def test_analysts_may_not_send_and_outsiders_do_not_see_the_account(
    client, analyst, outsider, survey, account
):
    client.force_login(analyst)
    assert client.get(send_url(account)).status_code == 403
    client.force_login(outsider)
    assert client.get(send_url(account)).status_code == 404


# --- creating and reading surveys -------------------------------------------------------------------


def question_rows(*rows):
    data = {"questions-TOTAL_FORMS": len(rows), "questions-INITIAL_FORMS": 0}
    for index, (text, kind, required) in enumerate(rows):
        data |= {f"questions-{index}-text": text, f"questions-{index}-kind": kind}
        if required:
            data[f"questions-{index}-required"] = "on"
    return data


def test_a_survey_is_created_from_its_rows_skipping_untouched_ones(client, kam):
    client.force_login(kam)
    data = {"title": "Onboarding", "is_active": "on"} | question_rows(
        ("Was it easy?", "scale", True), ("", "scale", True), ("Comments", "text", False)
    )
    response = client.post(reverse("retention:survey-create"), data)
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "retention:survey", args=[survey.pk]
    )
    assert list(survey.questions.values_list("text", "kind", "required")) == [
        ("Was it easy?", "scale", True),
        ("Comments", "text", False),
    ]


def test_errors_are_shown_next_to_the_row_they_concern(client, kam):
    client.force_login(kam)
    data = {"title": "Onboarding"} | question_rows(("", "scale", True), ("", "text", True))
    response = client.post(reverse("retention:survey-create"), data)
    assert response.status_code == 400
    formset = response.context["formset"]
    assert formset.forms[0].errors == {} and "text" in formset.forms[1].errors
    assert not Survey.objects.exists()


def test_a_survey_without_questions_is_refused(client, kam):
    client.force_login(kam)
    response = client.post(
        reverse("retention:survey-create"), {"title": "Empty"} | question_rows(("", "scale", True))
    )
    assert response.status_code == 400 and "Add at least one question." in response.content.decode()


def test_the_results_page_counts_only_visible_accounts(
    client, outsider, survey, account, contact, foreign_account
):
    from retention.survey_services import survey_answer

    for acct, person, score in (
        (account, contact, "5"),
        (foreign_account, ContactFactory(account=foreign_account), "1"),
    ):
        _invitation, token = invitation_create(survey=survey, account=acct, contact=person, by=acct.owner)
        survey_answer(
            token=token, answers={int(k.split("_")[1]): v for k, v in filled(survey, score).items()}
        )
    client.force_login(outsider)
    page = client.get(reverse("retention:survey", args=[survey.pk])).content.decode()
    assert "Baltic Foods" in page and "Nordic Steel" not in page
    assert "survey-chart-data" in page
    listing = client.get(reverse("retention:surveys")).content.decode()
    assert "Yearly satisfaction" in listing
