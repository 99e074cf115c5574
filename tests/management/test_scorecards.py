"""The KAM scorecard's figures, worked out by hand on a small book of accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account, Contact, User
from dossiers.models import AccountProfile, Commitment, StrategicAssessment
from management import kam_lists, scorecards
from management.models import ManagementPolicy
from management.services import policy_update
from proposals.models import Proposal
from proposals.services import proposal_create
from retention.models import LossRecord
from tests.factories import (
    AccountFactory,
    ComplaintFactory,
    ContactFactory,
    InteractionFactory,
    TaskFactory,
    UserFactory,
)

Status = Account.Status


def ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@pytest.fixture
def book(kam, department, other_department):
    """The KAM's accounts, each built for the figures it should move (see the test's comments)."""
    today = timezone.localdate()
    key = AccountFactory(name="Key active", owner=kam, department=department, key_client_type="expert")
    ContactFactory(account=key, dmu_role=Contact.DmuRole.DECISION_MAKER)
    ContactFactory(account=key, dmu_role=Contact.DmuRole.FINANCIAL_APPROVER)
    for days in (1, 10, 80, 120):  # the fourth is older than the three months of activity
        InteractionFactory(account=key, occurred_at=ago(days))
    StrategicAssessment.objects.create(account=key, distributor=True, volume=True, loyalty=True)
    AccountProfile.objects.create(account=key, next_review_due=today - dt.timedelta(days=10))

    drifting = AccountFactory(
        name="Key at risk", owner=kam, department=department, key_client_type="expert", status=Status.AT_RISK
    )
    ContactFactory(account=drifting, dmu_role=Contact.DmuRole.BUYER)
    InteractionFactory(account=drifting, occurred_at=ago(60))

    lost = AccountFactory(name="Plain lost", owner=kam, department=department, status=Status.LOST)
    LossRecord.objects.create(account=lost, lost_on=today, reason="price")

    silent = AccountFactory(name="Plain silent", owner=kam, department=department)
    Account.objects.filter(pk=silent.pk).update(created_at=ago(100))
    TaskFactory(owner=kam, account=silent, due_on=today - dt.timedelta(days=1))
    TaskFactory(owner=kam, account=silent, due_on=today + dt.timedelta(days=1))
    TaskFactory(owner=kam, account=silent, due_on=today - dt.timedelta(days=3), done=True, done_at=ago(2))

    AccountFactory(name="Prospect", owner=kam, department=department, status=Status.PROSPECT)
    # Owned by the KAM but in a department the head does not lead: not in the head's figures.
    AccountFactory(name="Elsewhere", owner=kam, department=other_department, key_client_type="expert")
    return {"key": key, "drifting": drifting, "lost": lost, "silent": silent}


def test_a_head_reads_the_kams_figures_over_their_department(head, kam, book):
    [card] = scorecards.kam_cards(user=head, kams=[kam])
    assert (card.accounts, card.key_accounts, card.live) == (5, 2, 3)  # "Elsewhere" is not the head's
    assert card.load_target == 9 and not card.over_load
    # Key accounts' interactions in the last 90 days: 3 on "Key active", 1 on "Key at risk";
    # 4 / 2 accounts / 3 months = 0.67 a month.
    assert card.key_interactions == 4
    assert card.interactions_per_key_account_month == Decimal("0.7")
    # Neglected (no contact for 45 days): "Key at risk" (60 days) and "Plain silent" (none, 100 days old).
    assert card.neglected == 2
    # Live accounts: "Key active" has both roles; the other two have neither, and one contact at most.
    assert (card.no_decision_maker, card.no_financial_approver, card.single_contact) == (2, 2, 2)
    assert card.reviews_overdue == 1
    assert card.overdue_tasks == 1  # the open one due yesterday; not the done one, not tomorrow's
    # "Key at risk": its last contact is older than 45 days, no task, no campaign: nothing done.
    # "Plain lost": its loss is recorded with a reason.
    assert (card.at_risk, card.at_risk_without_action) == (1, 1)
    assert (card.lost, card.lost_without_action) == (1, 0)
    assert card.win_rate is None
    assert card.needs_attention


def test_the_kam_reads_their_own_card_over_all_their_accounts(kam, book):
    [card] = scorecards.kam_cards(user=kam, kams=[kam])
    assert (card.accounts, card.key_accounts) == (6, 3)


def test_the_policy_moves_the_load_target_and_the_neglect_threshold(head, kam, book):
    policy_update(by=head, kam_load_target=1, neglect_days=90)
    [card] = scorecards.kam_cards(user=head, kams=[kam])
    assert card.over_load and card.load_target == 1
    assert card.neglected == 1  # only "Plain silent" (100 days) is past 90 days


def test_an_open_task_or_a_recent_call_counts_as_an_action(head, kam, book):
    InteractionFactory(account=book["drifting"], occurred_at=ago(2))
    [card] = scorecards.kam_cards(user=head, kams=[kam])
    assert card.at_risk_without_action == 0 and card.neglected == 1


def test_the_win_rate_counts_proposals_decided_in_the_last_year(head, kam, book):
    for status, days in ((Proposal.Status.WON, 10), (Proposal.Status.LOST, 30), (Proposal.Status.WON, 400)):
        proposal = proposal_create(account=book["key"], by=kam, title="Supply")
        Proposal.objects.filter(pk=proposal.pk).update(
            status=status, decided_at=ago(days), won_reason="price", lost_reason="price"
        )
    [card] = scorecards.kam_cards(user=head, kams=[kam])
    assert (card.proposals_won, card.proposals_lost, card.win_rate) == (1, 1, 50)


def test_the_lists_behind_the_figures_hold_what_the_figures_count(head, kam, book):
    lists = kam_lists.kam_listings(user=head, kam=kam)
    names = {key: [getattr(r, "name", None) for r in listing.rows] for key, listing in lists.items()}
    assert names["neglected"] == ["Plain silent", "Key at risk"]  # longest forgotten first
    assert names["key-accounts"] == ["Key active", "Key at risk"]
    assert names["at-risk"] == ["Key at risk"] and names["lost"] == []
    assert lists["overdue-tasks"].total == 1 and lists["reviews-overdue"].total == 1


def test_who_sees_whose_card(kam, teammate, outsider, head, other_head, analyst, admin_user):
    assert list(scorecards.visible_kams(user=kam)) == [kam]
    assert set(scorecards.visible_kams(user=head)) == {kam, teammate, outsider}
    assert list(scorecards.visible_kams(user=other_head)) == []
    assert set(scorecards.visible_kams(user=analyst)) == set(scorecards.visible_kams(user=admin_user))
    assert kam in scorecards.visible_kams(user=analyst)


def test_a_card_counts_the_kams_complaint_cases_past_their_sla(head, kam, teammate, account, foreign_account):
    late = timezone.localdate() - dt.timedelta(days=1)
    ComplaintFactory(account=account, due_on=late)  # owned by the KAM, late
    ComplaintFactory(account=account, due_on=late, owner=teammate)  # the teammate's
    ComplaintFactory(account=account)  # not yet due
    ComplaintFactory(
        account=account, due_on=late, status="resolved", resolution="Done", resolved_at=timezone.now()
    )
    cards = {c.kam: c for c in scorecards.kam_cards(user=head, kams=[kam, teammate])}
    assert (cards[kam].complaints_past_sla, cards[teammate].complaints_past_sla) == (1, 1)


def test_the_cards_sort_worst_first(head, kam, teammate, book):
    cards = scorecards.kam_cards(user=head, kams=[teammate, kam])
    assert [c.kam for c in scorecards.sorted_cards(cards, "neglected")] == [kam, teammate]


# 1. the session  2. the logged-in user  3. the department choices of the filter form
# 4. the visible KAMs  5. the policy  6. accounts by figure  7. buying-centre gaps
# 8. interactions on key accounts  9. neglected  10. reviews overdue  11. overdue tasks
# 12. overdue commitments  13. overdue follow-ups  14. complaint cases past their SLA
# 15. decided proposals  16. the head's departments (visibility)
# 17-20. the KAMs' plans for the period (sales.plan_selectors.plan_rows): the KAMs as plan targets,
# their plans, their visible accounts' revenue to date and last year's, the season of the visible accounts
SCORECARD_QUERIES = 20


@pytest.mark.parametrize("size", [1, 4])
def test_the_scorecard_page_costs_the_same_queries_whatever_the_book(
    client, head, department, size, django_assert_num_queries
):
    for n in range(size * 2):
        kam = UserFactory(username=f"k{size}-{n}", role=User.Role.KAM, departments=[department])
        for i in range(size * 2):
            account = AccountFactory(
                owner=kam, department=department, key_client_type="expert" if i % 2 else ""
            )
            ContactFactory(account=account)
            InteractionFactory(account=account)
    client.force_login(head)
    with django_assert_num_queries(SCORECARD_QUERIES):
        response = client.get("/management/kams/")
    assert response.status_code == 200
    assert response.content.count(b'class="kam-row') == size * 2


def test_a_forgotten_account_suggests_forgotten_as_its_loss_reason(client, kam, book):
    client.force_login(kam)
    silent = client.get(f"/accounts/{book['silent'].pk}/retention/")
    assert 'value="forgotten" selected' in silent.content.decode()
    assert "nobody has been in touch for more than 45 days" in silent.content.decode()
    busy = client.get(f"/accounts/{book['key'].pk}/retention/")
    assert 'value="forgotten" selected' not in busy.content.decode()


def test_the_scorecards_api_gives_each_visible_kam_its_card(client, head, kam, teammate, outsider, book):
    client.force_login(head)
    body = client.get("/api/v1/management/kams/?sort=neglected").json()
    assert body["count"] == 3 and body["results"][0]["kam"] == kam.pk
    first = body["results"][0]
    assert (first["key_accounts"], first["neglected"], first["at_risk_without_action"]) == (2, 2, 1)
    assert first["interactions_per_key_account_month"] == "0.7"


def test_a_kam_gets_only_their_own_card_from_the_api(client, kam, teammate, book):
    client.force_login(teammate)
    body = client.get("/api/v1/management/kams/").json()
    assert [row["kam"] for row in body["results"]] == [teammate.pk]
    assert client.get(f"/management/kams/{kam.pk}/").status_code == 404


def test_a_department_the_caller_cannot_see_is_refused_with_a_reason(client, head, other_department):
    client.force_login(head)
    response = client.get(f"/api/v1/management/kams/?department={other_department.pk}")
    assert response.status_code == 400 and "department" in response.json()
    page = client.get("/management/kams/?sort=%C2%B2")
    assert page.status_code == 400


@pytest.mark.parametrize(
    ("field", "value"),
    [("kam_load_target", "-1"), ("kam_load_target", "9" * 30), ("neglect_days", "\N{SUPERSCRIPT TWO}"),
     ("strategic_share_cap", "1e5"), ("strategic_share_cap", "20.555"), ("strategic_share_cap", "NaN")],
)  # fmt: skip
def test_a_bad_policy_value_is_a_400_next_to_its_field_and_changes_nothing(client, head, field, value):
    client.force_login(head)
    data = {"kam_load_target": "9", "neglect_days": "45", "strategic_share_cap": "20", field: value}
    response = client.post(reverse("management:policy"), data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not ManagementPolicy.objects.exists()


def test_the_desk_alerts_count_over_the_cards_with_proper_plurals(kam):
    from management.alerts import _card_alerts

    cards = [
        scorecards.KamCard(
            kam=kam, load_target=1, key_accounts=3, neglected=2, lost_without_action=1, complaints_past_sla=1
        )
    ]
    texts = [alert.text for alert in _card_alerts(cards)]
    assert texts == [
        "1 KAM holds more key accounts than the target load.",
        "1 account at risk or lost with nothing done about it.",
        "2 accounts nobody has been in touch with for too long.",
        "1 complaint case past its SLA.",
    ]


def test_overdue_commitments_count_the_kams_open_promises_past_due_on_visible_accounts(
    head, kam, teammate, book, other_department
):
    today = timezone.localdate()
    elsewhere = Account.objects.get(name="Elsewhere")
    for account, days, status in (
        (book["key"], 5, "open"),  # counted: open, due five days ago
        (book["silent"], 1, "open"),  # counted: open, due yesterday
        (book["key"], 0, "open"),  # not yet: due today
        (book["key"], -3, "open"),  # not yet: due in three days
        (book["drifting"], 9, "kept"),  # kept: not overdue however old
        (elsewhere, 4, "open"),  # the KAM's, but in a department the head does not lead
    ):
        Commitment.objects.create(
            account=account,
            what="Send the samples",
            due_on=today - dt.timedelta(days=days),
            owner=kam,
            status=status,
            kept_on=today if status == "kept" else None,
        )
    # Someone else's promise on the KAM's account: the teammate's figure, not the KAM's.
    Commitment.objects.create(
        account=book["key"], what="Call", due_on=today - dt.timedelta(days=2), owner=teammate
    )
    [card] = scorecards.kam_cards(user=head, kams=[kam])
    assert card.overdue_commitments == 2
    [own] = scorecards.kam_cards(user=kam, kams=[kam])
    assert own.overdue_commitments == 3  # the KAM sees "Elsewhere" too
    listing = kam_lists.kam_listings(user=head, kam=kam)["overdue-commitments"]
    assert listing.total == 2
    assert [c.account.name for c in listing.rows] == ["Key active", "Plain silent"]  # longest overdue first
