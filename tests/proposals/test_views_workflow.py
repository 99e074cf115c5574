"""The workflow on the proposal page and in the approval queue; arguments per audience; copies,
the PDF link and the follow-up steps."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import FollowUpStep, Proposal, ProposalArgument, ProposalTransition
from tests.factories import ContactFactory
from tests.proposals.conftest import add_line

pytestmark = pytest.mark.django_db

S = Proposal.Status


def url(name, *args):
    return reverse(f"proposals:{name}", args=args)


def refresh(proposal):
    return Proposal.objects.get(pk=proposal.pk)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def move(client, proposal, to, **extra):
    body = {"to": to, "version": refresh(proposal).version, **extra}
    return client.post(url("transition", proposal.pk), body, follow=True)


@pytest.fixture
def deep(draft, kam):
    """A draft with a 25 % discount: it needs the department head's approval before it is sent."""
    add_line(draft, discount="25")
    return refresh(draft)


# --- moves on the page --------------------------------------------------------------------------


def test_the_moves_are_listed_with_why_the_refused_ones_are_refused(client, kam, draft):
    client.force_login(kam)
    page = text(client.get(url("detail", draft.pk)))
    assert "Submit for approval" in page and "Withdraw" in page
    assert re.search(r'title="The proposal has no lines[^"]*"><button [^>]*disabled', page)
    assert "<strong>Mark as sent</strong>: The proposal has no lines" in page


def test_a_refused_move_comes_back_as_a_message_not_an_error(client, kam, draft):
    client.force_login(kam)
    response = move(client, draft, S.SENT)
    assert response.status_code == 200
    assert "The proposal has no lines: add what you offer first." in text(response)
    assert refresh(draft).status == S.DRAFT


def test_a_move_is_recorded_with_its_comment(client, kam, draft):
    add_line(draft)
    client.force_login(kam)
    response = move(client, draft, S.SENT, comment="By e-mail to the buyer")
    assert "is now sent" in text(response)
    record = ProposalTransition.objects.get(proposal=draft)
    assert (record.to_status, record.by, record.comment) == (S.SENT, kam, "By e-mail to the buyer")
    assert "By e-mail to the buyer" in text(client.get(url("detail", draft.pk)))


def test_won_asks_why_next_to_the_field(client, kam, draft):
    add_line(draft)
    services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    client.force_login(kam)
    response = client.post(url("transition", draft.pk), {"to": S.WON, "version": refresh(draft).version})
    assert response.status_code == 400
    assert response.context["transition_form"].errors["reason"]
    assert '<details class="outcome" id="outcome-won" open>' in text(response)
    assert refresh(draft).status == S.SENT
    move(client, draft, S.WON, reason="value", comment="ROI in 8 months")
    won = refresh(draft)
    assert (won.status, won.won_reason, won.outcome_notes) == (S.WON, "value", "ROI in 8 months")


def test_lost_takes_a_reason_of_the_loss_list(client, kam, draft):
    add_line(draft)
    services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    client.force_login(kam)
    page = client.get(url("detail", draft.pk)).content.decode()
    assert 'value="competitor"' in page  # retention's reasons, offered for a loss
    move(client, draft, S.LOST, reason="competitor")
    assert refresh(draft).lost_reason == "competitor"


def test_a_stale_move_is_refused_by_the_form(client, kam, draft):
    add_line(draft)
    client.force_login(kam)
    response = client.post(url("transition", draft.pk), {"to": S.WITHDRAWN, "version": draft.version})
    assert response.status_code == 400 and "changed by someone else" in text(response)
    assert refresh(draft).status == S.DRAFT


def test_an_analyst_reads_the_moves_but_cannot_make_them(client, analyst, draft):
    client.force_login(analyst)
    page = text(client.get(url("detail", draft.pk)))
    assert "Read-only" in page and url("transition", draft.pk) not in page
    assert client.post(url("transition", draft.pk), {"to": S.WITHDRAWN}).status_code == 403


# --- approval -----------------------------------------------------------------------------------


def test_the_author_sees_who_must_approve_and_why(client, kam, deep):
    services.proposal_transition(proposal=deep, to=S.IN_APPROVAL, by=kam)
    client.force_login(kam)
    page = text(client.get(url("detail", deep.pk)))
    assert "Waiting for approval by the department head" in page
    assert "a line is discounted 25.00 % (above 20.00 %)" in page
    assert 'value="approved"' not in page and "Take it back to draft" in page


def test_a_head_approves_on_the_page(client, kam, head, deep):
    services.proposal_transition(proposal=deep, to=S.IN_APPROVAL, by=kam)
    client.force_login(head)
    assert "Your approval is needed" in text(client.get(url("detail", deep.pk)))
    move(client, deep, S.APPROVED, comment="OK for 2027")
    approved = refresh(deep)
    assert (approved.status, approved.approved_by) == (S.APPROVED, head)


def test_a_head_returns_it_to_draft_with_a_comment(client, kam, head, deep):
    services.proposal_transition(proposal=deep, to=S.IN_APPROVAL, by=kam)
    client.force_login(head)
    move(client, deep, S.DRAFT, comment="At most 20 % on coil")
    assert refresh(deep).status == S.DRAFT
    assert ProposalTransition.objects.filter(to_status=S.DRAFT, comment="At most 20 % on coil").exists()


def test_a_kam_cannot_approve(client, kam, deep):
    services.proposal_transition(proposal=deep, to=S.IN_APPROVAL, by=kam)
    client.force_login(kam)
    response = move(client, deep, S.APPROVED)
    assert "Only a department head or an administrator approves proposals." in text(response)
    assert refresh(deep).status == S.IN_APPROVAL


# --- the approval queue -------------------------------------------------------------------------


@pytest.fixture
def waiting(deep, kam, foreign_account, outsider):
    """The KAM's deep-discount proposal waits for approval, and so does one of the outsider's."""
    services.proposal_transition(proposal=deep, to=S.IN_APPROVAL, by=kam)
    theirs = services.proposal_create(account=foreign_account, by=outsider, title="Foods")
    add_line(theirs, quantity="300", unit_price="1000.00")
    services.proposal_transition(proposal=theirs, to=S.IN_APPROVAL, by=outsider)
    return refresh(deep), refresh(theirs)


def test_the_queue_says_why_each_needs_approval(client, head, waiting):
    client.force_login(head)
    page = text(client.get(url("approvals")))
    mine, theirs = waiting
    assert mine.number in page and theirs.number in page
    assert "A line is discounted 25.00 % (above 20.00 %)" in page
    assert "The total 300,000.00 is above 250,000.00" in page
    assert page.count('value="approved"') == 2


def test_a_head_approves_from_the_queue_and_stays_there(client, head, waiting):
    mine, _theirs = waiting
    client.force_login(head)
    body = {"to": S.APPROVED, "version": mine.version, "next": url("approvals"), "comment": "Fine"}
    response = client.post(url("transition", mine.pk), body)
    assert response.status_code == 302 and response["Location"] == url("approvals")
    assert refresh(mine).status == S.APPROVED
    queue = client.get(url("approvals"))
    assert f"{mine.number} is now approved." in text(queue) and f'id="queue-{mine.pk}"' not in text(queue)


def test_a_kam_sees_only_what_they_see_and_cannot_decide(client, kam, waiting):
    mine, theirs = waiting
    client.force_login(kam)
    page = text(client.get(url("approvals")))
    assert mine.number in page and theirs.number not in page
    assert 'value="approved"' not in page


def test_an_analyst_reads_the_queue(client, analyst, waiting):
    client.force_login(analyst)
    page = text(client.get(url("approvals")))
    assert all(p.number in page for p in waiting) and 'value="approved"' not in page


# --- arguments per audience ---------------------------------------------------------------------


def test_each_audience_shows_its_hint_its_people_and_its_arguments(client, kam, account, draft):
    ContactFactory(account=account, first_name="Ari", last_name="Boss", dmu_role="decision_maker")
    services.argument_create(proposal=draft, audience="decision_maker", text="Less risk in supply")
    client.force_login(kam)
    page = text(client.get(url("detail", draft.pk)))
    assert "wants strategy and risk" in page and "Less risk in supply" in page and "To Ari Boss" in page
    assert "The decision maker has an argument." in page


def test_an_argument_added_without_people_goes_to_the_role(client, kam, account, draft):
    buyer = ContactFactory(account=account, dmu_role="buyer")
    client.force_login(kam)
    body = {"audience": "buyer", "text": "Price held for 12 months", "version": draft.version}
    assert client.post(url("argument-create", draft.pk), body).status_code == 302
    assert list(ProposalArgument.objects.get().contacts.all()) == [buyer]


def test_a_bad_argument_reopens_the_form_with_its_errors(client, kam, draft):
    client.force_login(kam)
    response = client.post(url("argument-create", draft.pk), {"audience": "buyer", "version": draft.version})
    assert response.status_code == 400 and response.context["argument_form"].errors["text"]


def test_an_argument_is_edited_and_deleted(client, kam, draft):
    argument = services.argument_create(proposal=draft, audience="buyer", text="Cheaper")
    client.force_login(kam)
    body = {"audience": "buyer", "text": "Cheaper per tonne", "version": refresh(draft).version}
    assert client.post(url("argument-edit", argument.pk), body).status_code == 302
    assert ProposalArgument.objects.get().text == "Cheaper per tonne"
    client.post(url("argument-delete", argument.pk), {"version": refresh(draft).version})
    assert not ProposalArgument.objects.exists()


# --- copy, PDF, follow-up -----------------------------------------------------------------------


def test_a_copy_is_a_new_draft_opened_at_once(client, kam, draft):
    add_line(draft)
    services.proposal_transition(proposal=draft, to=S.WITHDRAWN, by=kam)
    client.force_login(kam)
    response = client.post(url("copy", draft.pk))
    copy = Proposal.objects.exclude(pk=draft.pk).get()
    assert response["Location"] == url("detail", copy.pk)
    assert (copy.status, copy.copied_from, copy.lines.count()) == (S.DRAFT, refresh(draft), 1)


def test_the_page_links_the_pdf_for_everyone_and_for_each_audience(client, kam, draft):
    client.force_login(kam)
    page = client.get(url("detail", draft.pk)).content.decode()
    assert f'href="{url("pdf", draft.pk)}"' in page
    assert f'href="{url("pdf", draft.pk)}?audience=financial_approver"' in page


def test_the_pdf_of_a_foreign_proposal_is_not_found(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(url("pdf", draft.pk)).status_code == 404


def test_an_unknown_audience_is_refused(client, kam, draft):
    client.force_login(kam)
    response = client.get(url("pdf", draft.pk), {"audience": "cfo"})
    assert response.status_code == 400 and b"decision_maker" in response.content


def test_the_pdf_needs_a_login(client, draft):
    response = client.get(url("pdf", draft.pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.fixture
def open_step(draft):
    due = timezone.localdate() + dt.timedelta(days=1)
    return FollowUpStep.objects.create(
        proposal=draft, position=1, key="confirm_receipt", title="Confirm receipt of the proposal",
        working_days=1, state=FollowUpStep.State.OPEN, due_on=due,
    )  # fmt: skip


def test_the_open_follow_up_step_has_its_buttons(client, kam, open_step):
    client.force_login(kam)
    page = text(client.get(url("detail", open_step.proposal_id)))
    assert "Confirm receipt of the proposal" in page and url("follow-up-close", open_step.pk) in page
    assert 'value="done"' in page and 'value="skipped"' in page


def test_a_foreign_follow_up_step_is_not_found(client, outsider, open_step):
    client.force_login(outsider)
    assert client.post(url("follow-up-close", open_step.pk)).status_code == 404


def test_an_analyst_cannot_close_a_step(client, analyst, open_step):
    client.force_login(analyst)
    assert client.post(url("follow-up-close", open_step.pk), {"outcome": "done"}).status_code == 403
    assert FollowUpStep.objects.get().state == FollowUpStep.State.OPEN
