"""Complaint cases: SLA due dates, the life of a case, stale edits, visibility and the health score."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from common.errors import StaleEditError
from dossiers.models import ComplaintCase
from dossiers.services import complaint_create, complaint_transition, complaint_update
from management.services import policy_update
from retention.selectors import health_for
from sales.models import ImportBatch, SalesLine
from tests.factories import ComplaintFactory, ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db
Status = ComplaintCase.Status


def _log(account, by, severity="high", **fields):
    return complaint_create(account=account, by=by, severity=severity, description="Rust on coils", **fields)


@pytest.mark.parametrize(("severity", "days"), [("critical", 2), ("high", 5), ("medium", 10), ("low", 20)])
def test_a_case_falls_due_after_the_default_sla_of_its_severity(account, kam, severity, days):
    case = _log(account, kam, severity)
    assert case.due_on == timezone.localdate() + dt.timedelta(days=days)
    assert case.owner == kam and case.status == Status.OPEN and case.version == 1


def test_the_sla_comes_from_the_management_policy_in_force(account, kam, head):
    policy_update(by=head, sla_days_high=3)
    assert _log(account, kam, "high").due_on == timezone.localdate() + dt.timedelta(days=3)


def test_a_new_severity_moves_the_due_date_from_the_opening(account, kam):
    opened = timezone.now() - dt.timedelta(days=4)
    case = _log(account, kam, "low", opened_at=opened)
    case = complaint_update(case=case, severity="critical", version=1)
    assert case.due_on == timezone.localtime(opened).date() + dt.timedelta(days=2)
    assert case.is_past_sla and case.version == 2


def test_a_case_goes_from_open_to_confirmed_by_the_client(account, kam):
    case = _log(account, kam)
    case = complaint_transition(case=case, to=Status.IN_PROGRESS, version=1)
    case = complaint_transition(
        case=case, to=Status.RESOLVED, resolution="Credit note", resolution_cost=Decimal("250.00"), version=2
    )
    assert case.resolved_at is not None and case.resolution_cost == Decimal("250.00")
    case = complaint_transition(case=case, to=Status.CONFIRMED)
    assert case.status == Status.CONFIRMED and case.confirmed_at is not None and case.version == 4


def test_resolving_needs_a_resolution(account, kam):
    case = _log(account, kam)
    with pytest.raises(ValidationError) as error:
        complaint_transition(case=case, to=Status.RESOLVED, resolution="  ")
    assert "resolution" in error.value.message_dict
    assert ComplaintCase.objects.get(pk=case.pk).status == Status.OPEN


def test_a_negative_cost_is_refused(account, kam):
    case = _log(account, kam)
    with pytest.raises(ValidationError) as error:
        complaint_transition(case=case, to=Status.RESOLVED, resolution="Done", resolution_cost=Decimal(-1))
    assert "resolution_cost" in error.value.message_dict


@pytest.mark.parametrize(
    ("steps", "to"),
    [
        ((), Status.CONFIRMED),
        ((Status.IN_PROGRESS,), Status.OPEN),
        ((Status.RESOLVED, Status.CONFIRMED), Status.IN_PROGRESS),
    ],
)
def test_a_case_cannot_skip_or_go_back_in_its_life(account, kam, steps, to):
    case = _log(account, kam)
    for step in steps:
        case = complaint_transition(case=case, to=step, resolution="Done")
    with pytest.raises(ValidationError) as error:
        complaint_transition(case=case, to=to)
    assert "status" in error.value.message_dict


def test_a_resolved_case_can_be_reopened(account, kam):
    case = complaint_transition(case=_log(account, kam), to=Status.RESOLVED, resolution="Done")
    case = complaint_transition(case=case, to=Status.IN_PROGRESS)
    assert case.status == Status.IN_PROGRESS and case.resolved_at is None


def test_a_stale_edit_is_refused_and_changes_nothing(account, kam):
    case = _log(account, kam)
    complaint_update(case=case, description="First edit", version=1)
    with pytest.raises(StaleEditError):
        complaint_update(case=case, description="Second edit", version=1)
    with pytest.raises(StaleEditError):
        complaint_transition(case=case, to=Status.IN_PROGRESS, version=1)
    assert ComplaintCase.objects.get(pk=case.pk).description == "First edit"


def test_links_must_concern_the_cases_account(account, kam, foreign_account, outsider):
    stranger = ContactFactory(account=foreign_account)
    batch = ImportBatch.objects.create(file_name="ledger.csv")
    line = SalesLine.objects.create(account=foreign_account, date=dt.date(2026, 1, 5), amount=10, batch=batch)
    with pytest.raises(ValidationError) as error:
        _log(account, kam, contact=stranger, sales_lines=[line], import_batch=batch, owner=outsider)
    assert set(error.value.message_dict) == {"contact", "sales_lines", "import_batch", "owner"}
    assert not ComplaintCase.objects.exists()


# --- visibility ------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "sees"), [("kam", True), ("teammate", True), ("outsider", False)])
def test_a_case_is_seen_by_those_who_see_its_account(client, request, account, who, sees):
    case = ComplaintFactory(account=account)
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("dossiers:complaint-detail", args=[case.pk]))
    listed = client.get(reverse("dossiers:complaints")).context["page"].object_list
    api = client.get(reverse("complaint-detail", args=[case.pk]))
    assert (page.status_code, api.status_code) == ((200, 200) if sees else (404, 404))
    assert (case in listed) is sees


def test_a_foreign_case_cannot_be_moved_on(client, kam, foreign_account):
    case = ComplaintFactory(account=foreign_account)
    client.force_login(kam)
    url = reverse("dossiers:complaint-transition", args=[case.pk])
    assert client.post(url, {"to": "in_progress"}).status_code == 404
    assert ComplaintCase.objects.get(pk=case.pk).status == Status.OPEN


def test_resolution_times_count_only_visible_cases(client, kam, account, foreign_account):
    now = timezone.now()
    for acc, days in ((account, 4), (foreign_account, 40)):
        ComplaintFactory(
            account=acc, status=Status.RESOLVED, resolution="Done",
            opened_at=now - dt.timedelta(days=days), resolved_at=now,
        )  # fmt: skip
    client.force_login(kam)
    times = client.get(reverse("dossiers:complaints")).context["times"]
    assert [(r.name, r.median_days) for r in times["owners"]] == [(str(kam), 4.0)]


def test_the_past_sla_view_lists_only_late_unresolved_cases(client, head, account):
    late = ComplaintFactory(account=account, due_on=timezone.localdate() - dt.timedelta(days=1))
    ComplaintFactory(account=account)  # not yet due
    ComplaintFactory(
        account=account, due_on=timezone.localdate() - dt.timedelta(days=9), status=Status.RESOLVED,
        resolution="Done", resolved_at=timezone.now(),
    )  # fmt: skip
    client.force_login(head)
    response = client.get(reverse("dossiers:complaints"), {"past_sla": "true"})
    assert list(response.context["page"].object_list) == [late]


def test_a_form_error_shows_next_to_the_field(client, kam, account):
    client.force_login(kam)
    response = client.post(reverse("dossiers:account-complaints", args=[account.pk]), {"description": "x"})
    assert response.status_code == 400
    assert "severity" in response.context["form"].errors
    case = ComplaintFactory(account=account)
    url = reverse("dossiers:complaint-transition", args=[case.pk])
    response = client.post(url, {"to": "resolved", "version": case.version})
    assert response.status_code == 400 and "resolution" in response.context["transition"].errors


# --- health score ----------------------------------------------------------------------------


def test_health_counts_open_complaint_cases_not_complaint_interactions(account):
    InteractionFactory(account=account, kind="complaint", outcome="")
    ComplaintFactory(account=account)
    ComplaintFactory(account=account, status=Status.IN_PROGRESS)
    ComplaintFactory(account=account, status=Status.RESOLVED, resolution="Done", resolved_at=timezone.now())
    health = health_for(accounts=[account], run=None)[account.pk]
    complaints = next(c for c in health.components if c.key == "complaints")
    assert complaints.points == 0 and "2 open complaint case" in complaints.why


def test_an_account_without_cases_keeps_its_complaint_points(account):
    InteractionFactory(account=account, kind="complaint", outcome="")
    health = health_for(accounts=[account], run=None)[account.pk]
    assert next(c for c in health.components if c.key == "complaints").points == 10


# --- API -------------------------------------------------------------------------------------


def test_the_api_logs_edits_and_moves_a_case(client, kam, account):
    client.force_login(kam)
    created = client.post(
        reverse("complaint-list"),
        {"account": account.pk, "severity": "critical", "description": "Line stopped"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["owner"] == kam.pk and body["status"] == "open" and body["version"] == 1
    url = reverse("complaint-detail", args=[body["id"]])
    stale = client.patch(url, {"description": "x", "version": 0}, content_type="application/json")
    assert stale.status_code == 409 and "version" in stale.json()
    moved = client.post(
        reverse("complaint-transition", args=[body["id"]]),
        {"to": "resolved", "resolution": "Replaced", "resolution_cost": "120.50", "version": 1},
        content_type="application/json",
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["status"] == "resolved" and moved.json()["resolution_cost"] == "120.50"
    refused = client.post(
        reverse("complaint-transition", args=[body["id"]]), {"to": "open"}, content_type="application/json"
    )
    assert refused.status_code == 400 and "status" in refused.json()


def test_the_api_filters_by_past_sla_and_refuses_a_foreign_account(client, kam, account, foreign_account):
    late = ComplaintFactory(account=account, due_on=timezone.localdate() - dt.timedelta(days=2))
    ComplaintFactory(account=account)
    client.force_login(kam)
    rows = client.get(reverse("complaint-list"), {"past_sla": "true"}).json()["results"]
    assert [r["id"] for r in rows] == [late.pk] and rows[0]["past_sla"] is True
    foreign = client.post(
        reverse("complaint-list"),
        {"account": foreign_account.pk, "severity": "low", "description": "x"},
        content_type="application/json",
    )
    assert foreign.status_code == 400 and "account" in foreign.json()
    assert not ComplaintCase.objects.filter(account=foreign_account).exists()
