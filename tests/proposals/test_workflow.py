"""The proposal workflow: legal moves, refusals with reasons, the approval rule, expiry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from proposals import services
from proposals.models import Proposal, ProposalTransition
from proposals.services.workflow import moves
from tests.proposals.conftest import add_line

S = Proposal.Status


def refresh(proposal):
    return Proposal.objects.get(pk=proposal.pk)


def test_numbers_run_in_one_sequence_a_year(account, kam):
    first = services.proposal_create(account=account, by=kam, title="A")
    second = services.proposal_create(account=account, by=kam, title="B")
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"P-{year}-0001", f"P-{year}-0002")


def test_a_new_draft_is_valid_for_the_policy_days(draft):
    assert draft.valid_until == timezone.localdate() + dt.timedelta(days=30)
    assert draft.status == S.DRAFT


def test_totals_are_exact_decimals(draft):
    add_line(draft, quantity="3", unit_price="19.99", discount="10")
    add_line(draft, quantity="1", unit_price="0.10", discount="0")
    draft = refresh(draft)
    assert draft.gross_amount == Decimal("60.07")
    assert draft.total_amount == Decimal("54.07")  # 53.973 -> 53.97, + 0.10
    assert draft.discount_amount == Decimal("6.00")
    assert draft.average_discount == Decimal("9.99")


def test_a_small_proposal_goes_out_without_approval(draft, kam):
    add_line(draft, discount="5")
    sent = services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    assert sent.status == S.SENT and sent.sent_at is not None
    record = ProposalTransition.objects.get(proposal=draft)
    assert (record.from_status, record.to_status, record.by) == (S.DRAFT, S.SENT, kam)


@pytest.mark.parametrize("discount", ["25", "20.01"])
def test_a_deep_line_discount_cannot_be_sent_before_approval(draft, kam, head, discount):
    add_line(draft, discount=discount)
    with pytest.raises(services.TransitionRefused, match="department head must approve"):
        services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    services.proposal_transition(proposal=draft, to=S.IN_APPROVAL, by=kam)
    with pytest.raises(services.TransitionRefused, match="cannot become sent"):
        services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    with pytest.raises(services.TransitionRefused, match="Only a department head"):
        services.proposal_transition(proposal=draft, to=S.APPROVED, by=kam)
    services.proposal_transition(proposal=draft, to=S.APPROVED, by=head, comment="OK for 2027")
    assert services.proposal_transition(proposal=draft, to=S.SENT, by=kam).status == S.SENT


def test_the_average_and_the_total_also_call_for_approval(draft, kam):
    add_line(draft, discount="15")  # average 15 % > 12 %
    with pytest.raises(services.TransitionRefused, match="average discount"):
        services.proposal_transition(proposal=draft, to=S.SENT, by=kam)


def test_an_average_a_hair_above_the_limit_calls_for_approval(draft, kam):
    add_line(draft, quantity="1", unit_price="5000.00", discount="12")
    add_line(draft, quantity="1", unit_price="5000.00", discount="12.01")
    draft = refresh(draft)
    assert draft.average_discount == Decimal("12.01")  # 12.005 % shown half up, as the statistics do
    with pytest.raises(services.TransitionRefused, match="average discount"):
        services.proposal_transition(proposal=draft, to=S.SENT, by=kam)


def test_a_large_total_calls_for_approval(draft, kam):
    add_line(draft, quantity="300", unit_price="1000.00")
    with pytest.raises(services.TransitionRefused, match="total"):
        services.proposal_transition(proposal=draft, to=S.SENT, by=kam)


def test_returning_to_draft_lets_the_author_edit_and_drops_the_approval(draft, kam, head):
    add_line(draft, discount="25")
    services.proposal_transition(proposal=draft, to=S.IN_APPROVAL, by=kam)
    services.proposal_transition(proposal=draft, to=S.APPROVED, by=head)
    with pytest.raises(ValidationError, match="only a draft can be changed"):
        add_line(draft, discount="40")
    services.proposal_transition(proposal=draft, to=S.DRAFT, by=kam, comment="one more line")
    add_line(draft, discount="40")
    assert refresh(draft).approved_by is None
    with pytest.raises(services.TransitionRefused, match="must approve"):
        services.proposal_transition(proposal=draft, to=S.SENT, by=kam)


def test_an_expired_proposal_cannot_be_sent_or_won(draft, kam):
    add_line(draft)
    Proposal.objects.filter(pk=draft.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(services.TransitionRefused, match="expired on"):
        services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    Proposal.objects.filter(pk=draft.pk).update(status=S.NEGOTIATION)
    with pytest.raises(services.TransitionRefused, match="expired on"):
        services.proposal_transition(proposal=draft, to=S.WON, by=kam, reason="value")


def test_won_and_lost_need_a_reason(draft, kam):
    add_line(draft)
    services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    with pytest.raises(ValidationError, match="Say why"):
        services.proposal_transition(proposal=draft, to=S.WON, by=kam)
    won = services.proposal_transition(proposal=draft, to=S.WON, by=kam, reason="value", comment="ROI")
    assert (won.status, won.won_reason, won.outcome_notes) == (S.WON, "value", "ROI")


def test_a_closed_proposal_goes_nowhere(draft, kam):
    services.proposal_transition(proposal=draft, to=S.WITHDRAWN, by=kam)
    with pytest.raises(services.TransitionRefused, match="it is closed"):
        services.proposal_transition(proposal=draft, to=S.DRAFT, by=kam)


def test_an_unknown_status_is_named_in_the_refusal(draft, kam):
    with pytest.raises(services.TransitionRefused, match="“done” is not a status"):
        services.proposal_transition(proposal=draft, to="done", by=kam)


def test_analysts_cannot_move_proposals(draft, analyst):
    with pytest.raises(services.TransitionRefused, match="can read proposals but not change"):
        services.proposal_transition(proposal=draft, to=S.WITHDRAWN, by=analyst)


def test_moves_list_each_target_with_why_not(draft, kam):
    add_line(draft, discount="25")
    listed = {move.to: move.refused for move in moves(refresh(draft), kam)}
    assert set(listed) == {S.IN_APPROVAL, S.SENT, S.WITHDRAWN, S.EXPIRED}
    assert listed[S.IN_APPROVAL] is None
    assert "must approve" in listed[S.SENT]


def test_the_status_cannot_be_assigned_directly(draft):
    with pytest.raises(AttributeError):
        draft.status = S.WON


def test_a_copy_is_a_new_draft_with_the_same_content(draft, kam, contact):
    add_line(draft, discount="3")
    services.proposal_update(proposal=draft, contacts=[contact], benefits="Less scrap")
    services.proposal_transition(proposal=draft, to=S.WITHDRAWN, by=kam)
    copy = services.proposal_copy(proposal=draft, by=kam)
    assert copy.status == S.DRAFT and copy.number != draft.number and copy.copied_from == draft
    assert list(copy.contacts.all()) == [contact] and copy.benefits == "Less scrap"
    assert copy.total_amount == refresh(draft).total_amount


def test_a_stale_edit_is_refused(draft):
    with pytest.raises(ValidationError, match="changed by someone else"):
        services.proposal_update(proposal=draft, expected_version=draft.version + 5, title="X")


def test_contacts_of_another_account_are_refused(draft, foreign_contact):
    with pytest.raises(ValidationError, match="buying centre"):
        services.proposal_update(proposal=draft, contacts=[foreign_contact])
