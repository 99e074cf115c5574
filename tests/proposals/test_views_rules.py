"""The rules hold on the pages as in the services: no deep discount goes out unapproved, nothing
past its validity is sent or won; the strip closes steps; the PDF carries the addressees' names."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from proposals import services
from proposals.models import Proposal
from tests.factories import ContactFactory
from tests.proposals.conftest import add_line

pytestmark = pytest.mark.django_db
S = Proposal.Status


def post_move(client, proposal, to, **extra):
    version = Proposal.objects.get(pk=proposal.pk).version
    return client.post(
        reverse("proposals:transition", args=[proposal.pk]),
        {"to": to, "version": version, **extra},
        follow=True,
    )


def status_of(proposal):
    return Proposal.objects.get(pk=proposal.pk).status


@pytest.mark.parametrize("to", [S.SENT, S.RECEIVED, S.NEGOTIATION, S.WON, S.APPROVED])
def test_a_deep_discount_reaches_no_one_from_the_page_before_approval(client, kam, draft, to):
    add_line(draft, discount="25")
    client.force_login(kam)
    response = post_move(client, draft, to, reason="value")
    assert response.status_code == 200 and status_of(draft) == S.DRAFT
    services.proposal_transition(proposal=draft, to=S.IN_APPROVAL, by=kam)
    post_move(client, draft, to, reason="value")
    assert status_of(draft) == S.IN_APPROVAL  # a KAM cannot approve, nor skip past the approval


def test_past_its_validity_a_proposal_is_neither_sent_nor_won_from_the_page(client, kam, draft):
    add_line(draft)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Proposal.objects.filter(pk=draft.pk).update(valid_until=yesterday)
    client.force_login(kam)
    response = post_move(client, draft, S.SENT)
    assert "expired on" in response.content.decode() and status_of(draft) == S.DRAFT
    Proposal.objects.filter(pk=draft.pk).update(status=S.NEGOTIATION)
    response = post_move(client, draft, S.WON, reason="value")
    assert "expired on" in response.content.decode() and status_of(draft) == S.NEGOTIATION


def test_closing_the_open_step_on_the_strip_opens_the_next(client, kam, draft):
    add_line(draft)
    services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    step = draft.follow_up_steps.get(state="open")
    client.force_login(kam)
    client.post(reverse("proposals:follow-up-close", args=[step.pk]), {"outcome": "skipped"})
    states = list(draft.follow_up_steps.order_by("position").values_list("state", flat=True))
    assert states == ["skipped", "open", "waiting", "waiting"]
    assert step.__class__.objects.get(pk=step.pk).task.done


def test_the_pdf_page_carries_the_addressees_names_in_their_scripts(client, kam, account, draft):
    irina = ContactFactory(account=account, first_name="Ирина", last_name="Петрова")
    yamada = ContactFactory(account=account, first_name="太郎", last_name="山田")
    services.proposal_update(proposal=draft, contacts=[irina, yamada])
    add_line(draft)
    client.force_login(kam)
    response = client.get(reverse("proposals:pdf", args=[draft.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ирина" in text and "山田" in text and draft.number in text


def test_the_api_pdf_is_a_pdf_too(client, kam, draft):
    add_line(draft)
    client.force_login(kam)
    response = client.get(f"/api/v1/proposals/{draft.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
