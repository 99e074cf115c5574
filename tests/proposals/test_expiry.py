"""The nightly expiry: open proposals past their validity date become expired, their authors told."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from proposals import services
from proposals.models import FollowUpStep, Proposal, ProposalTransition
from proposals.tasks import expire_overdue
from retention.models import Notification
from tests.proposals.conftest import add_line

S = Proposal.Status


def past_validity(proposal, days=1):
    Proposal.objects.filter(pk=proposal.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=days))


def status(proposal):
    return Proposal.objects.get(pk=proposal.pk).status


@pytest.fixture
def portfolio(account, kam, teammate):
    """An overdue draft, an overdue sent proposal, one still valid and one overdue but decided."""
    overdue = services.proposal_create(account=account, by=kam, title="Overdue draft")
    sent = services.proposal_create(account=account, by=teammate, title="Overdue, with the client")
    add_line(sent)
    services.proposal_transition(proposal=sent, to=S.SENT, by=teammate)
    valid = services.proposal_create(account=account, by=kam, title="Still valid")
    won = services.proposal_create(account=account, by=kam, title="Won already")
    add_line(won)
    services.proposal_transition(proposal=won, to=S.SENT, by=kam)
    services.proposal_transition(proposal=won, to=S.WON, by=kam, reason="value")
    for proposal in (overdue, sent, won):
        past_validity(proposal)
    return {"overdue": overdue, "sent": sent, "valid": valid, "won": won}


def test_open_proposals_past_validity_expire_through_the_workflow(portfolio, kam, teammate):
    assert services.proposals_expire_overdue() == 2

    assert {name: status(p) for name, p in portfolio.items()} == {
        "overdue": S.EXPIRED,
        "sent": S.EXPIRED,
        "valid": S.DRAFT,
        "won": S.WON,
    }
    moves = ProposalTransition.objects.filter(to_status=S.EXPIRED)
    assert {(m.proposal_id, m.by, m.comment) for m in moves} == {
        (portfolio["overdue"].pk, None, "Past its validity date"),
        (portfolio["sent"].pk, None, "Past its validity date"),
    }
    assert sorted((n.user.username, n.kind) for n in Notification.objects.all()) == [
        ("owner", "proposal_expired"),
        ("teammate", "proposal_expired"),
    ]
    assert set(FollowUpStep.objects.filter(proposal=portfolio["sent"]).values_list("state", flat=True)) == {
        "skipped"
    }


def test_a_second_run_finds_nothing_to_do(portfolio):
    services.proposals_expire_overdue()
    assert services.proposals_expire_overdue() == 0
    assert Notification.objects.count() == 2


def test_a_proposal_valid_until_today_is_not_expired(draft):
    Proposal.objects.filter(pk=draft.pk).update(valid_until=timezone.localdate())
    assert services.proposals_expire_overdue() == 0
    assert status(draft) == S.DRAFT


def test_the_nightly_task_expires_through_a_worker(portfolio, celery_worker):
    assert expire_overdue.delay().get(timeout=60) == 2
    assert status(portfolio["overdue"]) == S.EXPIRED


def test_the_nightly_task_is_scheduled_after_the_segmentation():
    entry = settings.CELERY_BEAT_SCHEDULE["nightly-proposal-expiry"]
    assert entry["task"] == expire_overdue.name == "proposals.tasks.expire_overdue"
    assert entry["schedule"] == crontab(hour=2, minute=30)


def test_the_command_expires_now_and_says_how_many(portfolio):
    out = StringIO()
    call_command("expire_proposals", stdout=out)
    assert out.getvalue().strip() == "2 proposal(s) expired."
    assert status(portfolio["sent"]) == S.EXPIRED
