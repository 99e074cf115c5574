"""Churn status transitions between runs, the notifications they send, refusals, losses and health."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from accounts.models import Account, AccountChange
from analysis.models import AccountSegment
from dossiers.timeline import account_timeline
from retention import loss_selectors, selectors, services
from retention.health import HealthInputs, health_score
from retention.models import LossRecord, Notification, Refusal, StatusTransition
from tests.factories import AccountFactory, ComplaintFactory, InteractionFactory
from tests.retention.helpers import buy, monthly, run_as_of

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def monthly_buyer(account):
    """Bought on the 15th of every month from January to June 2025."""
    buy(account, monthly(D(2025, 1, 1), 6))
    return account


def status_of(run, account):
    return AccountSegment.objects.get(run=run, account=account).churn_status


def test_an_account_drifts_to_at_risk_then_lost_then_recovers(monthly_buyer, kam, head):
    first = run_as_of(D(2025, 6, 30))
    at_risk = run_as_of(D(2025, 8, 10))  # 56 days > max(1.5 x 30, 45)
    lost = run_as_of(D(2025, 10, 31))  # 138 days > max(3 x 30, 90)
    buy(monthly_buyer, [D(2025, 11, 20)])
    back = run_as_of(D(2025, 11, 30))

    assert [status_of(r, monthly_buyer) for r in (first, at_risk, lost, back)] == [
        "active", "at_risk", "lost", "active",
    ]  # fmt: skip
    moves = list(StatusTransition.objects.filter(account=monthly_buyer).order_by("on"))
    assert [(t.old_status, t.new_status) for t in moves] == [("active", "at_risk"), ("at_risk", "lost"),
                                                             ("lost", "active")]  # fmt: skip
    assert moves[-1].recovered and moves[0].days_since_last_purchase == 56


def test_an_import_makes_active_again_only_the_accounts_that_bought_after_the_run_judged_them(
    monthly_buyer, kam, department
):
    backdated = AccountFactory(owner=kam, department=department)
    buy(backdated, monthly(D(2025, 1, 1), 6))
    run_as_of(D(2025, 8, 10))  # both at risk: last purchase on June 15
    buy(monthly_buyer, [D(2025, 8, 20)])  # after the last purchase the run saw
    buy(backdated, [D(2025, 6, 1)])  # a late line from before it

    statuses = dict(
        Account.objects.filter(pk__in=[monthly_buyer.pk, backdated.pk]).values_list("pk", "status")
    )
    assert statuses == {monthly_buyer.pk: Account.Status.ACTIVE, backdated.pk: Account.Status.AT_RISK}


def test_the_owner_and_the_department_head_are_notified_once_per_transition(
    monthly_buyer, kam, head, other_head
):
    run_as_of(D(2025, 6, 30))
    assert not Notification.objects.exists()  # nothing changed yet

    run_as_of(D(2025, 8, 10))

    notes = Notification.objects.filter(account=monthly_buyer)
    assert sorted(n.user.username for n in notes) == ["head", "owner"]
    note = notes.get(user=kam)
    assert note.title == f"{monthly_buyer.name} is at risk" and "56 days since the last purchase" in note.body
    assert note.url == f"/accounts/{monthly_buyer.pk}/retention/"


def test_the_first_run_records_who_starts_at_risk_but_notifies_nobody(account, kam):
    buy(account, [D(2025, 1, 10)])

    run_as_of(D(2025, 3, 31))  # one purchase 80 days ago: at risk

    transition = StatusTransition.objects.get(account=account)
    assert (transition.old_status, transition.new_status) == ("", "at_risk")
    assert not Notification.objects.exists()


def test_a_back_filled_older_run_does_not_notify(monthly_buyer, kam):
    run_as_of(D(2025, 10, 31))
    run_as_of(D(2025, 11, 30))
    assert not Notification.objects.exists()

    run_as_of(D(2025, 8, 10))  # older than the newest: history only

    assert StatusTransition.objects.filter(run__as_of=D(2025, 8, 10)).exists()
    assert not Notification.objects.exists()


@override_settings(KAM_NOTIFY_BY_EMAIL=True)
def test_notifications_are_e_mailed_as_one_digest_per_person_when_mail_is_on(
    monthly_buyer, kam, head, mailoutbox, django_capture_on_commit_callbacks
):
    second = AccountFactory(owner=kam, department=monthly_buyer.department)
    buy(second, monthly(D(2025, 1, 1), 6, day=10))
    run_as_of(D(2025, 6, 30))
    kam.email, head.email = "owner@example.com", ""
    kam.save(), head.save()

    with django_capture_on_commit_callbacks(execute=True):
        run_as_of(D(2025, 8, 10))

    assert [m.to for m in mailoutbox] == [["owner@example.com"]]  # the head has no address
    assert "2 accounts changed" in mailoutbox[0].subject
    assert monthly_buyer.name in mailoutbox[0].body and second.name in mailoutbox[0].body


def test_a_single_notification_is_stored_for_its_user_only(account, kam, head):
    notification = services.notification_create(
        user=kam, kind="proposal_approved", title="P-2026-0001 approved", url="/proposals/1/", account=account
    )
    assert list(Notification.objects.all()) == [notification]
    assert (notification.user, notification.account, notification.read_at) == (kam, account, None)
    assert selectors.unread_count(user=kam) == 1 and selectors.unread_count(user=head) == 0


@override_settings(KAM_NOTIFY_BY_EMAIL=True)
def test_a_single_notification_is_e_mailed_after_commit_with_its_link(
    kam, mailoutbox, django_capture_on_commit_callbacks
):
    kam.email = "owner@example.com"
    kam.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_create(user=kam, kind="proposal_expired", title="Expired", url="/proposals/7/")
    assert [m.to for m in mailoutbox] == [["owner@example.com"]]
    assert mailoutbox[0].subject == "kam: Expired" and mailoutbox[0].body.endswith("/proposals/7/")


def test_transitions_show_on_the_account_timeline(monthly_buyer):
    run_as_of(D(2025, 6, 30))
    run_as_of(D(2025, 8, 10))

    entries = account_timeline(account=monthly_buyer, types=["churn"])

    assert [e.title for e in entries] == ["Buying status went from Active to At risk"]


# --- refusals and losses ---


def test_a_refusal_is_recorded_with_direction_and_reason(account, kam):
    refusal = services.refusal_create(
        account=account,
        by=kam,
        on=D(2026, 3, 1),
        kind="proposal",
        reason="price",
        text="8 %",
    )
    assert (refusal.recorded_by, refusal.get_reason_display()) == (kam, "Price")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"on": D(2099, 1, 1), "reason": "price"}, "on"),
        ({"on": D(2026, 1, 1), "reason": "weather"}, "reason"),
        ({"reason": "price"}, "on"),
    ],
)
def test_a_bad_refusal_names_the_field_and_writes_nothing(account, kam, data, field):
    with pytest.raises(ValidationError) as error:
        services.refusal_create(account=account, by=kam, **data)
    assert field in error.value.message_dict
    assert not Refusal.objects.exists()


def test_a_field_the_refusal_does_not_have_is_refused_by_the_signature(account, kam):
    with pytest.raises(TypeError, match="mood"):
        services.refusal_create(account=account, by=kam, on=D(2026, 1, 1), reason="price", mood="bad")  # type: ignore[call-arg]
    assert not Refusal.objects.exists()


def test_recording_a_loss_marks_the_account_lost_in_its_history(account, kam):
    services.loss_record_create(account=account, by=kam, lost_on=D(2026, 5, 1), reason="competitor")

    account.refresh_from_db()
    assert account.status == Account.Status.LOST
    assert AccountChange.objects.filter(account=account, field="status", new="Lost").exists()
    assert LossRecord.objects.get(account=account).get_reason_display() == "Competitor"


def test_refusals_are_counted_per_quarter_and_direction_with_a_trend(account, kam):
    for day in (D(2026, 1, 10), D(2026, 7, 1), D(2026, 8, 1), D(2026, 10, 2)):
        services.refusal_create(account=account, by=kam, on=day, reason="price")

    table = selectors.refusal_table(Refusal.objects.filter(account=account), today=D(2026, 11, 23))

    assert table["quarters"][-4:] == ["2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"]
    assert table["totals"][-4:] == [1, 0, 2, 1] and table["trend"] == "up"
    assert table["rows"][0]["total"] == 4


def test_loss_analysis_breaks_losses_down_and_counts_lost_accounts_without_a_reason(account, kam, head):
    other = AccountFactory(owner=kam, department=account.department)
    buy(account, [D(2025, 1, 10)])
    buy(other, [D(2025, 1, 10)])
    run = run_as_of(D(2025, 12, 31))  # both lost by rhythm
    services.loss_record_create(account=account, by=kam, lost_on=D(2025, 11, 1), reason="price")

    data = loss_selectors.loss_analysis(user=head, run=run)

    assert data["losses"] == 1 and data["lost_without_reason"] == 1
    assert data["loss_breakdowns"]["reason"][0]["key"] == "Price"
    assert data["loss_breakdowns"]["segment"][0]["key"] in ("A", "B", "C")


# --- health ---


def test_a_steady_buyer_with_no_trouble_is_healthy():
    health = health_score(
        HealthInputs(days_since_last_purchase=20, median_interval_days=30, value_last_6=Decimal(600),
                     value_previous_6=Decimal(600), satisfaction=5.0)
    )  # fmt: skip
    assert health.score == 100 and health.band == "healthy"


def test_each_component_explains_its_points():
    health = health_score(
        HealthInputs(days_since_last_purchase=90, median_interval_days=30, value_last_6=Decimal(300),
                     value_previous_6=Decimal(600), refusals_180=2, satisfaction=2.0, open_complaints=1)
    )  # fmt: skip
    points = {c.key: round(c.points, 2) for c in health.components if c.has_data}
    assert points == {"rhythm": 0, "trend": 12.5, "refusals": 5, "satisfaction": 3.75, "complaints": 5}
    assert not health.components[-1].has_data  # no interaction recorded: contact is not judged
    assert health.score == 26 and health.band == "poor"
    assert "3.0 times its usual 30 days" in health.components[0].why


def test_health_counts_open_complaint_cases_of_the_account(account):
    InteractionFactory(account=account, kind="complaint", outcome="")  # a contact; no longer a case
    ComplaintFactory(account=account, status="in_progress")
    ComplaintFactory(account=account, status="resolved", resolution="Credit note", resolved_at=timezone.now())

    health = selectors.health_for(accounts=[account], run=None)[account.pk]

    complaints = next(c for c in health.components if c.key == "complaints")
    assert complaints.points == 5 and "1 open complaint case" in complaints.why


def test_a_day_of_returns_only_is_not_a_purchase(account):
    buy(account, [D(2025, 1, 15)], amount="500.00")
    buy(account, [D(2025, 3, 1)], amount="-120.00")  # goods sent back: not a sign of life

    run = run_as_of(D(2025, 3, 31))

    segment = AccountSegment.objects.get(run=run, account=account)
    assert (segment.last_purchase, segment.purchase_dates) == (D(2025, 1, 15), 1)
    assert segment.churn_status == "at_risk"  # 75 days since its only purchase


def test_contact_with_the_client_earns_points_until_the_neglect_limit():
    def contact(days):
        health = health_score(HealthInputs(days_since_last_purchase=None, median_interval_days=None,
                                           days_since_last_contact=days, neglect_days=40))  # fmt: skip
        return next(c for c in health.components if c.key == "contact")

    assert contact(20).points == 10 and contact(30).points == 5 and contact(40).points == 0
    assert contact(41).points == 0 and "neglected" in contact(41).why


def test_health_reads_the_last_interaction_for_the_contact_component(account):
    InteractionFactory(account=account, occurred_at=timezone.now() - dt.timedelta(days=400))
    health = selectors.health_for(accounts=[account], run=None)[account.pk]
    component = next(c for c in health.components if c.key == "contact")
    assert component.points == 0 and "400 days" in component.why
