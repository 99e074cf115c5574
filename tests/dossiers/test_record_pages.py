"""The dossier's other pages: timeline, assessment and 3P, competitors, plans, tender editing and calendar."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account, AccountChange
from accounts.services import account_mark_lost, account_update
from accounts.visibility import cached_subtree_ids as keep_visible_ids
from dossiers import services
from dossiers.models import (
    AccountPlan,
    CompetitorPresence,
    PlanAction,
    ProspectQualification,
    StrategicAssessment,
    Tender,
    TenderMilestone,
)
from dossiers.timeline import account_timeline
from sales.periods import parse
from sales.plan_services import plan_create
from sales.services import sales_lines_bulk_import
from tests.factories import (
    CompetitorFactory,
    InteractionFactory,
    PlanFactory,
    PresenceFactory,
    TenderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def timeline_url(account, query=""):
    return reverse("dossiers:timeline", args=[account.pk]) + query


# --- the merged timeline ---


def _history(account, kam):
    """One of each: a meeting, an import, a won tender, a status change and a profile change."""
    InteractionFactory(account=account, kind="meeting", summary="Framework talk", occurred_at=timezone.now())
    admin = UserFactory(username="importer", role="admin")
    line = {"account_external_id": account.external_id, "date": "2026-03-02", "amount": "125.50"}
    sales_lines_bulk_import(by=admin, lines=[line, {**line, "date": "2026-03-04"}], options={})
    tender = TenderFactory(account=account, title="Rail parts 2026", decision_on=dt.date(2026, 11, 1))
    services.tender_update(
        tender=tender,
        status="lost",
        outcome_reason="price",
        outcome_notes="7 % cheaper",
    )
    account_mark_lost(account=account, by=kam)
    services.profile_update(account=account, by=kam, description="Makes rail parts")


def test_the_timeline_merges_interactions_imports_tenders_status_and_profile_changes(client, kam, account):
    _history(account, kam)
    client.force_login(kam)

    page = client.get(timeline_url(account)).content.decode()

    assert "Framework talk" in page
    assert "2 sales lines imported" in page and "2026-03-02 to 2026-03-04" in page
    assert "Tender announced: Rail parts 2026" in page and "Tender lost: Rail parts 2026" in page
    assert "Price" in page and "7 % cheaper" in page
    assert "Status: Active → Lost" in page
    assert "Profile updated: Description" in page
    entries = account_timeline(account=account)
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)


def test_the_timeline_filters_by_type(client, kam, account):
    _history(account, kam)
    client.force_login(kam)

    page = client.get(timeline_url(account, "?type=tender&type=status")).content.decode()

    assert "Tender lost" in page and "Status: Active → Lost" in page
    assert "Framework talk" not in page and "sales lines imported" not in page
    assert {e.type for e in account_timeline(account=account, types=["meeting"])} == {"meeting"}
    assert "Framework talk" in client.get(timeline_url(account, "?type=meeting")).content.decode()


def test_the_timeline_pages_through_older_entries_without_losing_any(client, kam, account):
    start = timezone.now()
    for n in range(45):
        InteractionFactory(
            account=account, kind="call", summary=f"Call {n:02}", occurred_at=start - dt.timedelta(hours=n)
        )
    client.force_login(kam)

    first = client.get(timeline_url(account)).content.decode()
    second = client.get(timeline_url(account, "?page=2")).content.decode()

    shown = [f"Call {n:02}" for n in range(45) if f"Call {n:02}" in first]
    rest = [f"Call {n:02}" for n in range(45) if f"Call {n:02}" in second]
    assert len(shown) == 40 and len(rest) == 5 and not set(shown) & set(rest)
    assert ">Older" in first and "Newer<" in second


def test_an_account_change_records_status_and_owner_but_not_untouched_fields(kam, head, account):
    account_update(account=account, by=head, owner=head, name="Renamed")

    change = AccountChange.objects.get(account=account)
    assert (change.field, change.old, change.new, change.changed_by) == ("owner", str(kam), str(head), head)


def test_the_timeline_of_a_foreign_account_is_404(client, kam, foreign_account):
    client.force_login(kam)
    assert client.get(timeline_url(foreign_account)).status_code == 404


def test_the_timeline_query_count_does_not_grow_with_the_history(client, kam, account):
    client.force_login(kam)
    url = timeline_url(account)

    def queries() -> int:
        keep_visible_ids(kam)  # as after a first request: a KAM's account ids are kept (accounts.visibility)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    _history(account, kam)
    few = queries()
    for _n in range(30):
        InteractionFactory(account=account)
        TenderFactory(account=account)
    assert queries() == few


# --- assessment and 3P ---


def test_the_assessment_form_ticks_criteria_and_privileges(client, kam, account):
    client.force_login(kam)
    url = reverse("dossiers:assessment-edit", args=[account.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url, {"volume": "on", "loyalty": "on", "pays_cash": "on", "priority_dispatch": "on"}
    )

    assert response.status_code == 302
    assessment = StrategicAssessment.objects.get(account=account)
    assert assessment.score == 3 and assessment.is_strategic and assessment.priority_dispatch
    assert assessment.assessed_by == kam


def test_confirming_need_solvency_and_authority_qualifies_a_prospect(client, kam, account):
    Account.objects.filter(pk=account.pk).update(status=Account.Status.PROSPECT)
    client.force_login(kam)
    url = reverse("dossiers:qualification-confirm", args=[account.pk])
    for criterion in ("need", "solvency"):
        client.post(url, {"criterion": criterion})
    assert ProspectQualification.objects.get(account=account).qualified_at is None

    response = client.post(url, {"criterion": "authority"}, follow=True)

    assert ProspectQualification.objects.get(account=account).qualified_at is not None
    assert "qualified prospect" in response.content.decode()


def test_an_active_account_is_not_qualified_and_says_why(client, kam, account):
    client.force_login(kam)
    response = client.post(
        reverse("dossiers:qualification-confirm", args=[account.pk]), {"criterion": "need"}, follow=True
    )
    assert "Only prospects are qualified" in response.content.decode()
    assert not ProspectQualification.objects.filter(account=account).exists()


# --- competitors ---


def test_a_competitor_is_recorded_at_an_account_edited_and_removed(client, kam, account):
    rival = CompetitorFactory(name="SteelCo")
    client.force_login(kam)
    create = reverse("dossiers:presence-create", args=[account.pk])

    response = client.post(
        create, {"competitor": rival.pk, "pressure": "payment_deferral", "threat_level": 4}
    )

    assert response.status_code == 302
    presence = CompetitorPresence.objects.get(account=account)
    assert (presence.pressure, presence.threat_level) == ("payment_deferral", 4)
    client.post(
        reverse("dossiers:presence-edit", args=[presence.pk]),
        {"competitor": rival.pk, "threat_level": 5, "estimated_share": 30},
    )
    presence.refresh_from_db()
    assert (presence.threat_level, presence.estimated_share) == (5, 30)
    client.post(reverse("dossiers:presence-delete", args=[presence.pk]))
    assert not CompetitorPresence.objects.filter(account=account).exists()


def test_a_bad_presence_gets_field_errors_and_writes_nothing(client, kam, account):
    existing = PresenceFactory(account=account)
    client.force_login(kam)

    response = client.post(
        reverse("dossiers:presence-create", args=[account.pk]),
        {"competitor": existing.competitor_id, "threat_level": 9, "estimated_share": 130},
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "threat_level" in errors and "estimated_share" in errors
    assert CompetitorPresence.objects.filter(account=account).count() == 1


def test_the_competitor_registry_lists_counts_of_visible_accounts_only(client, kam, account, foreign_account):
    rival = CompetitorFactory(name="SteelCo")
    PresenceFactory(account=account, competitor=rival)
    PresenceFactory(account=foreign_account, competitor=rival)
    client.force_login(kam)

    response = client.get(reverse("dossiers:competitors"))

    assert response.context["rows"] == [(rival, 1)]
    created = client.post(reverse("dossiers:competitor-create"), {"name": "IronWorks"})
    assert created.status_code == 302
    duplicate = client.post(reverse("dossiers:competitor-create"), {"name": "IronWorks"})
    assert duplicate.status_code == 400 and "name" in duplicate.context["form"].errors


def test_analysts_read_the_registry_but_do_not_write_it(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("dossiers:competitors")).status_code == 200
    assert client.post(reverse("dossiers:competitor-create"), {"name": "X"}).status_code == 403


# --- account plans ---


def test_a_plan_with_actions_is_made_and_progressed_in_the_browser_forms(client, kam, account):
    client.force_login(kam)
    response = client.post(
        reverse("dossiers:plan-create", args=[account.pk]),
        {
            "year": 2027,
            "share_of_wallet_target": "40",
            "joint_activities": "Fair",
        },
    )
    assert response.status_code == 302
    plan = AccountPlan.objects.get(account=account, year=2027)
    client.post(
        reverse("dossiers:action-create", args=[plan.pk]),
        {"title": "Joint promotion", "owner": kam.pk, "due_on": "2027-03-01", "progress": 0},
    )
    action = PlanAction.objects.get(plan=plan)
    client.post(
        reverse("dossiers:action-edit", args=[plan.pk, action.pk]),
        {"title": "Joint promotion", "owner": kam.pk, "due_on": "2027-03-01", "progress": 60},
    )

    page = client.get(reverse("dossiers:plans", args=[account.pk])).content.decode()

    action.refresh_from_db()
    assert action.progress == 60 and "Joint promotion" in page and "60%" in page


def test_a_second_plan_for_the_same_year_and_a_share_over_100_are_field_errors(client, kam, account):
    PlanFactory(account=account, year=2027)
    client.force_login(kam)
    url = reverse("dossiers:plan-create", args=[account.pk])

    same_year = client.post(url, {"year": 2027})
    too_much = client.post(url, {"year": 2028, "share_of_wallet_target": "140"})

    assert same_year.status_code == too_much.status_code == 400
    assert "already has a plan for 2027" in str(same_year.context["form"].errors["year"])
    assert "share_of_wallet_target" in too_much.context["form"].errors
    assert AccountPlan.objects.filter(account=account).count() == 1


# --- tenders ---


def _tender_form(tender, **changes):
    data = {
        "title": tender.title,
        "status": tender.status,
        "announced_on": tender.announced_on,
        "submission_on": tender.submission_on,
        "version": tender.version,
    }
    return {**data, **changes}


def test_the_outcome_of_a_tender_is_recorded_in_the_browser(client, kam, account):
    tender = services.tender_create(
        account=account, title="Rail", announced_on=dt.date(2026, 1, 5), submission_on=dt.date(2026, 10, 1),
    )  # fmt: skip
    client.force_login(kam)
    url = reverse("dossiers:tender-detail", args=[tender.pk])
    assert "Preparation plan" in client.get(url).content.decode()

    response = client.post(
        url, _tender_form(tender, status="won", decision_on="2026-11-10", outcome_reason="relationship")
    )

    assert response.status_code == 302
    tender.refresh_from_db()
    assert (tender.status, tender.outcome_reason) == ("won", "relationship")


def test_a_stale_tender_edit_is_refused_with_a_message(client, kam, account):
    tender = TenderFactory(account=account)
    stale = _tender_form(tender, title="Mine")
    services.tender_update(tender=tender, title="Theirs", version=tender.version)
    client.force_login(kam)

    response = client.post(reverse("dossiers:tender-detail", args=[tender.pk]), stale)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert Tender.objects.get(pk=tender.pk).title == "Theirs"


def test_submission_before_announcement_is_a_field_error_on_the_edit_page(client, kam, account):
    tender = TenderFactory(account=account)
    client.force_login(kam)

    response = client.post(
        reverse("dossiers:tender-detail", args=[tender.pk]), _tender_form(tender, submission_on="2025-01-01")
    )

    assert response.status_code == 400 and "submission_on" in response.context["form"].errors
    assert Tender.objects.get(pk=tender.pk).submission_on == tender.submission_on


def test_milestones_are_ticked_off_and_reopened(client, kam, account):
    tender = services.tender_create(
        account=account,
        title="Rail",
        submission_on=timezone.localdate() + dt.timedelta(days=200),
    )
    milestone = tender.milestones.first()
    client.force_login(kam)
    url = reverse("dossiers:milestone-toggle", args=[milestone.pk])

    client.post(url)
    assert TenderMilestone.objects.get(pk=milestone.pk).done
    client.post(url)
    assert not TenderMilestone.objects.get(pk=milestone.pk).done


def test_the_calendar_shows_submissions_decisions_and_milestones_by_month(
    client, kam, account, foreign_account
):
    today = timezone.localdate()
    soon = today + dt.timedelta(days=20)
    services.tender_create(account=account, title="Due soon", submission_on=soon)
    TenderFactory(account=foreign_account, title="Not yours", announced_on=None, submission_on=soon)
    client.force_login(kam)

    page = client.get(reverse("dossiers:tender-calendar") + "?view=list").content.decode()

    assert "Due soon" in page and "Submission" in page and "Not yours" not in page
    assert soon.strftime("%B %Y") in page
    later = client.get(reverse("dossiers:tender-calendar") + "?from=2030-01&view=list")
    assert (
        all(not items for _month, items in later.context["months"])
        and "January 2030" in later.content.decode()
    )
    assert [m.tender.title for m in later.context["overdue"]][:1] == [
        "Due soon"
    ]  # overdue whatever the window
    rubbish = client.get(reverse("dossiers:tender-calendar") + "?from=rubbish")
    assert rubbish.status_code == 400 and "YYYY-MM" in rubbish.content.decode()  # said, never ignored
    assert rubbish.context["first"] == today.replace(day=1)  # the page still shows this month


def test_the_plan_shows_the_years_revenue_against_its_target(client, kam, account):
    PlanFactory(account=account, year=2026)
    admin = UserFactory(username="importer", role="admin")
    plan_create(by=admin, period=parse("2026"), amount=Decimal(1000), account=account)
    line = {"account_external_id": account.external_id, "date": "2026-03-02", "amount": "250.00"}
    sales_lines_bulk_import(
        by=admin, lines=[line, {**line, "date": "2025-12-30", "amount": "999"}], options={}
    )
    client.force_login(kam)

    response = client.get(reverse("dossiers:plans", args=[account.pk]))

    plan = response.context["plans"][0]
    assert (plan.actual, plan.attainment) == (Decimal("250.00"), 25)
    assert "25% of the target" in response.content.decode()
    (row,) = response.context["sales_plans"]
    assert (row.period, row.plan, row.actual) == ("2026", Decimal(1000), Decimal("250.00"))


# --- the timeline through the API ---


def test_the_timeline_api_filters_and_refuses_unknown_types_and_limits(client, kam, account):
    _history(account, kam)
    client.force_login(kam)
    url = reverse("account-timeline", args=[account.pk])

    entries = client.get(url, {"type": ["tender", "status"]}).json()
    bad = client.get(url, {"type": "gossip", "limit": 0})

    assert {e["type"] for e in entries} == {"tender", "status"}
    assert any(e["title"] == "Status: Active → Lost" for e in entries)
    assert bad.status_code == 400 and set(bad.json()) == {"type", "limit"}
    assert len(client.get(url, {"limit": 2}).json()) == 2
