"""The printable proposal: what the client reads, with every name in the script it is written in."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Contact
from proposals import services
from proposals.document import proposal_pdf
from proposals.document.content import status_mark
from proposals.models import Proposal
from tests.factories import ContactFactory
from tests.proposals.conftest import add_line

Role = Contact.DmuRole
FINANCE_ARGUMENT = "The new coil pays back the press-line retrofit in eight months."
TECHNICAL_ARGUMENT = "DC01 to EN 10130, flatness within half the standard tolerance."


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def text_of(pdf: bytes) -> str:
    return "\n".join(pages_of(pdf))


@pytest.fixture
def addressees(account):
    def contact(first_name, last_name, position, role):
        return ContactFactory(
            account=account, first_name=first_name, last_name=last_name, position=position, dmu_role=role
        )

    return [
        contact("Ирина", "Петрова", "Финансовый директор", Role.FINANCIAL_APPROVER),
        contact("太郎", "山田", "技術部長", Role.TECHNICAL_EXPERT),
        contact("Jürgen", "Müller", "Head of Procurement", Role.BUYER),
    ]


@pytest.fixture
def proposal(draft, kam, teammate, addressees):
    story = services.success_story_create(
        by=kam,
        title="Coil supply for a new press line",
        client_name="Baltic Rail Works",
        result="Scrap rate down from 4 % to 1.5 % in the first year.",
        recommender_name="Anna Virtanen",
        recommender_position="Production director",
        year=2024,
    )
    services.proposal_update(
        proposal=draft,
        contacts=addressees,
        team=[teammate],
        references=[story],
        benefits="One supplier for all cold-rolled grades, delivered to the line.",
        annual_savings=Decimal("184500.00"),
        payback_months=Decimal("8"),
        payment_terms="60 days net.",
        delivery_terms="DAP Tampere, weekly call-offs.",
    )
    add_line(draft, quantity="1200", unit_price="1450.00", discount="5", sku="DC01-10")
    add_line(draft, quantity="300", unit_price="980.50", description="Coil DC04 0.8 mm")
    services.argument_create(proposal=draft, audience=Role.FINANCIAL_APPROVER, text=FINANCE_ARGUMENT)
    services.argument_create(proposal=draft, audience=Role.TECHNICAL_EXPERT, text=TECHNICAL_ARGUMENT)
    return Proposal.objects.get(pk=draft.pk)


def test_the_pdf_names_every_addressee_in_their_own_script(proposal):
    text = text_of(proposal_pdf(proposal))
    for name in ("Ирина", "Петрова", "太郎", "山田", "Jürgen", "Müller", "技術部長"):
        assert name in text


def test_the_pdf_carries_the_number_the_figures_the_references_and_the_arguments(proposal, teammate):
    text = text_of(proposal_pdf(proposal))
    assert proposal.total_amount == Decimal("1947150.00")  # 1200 x 1450 less 5 %, + 300 x 980.50
    assert proposal.number in text
    assert "1,947,150.00 EUR" in text
    assert "184,500.00 EUR" in text
    assert "Baltic Rail Works" in text and "Anna Virtanen" in text
    assert FINANCE_ARGUMENT in text and TECHNICAL_ARGUMENT in text
    assert teammate.email in text
    assert "60 days net." in text


def test_the_personal_details_of_the_buying_centre_stay_out_of_the_pdf(proposal):
    text = text_of(proposal_pdf(proposal))
    assert "sailing" not in text  # the contacts' hobbies
    assert "+358 40 123 4567" not in text  # their private phone


def test_an_audience_keeps_only_the_arguments_for_that_role(proposal):
    text = text_of(proposal_pdf(proposal, audience=Role.FINANCIAL_APPROVER))
    assert FINANCE_ARGUMENT in text
    assert TECHNICAL_ARGUMENT not in text
    assert "山田" in text  # still an addressee of the proposal


def test_no_audience_groups_every_argument_under_its_role(proposal):
    text = text_of(proposal_pdf(proposal, audience=""))
    assert text.index("Financial approver") < text.index(FINANCE_ARGUMENT)
    assert text.index("Technical expert") < text.index(TECHNICAL_ARGUMENT)


def test_an_unknown_audience_is_refused(proposal):
    with pytest.raises(ValueError, match="nobody"):
        proposal_pdf(proposal, audience="nobody")


def test_the_same_proposal_gives_the_same_bytes(proposal):
    assert proposal_pdf(proposal) == proposal_pdf(proposal)


def test_a_long_proposal_runs_over_pages_with_the_table_heading_on_each(draft):
    for number in range(1, 201):
        add_line(draft, description=f"Coil item {number:03d}", sku=f"SKU-{number:03d}", discount="3")
    pages = pages_of(proposal_pdf(Proposal.objects.get(pk=draft.pk)))
    assert len(pages) >= 5
    with_lines = [page for page in pages if re.search(r"Coil item \d{3}", page)]
    assert len(with_lines) >= 4
    assert all("Unit price, EUR" in " ".join(page.split()) for page in with_lines)
    assert all(f"Coil item {number:03d}" in "".join(pages) for number in (1, 100, 200))


def test_a_proposal_without_a_value_argument_or_references_leaves_them_out(draft):
    add_line(draft)
    text = text_of(proposal_pdf(Proposal.objects.get(pk=draft.pk)))
    assert "References" not in text
    assert "The value for" not in text
    assert "10,000.00 EUR" in text


def test_a_draft_and_an_expired_proposal_are_stamped_and_a_sent_one_is_not(draft, kam):
    assert status_mark(draft) == "DRAFT"
    add_line(draft)
    sent = services.proposal_transition(proposal=draft, to=Proposal.Status.SENT, by=kam)
    assert status_mark(sent) == ""
    sent.valid_until = timezone.localdate() - dt.timedelta(days=1)
    assert status_mark(sent) == "EXPIRED"


def test_the_pdf_is_read_in_a_fixed_number_of_queries(proposal, django_assert_num_queries):
    # the proposal with its account and author; its team; their roles on the account's team; the
    # addressees; the lines with their product lines; the references; the arguments; their contacts
    with django_assert_num_queries(8):
        proposal_pdf(proposal)
