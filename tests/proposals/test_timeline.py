"""Proposals on the account timeline: each one drafted, and each move with its comment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from dossiers.timeline import account_timeline, timeline_types
from proposals import services
from proposals.links import proposal_url
from proposals.models import Proposal
from proposals.timeline import proposals
from tests.proposals.conftest import add_line

S = Proposal.Status


def history(account):
    return [(e.title, e.detail, e.by) for e in account_timeline(account=account, types=["proposal"])]


def test_a_proposal_shows_when_drafted_and_at_each_move(draft, kam, head, foreign_account, outsider):
    add_line(draft, discount="25")
    services.proposal_transition(proposal=draft, to=S.IN_APPROVAL, by=kam)
    services.proposal_transition(proposal=draft, to=S.APPROVED, by=head, comment="OK for 2027")
    services.proposal_transition(proposal=draft, to=S.SENT, by=kam)
    services.proposal_create(account=foreign_account, by=outsider, title="Someone else's")

    n = draft.number
    assert history(draft.account) == [
        (f"{n} Cold-rolled coil, 2027: Approved → Sent", "", str(kam)),
        (f"{n} Cold-rolled coil, 2027: In approval → Approved", "OK for 2027", str(head)),
        (f"{n} Cold-rolled coil, 2027: Draft → In approval", "", str(kam)),
        (f"{n} Cold-rolled coil, 2027: drafted", "", str(kam)),
    ]
    entries = account_timeline(account=draft.account, types=["proposal"])
    assert {(e.type, e.label, e.url) for e in entries} == {("proposal", "Proposal", proposal_url(draft.pk))}


def test_a_copy_says_what_it_was_copied_from(draft, kam):
    copy = services.proposal_copy(proposal=draft, by=kam)
    newest = account_timeline(account=draft.account, types=["proposal"])[0]
    assert (newest.title, newest.detail) == (
        f"{copy.number} {copy.title}: drafted",
        f"A copy of {draft.number}",
    )


def test_the_nightly_expiry_shows_with_no_one_named(draft):
    Proposal.objects.filter(pk=draft.pk).update(valid_until=dt.date(2000, 1, 1))
    services.proposals_expire_overdue()
    title, detail, by = history(draft.account)[0]
    assert (title.endswith("Draft → Expired"), detail, by) == (True, "Past its validity date", "")


def test_proposals_are_a_type_of_the_timeline_filter(draft):
    assert ("proposal", "Proposals") in timeline_types()
    assert history(draft.account)  # and only when asked for among other types
    assert not account_timeline(account=draft.account, types=["meeting"])


@pytest.mark.parametrize("n", [1, 4])
def test_the_source_reads_the_same_two_queries_however_many_proposals(
    account, kam, n, django_assert_num_queries
):
    for i in range(n):
        proposal = services.proposal_create(account=account, by=kam, title=f"Offer {i}")
        add_line(proposal)
        services.proposal_transition(proposal=proposal, to=S.SENT, by=kam, comment="by e-mail")
    # 1. the moves of the account's proposals, with the proposal and who moved it
    # 2. the account's proposals, with their author and what each was copied from
    with django_assert_num_queries(2):
        entries = proposals(account, None, 50)
    assert len(entries) == 2 * n


def test_the_timeline_page_lists_proposals_for_those_who_see_the_account(client, kam, outsider, draft):
    client.force_login(kam)
    url = reverse("dossiers:timeline", args=[draft.account_id])
    assert draft.number in client.get(url, {"type": "proposal"}).content.decode()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
