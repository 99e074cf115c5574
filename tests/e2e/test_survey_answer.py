"""A contact answers a satisfaction survey from the e-mailed link, in a real browser, in Spanish.

The page is public and guards its secret URL; the answer must still pass the CSRF check (a browser
told `no-referrer` posts with "Origin: null", which Django refuses).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect

from retention.models import SurveyAnswer
from retention.survey_services import invitation_create
from tests.factories import SurveyFactory

pytestmark = pytest.mark.e2e


def test_a_contact_answers_the_survey_in_their_browsers_language(
    browser: Browser, live_server, account, contact
):
    survey = SurveyFactory(title="Yearly satisfaction")
    _invitation, token = invitation_create(survey=survey, account=account, contact=contact, by=account.owner)
    context = browser.new_context(
        base_url=live_server.url, locale="es-ES", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()

    page.goto(reverse("retention:survey-answer", args=[token]))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.locator("input[type=radio][value='5']").check()
    page.locator("textarea").fill("Muy buen servicio")
    page.get_by_role("button", name="Enviar mis respuestas").click()

    expect(page).to_have_url(live_server.url + reverse("retention:survey-thanks"))
    assert SurveyAnswer.objects.filter(invitation__survey=survey).exists()
    context.close()
