"""The proposal cards of the home page: expiring soon, and waiting for a head's approval."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.links import proposal_url
from proposals.models import Proposal
from tests.factories import AccountFactory
from tests.proposals.conftest import add_line

S = Proposal.Status


def expiring_in(proposal, days):
    Proposal.objects.filter(pk=proposal.pk).update(valid_until=timezone.localdate() + dt.timedelta(days=days))
    return proposal


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


@pytest.fixture
def expiring(account, kam, teammate):
    return {
        "own": expiring_in(services.proposal_create(account=account, by=kam, title="Own, soon"), 3),
        "later": expiring_in(services.proposal_create(account=account, by=kam, title="Own, later"), 20),
        "teammates": expiring_in(services.proposal_create(account=account, by=teammate, title="Theirs"), 2),
    }


def test_a_kam_sees_their_own_proposals_expiring_within_the_policy_days(client, kam, expiring):
    page = home(client, kam)
    assert 'id="proposals-expiring"' in page
    assert "Own, soon" in page and "Own, later" not in page and "Theirs" not in page
    assert f'href="{proposal_url(expiring["own"].pk)}"' in page
    assert f'href="/proposals/?expiring=true&amp;author={kam.pk}"' in page


def test_a_head_sees_every_expiring_proposal_they_see(client, head, other_head, expiring):
    page = home(client, head)
    assert "Own, soon" in page and "Theirs" in page and "Own, later" not in page
    assert 'href="/proposals/?expiring=true"' in page
    assert 'id="proposals-expiring"' not in home(client, other_head)


def test_no_card_when_nothing_expires_soon(client, kam, draft):
    assert 'id="proposals-expiring"' not in home(client, kam)


@pytest.fixture
def waiting(draft, kam):
    add_line(draft, discount="25")
    return services.proposal_transition(proposal=draft, to=S.IN_APPROVAL, by=kam)


def test_heads_and_administrators_see_what_waits_for_approval(client, head, admin_user, waiting):
    for user in (head, admin_user):
        page = home(client, user)
        assert 'id="approvals-waiting"' in page and waiting.number in page
        assert 'href="/proposals/approvals/"' in page and "1 waiting" in page


def test_kams_and_heads_of_other_departments_see_no_approvals(client, kam, other_head, analyst, waiting):
    for user in (kam, other_head, analyst):
        assert 'id="approvals-waiting"' not in home(client, user)


def build(kam, department, n):
    """n proposals waiting for approval and n expiring soon, each on its own account."""
    for i in range(n):
        account = AccountFactory(owner=kam, department=department)
        proposal = services.proposal_create(account=account, by=kam, title=f"Deep {i}")
        add_line(proposal, discount="25")
        services.proposal_transition(proposal=proposal, to=S.IN_APPROVAL, by=kam)
        expiring_in(services.proposal_create(account=account, by=kam, title=f"Soon {i}"), 1)


def test_the_cards_cost_the_same_queries_for_two_proposals_and_for_six(
    client, head, kam, department, django_assert_num_queries
):
    request = RequestFactory().get("/")
    request.user = head
    cards = Template("{% load proposals_home %}{% approvals_waiting %}{% proposals_expiring %}")
    client.force_login(head)
    client.get(reverse("home"))  # the first request of the session warms caches up
    counts = []
    for n in (2, 6):
        build(kam, department, n)
        # 1-2. the first waiting proposals (account and author joined), their count
        # 3. the proposal policy in force, for the "expiring soon" days
        # 4-5. the first expiring proposals (account and author joined), their count
        with django_assert_num_queries(5):
            cards.render(Context({"request": request}))
        with CaptureQueriesContext(connection) as page:
            client.get(reverse("home"))
        counts.append(len(page))
    assert counts[0] == counts[1]
