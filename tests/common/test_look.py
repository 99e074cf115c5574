"""The shared look: date pickers with ISO values, the favicon, one colour per status."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from accounts.forms import ContactForm
from common.forms import Form, use_date_pickers
from common.status import STATUS_TONES, status_text, status_tone
from dossiers.forms import InteractionForm
from tests.factories import ContactFactory


class WhenForm(Form):
    on = forms.DateField()
    at = forms.DateTimeField(required=False)


def test_a_date_field_is_a_date_picker_with_an_iso_value_in_any_language():
    with translation.override("ru"):  # whose own date format is 04.12.2026
        html = str(WhenForm(initial={"on": dt.date(2026, 12, 4), "at": dt.datetime(2026, 12, 4, 9, 30)}))
    assert 'type="date" name="on" value="2026-12-04"' in html
    assert 'type="datetime-local" name="at" value="2026-12-04T09:30"' in html


def test_what_the_pickers_post_back_validates():
    form = WhenForm({"on": "2026-12-04", "at": "2026-12-04T09:30"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == dt.date(2026, 12, 4)
    assert timezone.localtime(form.cleaned_data["at"]).replace(tzinfo=None) == dt.datetime(2026, 12, 4, 9, 30)


def test_hidden_date_fields_stay_hidden():
    fields = {"on": forms.DateField(widget=forms.HiddenInput)}
    use_date_pickers(fields)
    assert isinstance(fields["on"].widget, forms.HiddenInput)


@pytest.mark.django_db
def test_a_model_form_gets_date_pickers_by_default():
    contact = ContactFactory(birthday=dt.date(1980, 5, 17))
    with translation.override("fi"):
        html = str(ContactForm(instance=contact, account=contact.account, personal=True)["birthday"])
    assert 'type="date"' in html and 'value="1980-05-17"' in html


@pytest.mark.django_db
def test_occurred_at_is_a_date_time_picker():
    form = InteractionForm(contacts=[])
    html = str(form["occurred_at"])
    assert 'type="datetime-local"' in html
    value = html.split('value="')[1].split('"')[0]
    assert dt.datetime.strptime(value, "%Y-%m-%dT%H:%M")


@pytest.mark.django_db
def test_the_contact_edit_page_shows_and_takes_back_the_iso_birthday(client, kam, account):
    contact = ContactFactory(account=account, birthday=dt.date(1980, 5, 17))
    client.force_login(kam)
    url = reverse("accounts:contact-edit", args=[contact.pk])
    page = client.get(url).content.decode()
    assert 'type="date" name="birthday" value="1980-05-17"' in page


@pytest.mark.django_db
def test_favicon_ico_leads_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg")
    assert "img/favicon" in response["Location"]


@pytest.mark.django_db
def test_every_page_links_the_favicon(client, kam):
    client.force_login(kam)
    page = client.get(reverse("home")).content.decode()
    assert 'rel="icon"' in page and "favicon" in page and "tom-select" in page


def test_a_status_has_one_colour():
    assert status_tone("lost") == "text-bg-danger"
    assert status_tone("at_risk") == "text-bg-warning"
    assert status_tone("active") == "text-bg-success"
    assert status_tone("won", "proposal") == status_tone("won", "tender") == "text-bg-success"
    assert status_tone("nonsense").startswith("text-bg-light")
    assert status_text("lost") == "text-danger"


def test_the_badge_tag_the_filter_and_the_proposal_badge_agree():
    html = Template(
        "{% load ui %}{% badge 'lost' 'Lost' %}|{{ 'lost'|status_tone }}|{{ 'open'|status_tone:'complaint' }}"
    ).render(Context())
    badge, tone, complaint = html.split("|")
    assert 'class="badge text-bg-danger"' in badge
    assert tone == "text-bg-danger"
    assert complaint == "text-bg-" + STATUS_TONES["complaint"]["open"]

    class Lost:
        status = "lost"

        def get_status_display(self):
            return "Lost"

    proposal = Template("{% load proposal_ui %}{% status_badge p %}").render(Context({"p": Lost()}))
    assert "text-bg-" + STATUS_TONES["proposal"]["lost"] in proposal


@pytest.mark.django_db
def test_the_group_structure_page_highlights_its_own_tab(client, kam, account):
    client.force_login(kam)
    page = client.get(reverse("accounts:hierarchy", args=[account.pk])).content.decode()
    hierarchy = reverse("accounts:hierarchy", args=[account.pk])
    assert f'nav-link active" href="{hierarchy}"' in page
    assert f'nav-link active" href="{reverse("accounts:detail", args=[account.pk])}"' not in page


@pytest.mark.django_db
def test_the_api_docs_link_back_to_the_app(client, kam):
    client.force_login(kam)
    page = client.get(reverse("api-docs")).content.decode()
    assert f'class="back-to-app" href="{reverse("home")}"' in page
