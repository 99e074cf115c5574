"""The public survey page answers in the visitor's browser language; the invitation e-mail is written
in the sender's language."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from retention.survey_services import invitation_create, invitation_send
from tests.factories import SurveyFactory

pytestmark = pytest.mark.django_db

LOCALE = "django.middleware.locale.LocaleMiddleware"


@pytest.fixture(autouse=True)
def locale_middleware(settings):
    """The browser's language is chosen by Django's LocaleMiddleware, after the session one."""
    if LOCALE not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        sessions = middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
        middleware.insert(sessions + 1, LOCALE)
        settings.MIDDLEWARE = middleware


@pytest.fixture
def link(account, contact):
    survey = SurveyFactory(title="Yearly satisfaction")
    invitation, token = invitation_create(survey=survey, account=account, contact=contact, by=account.owner)
    return invitation, reverse("retention:survey-answer", args=[token])


@pytest.mark.parametrize("language", ["es", "fi", "ja"])
def test_the_survey_page_answers_in_the_browser_language(client, link, language):
    _invitation, url = link

    response = client.get(url, HTTP_ACCEPT_LANGUAGE=f"{language},en;q=0.5")

    assert response.status_code == 200
    assert language == response.wsgi_request.LANGUAGE_CODE
    assert f'<html lang="{language}"' in response.content.decode()


def test_the_survey_page_shows_the_spanish_wording(client, link):
    with translation.override("es"):
        spanish = translation.gettext("Send my answers")
    assert spanish != "Send my answers"
    _invitation, url = link

    page = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert spanish in page and "Send my answers" not in page


def test_the_thank_you_and_refused_pages_follow_the_browser_too(client):
    thanks = client.get(reverse("retention:survey-thanks"), HTTP_ACCEPT_LANGUAGE="es")
    refused = client.get(reverse("retention:survey-answer", args=["x" * 43]), HTTP_ACCEPT_LANGUAGE="es")

    assert '<html lang="es"' in thanks.content.decode()
    assert '<html lang="es"' in refused.content.decode()


def test_the_invitation_e_mail_is_written_in_the_sender_s_language(link, mailoutbox):
    invitation, _url = link

    assert invitation_send(invitation=invitation, link="https://kam.example/s/x/", language="es")

    # Spanish dates read "4 de diciembre de 2026", whatever language the process runs in.
    assert re.search(r"\d{1,2} de \w+ de \d{4}", mailoutbox[0].body)


def test_without_a_language_the_invitation_uses_the_site_default(link, mailoutbox):
    invitation, _url = link

    with translation.override("es"):  # a stray active language does not leak into the e-mail
        assert invitation_send(invitation=invitation, link="https://kam.example/s/x/")

    # The site default (English) writes "4 Dec 2026".
    assert re.search(r"until \d{1,2} [A-Z][a-z]+ \d{4}", mailoutbox[0].body)


def test_sending_from_a_page_writes_the_e_mail_in_the_page_s_language(
    client, kam, account, contact, mailoutbox
):
    survey = SurveyFactory(title="Yearly satisfaction")
    client.force_login(kam)

    response = client.post(
        reverse("retention:survey-send", args=[account.pk]),
        {"survey": survey.pk, "contacts": [contact.pk], "valid_days": 30},
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 200
    assert re.search(r"\d{1,2} de \w+ de \d{4}", mailoutbox[0].body)
