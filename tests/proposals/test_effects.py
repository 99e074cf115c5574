"""What a move of the workflow sets off: notifications to the people concerned, refusals when lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from proposals import services
from proposals.links import proposal_url
from proposals.models import Proposal
from retention.models import Notification, Refusal
from sales.models import ProductLine
from tests.factories import UserFactory
from tests.proposals.conftest import add_line

S = Proposal.Status


def move(proposal, to, by, **extra):
    return services.proposal_transition(proposal=proposal, to=to, by=by, **extra)


def told(kind=None):
    notifications = Notification.objects.order_by("pk")
    if kind:
        notifications = notifications.filter(kind=kind)
    return [(n.user.username, n.kind) for n in notifications]


@pytest.fixture
def deep(draft):
    """A draft discounted deep enough to need the head's approval."""
    add_line(draft, discount="25")
    return draft


# --- notifications ---


def test_submitting_tells_every_head_of_the_accounts_department_and_no_one_else(
    deep, kam, teammate, outsider, head, other_head, admin_user, analyst, department
):
    second_head = UserFactory(username="cohead", role=User.Role.HEAD, departments=[department])
    UserFactory(username="retired", role=User.Role.HEAD, departments=[department], is_active=False)

    move(deep, S.IN_APPROVAL, kam, comment="Volume deal, please check")

    assert sorted(told()) == [("cohead", "proposal_approval"), ("head", "proposal_approval")]
    notification = Notification.objects.get(user=head)
    assert notification.title == f"{kam} asks you to approve {deep}"
    assert notification.body.startswith("Volume deal, please check\nWhy: a line is discounted 25")
    assert (notification.url, notification.account) == (proposal_url(deep.pk), deep.account)
    assert second_head.notifications.count() == 1


def test_approval_tells_the_author_with_the_heads_comment(deep, kam, head):
    move(deep, S.IN_APPROVAL, kam)
    move(deep, S.APPROVED, head, comment="OK for 2027")
    notification = Notification.objects.get(kind="proposal_approved")
    assert (notification.user, notification.body) == (kam, "OK for 2027")
    assert notification.title == f"{deep} was approved by {head}"


def test_returning_it_from_approval_tells_the_author(deep, kam, head):
    move(deep, S.IN_APPROVAL, kam)
    move(deep, S.DRAFT, head, comment="Drop the discount on line 1")
    notification = Notification.objects.get(kind="proposal_returned")
    assert (notification.user, notification.body) == (kam, "Drop the discount on line 1")


def test_no_one_is_told_of_their_own_move(deep, kam, head):
    move(deep, S.IN_APPROVAL, kam)
    move(deep, S.DRAFT, kam, comment="One more line first")  # the author takes it back
    assert told("proposal_returned") == []


def test_returning_an_approved_proposal_to_draft_tells_no_one(deep, kam, head):
    move(deep, S.IN_APPROVAL, kam)
    move(deep, S.APPROVED, head)
    move(deep, S.DRAFT, head)
    assert told() == [("head", "proposal_approval"), ("owner", "proposal_approved")]


def test_expiry_tells_the_author(draft, kam):
    Proposal.objects.filter(pk=draft.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    move(draft, S.EXPIRED, None, comment="Past its validity date")
    notification = Notification.objects.get()
    assert (notification.user, notification.kind, notification.url) == (
        kam,
        "proposal_expired",
        proposal_url(draft.pk),
    )
    assert "expired" in notification.title and draft.number in notification.title


@pytest.mark.parametrize("to", [S.SENT, S.WITHDRAWN])
def test_other_moves_tell_no_one(draft, kam, head, to):
    add_line(draft)
    move(draft, to, kam)
    assert told() == []


def test_the_link_is_the_proposal_page():
    try:
        page = reverse("proposals:detail", args=[42])
    except NoReverseMatch:
        pytest.skip("the proposal page is not routed yet")
    assert proposal_url(42) == page


# --- lost proposals are refusals ---


@pytest.fixture
def lines():
    return {
        code: ProductLine.objects.create(code=code, name=name)
        for code, name in (("coil", "Cold-rolled coil"), ("pipe", "Pipes"))
    }


def lose(proposal, by, **extra):
    move(proposal, S.SENT, by)
    return move(proposal, S.LOST, by, reason="price", **extra)


def test_a_lost_proposal_is_one_refusal_per_product_line(draft, kam, lines):
    add_line(draft, product_line=lines["coil"])
    add_line(draft, product_line=lines["coil"], description="Coil DC04")
    add_line(draft, product_line=lines["pipe"], description="Pipe 40x2")
    add_line(draft, description="Freight")

    lose(draft, kam, comment="Competitor 8 % cheaper")

    refusals = list(Refusal.objects.order_by("product_line__code"))
    assert [r.product_line for r in refusals] == [lines["coil"], lines["pipe"]]
    for refusal in refusals:
        assert (refusal.account, refusal.kind, refusal.reason, refusal.on, refusal.recorded_by) == (
            draft.account,
            Refusal.Kind.PROPOSAL,
            "price",
            timezone.localdate(),
            kam,
        )
        assert refusal.text == f"Proposal {draft.number}: Competitor 8 % cheaper"


def test_a_lost_proposal_without_product_lines_is_one_refusal_without_direction(draft, teammate):
    add_line(draft)
    lose(draft, teammate)
    refusal = Refusal.objects.get()
    assert (refusal.product_line, refusal.recorded_by, refusal.text) == (
        None,
        teammate,
        f"Proposal {draft.number}",
    )


def test_only_a_loss_records_a_refusal(draft, kam):
    add_line(draft)
    move(draft, S.SENT, kam)
    move(draft, S.WON, kam, reason="value")
    assert not Refusal.objects.exists()
