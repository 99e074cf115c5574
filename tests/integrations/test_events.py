"""Each event comes from where the thing happens, with the API's shape of its resource."""

from __future__ import annotations

import datetime as dt
import inspect
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.services import account_create
from analysis.models import AccountSegment
from analysis.services import run_create, run_execute
from dossiers.services import complaint_create
from integrations import receivers, verify
from integrations.services import subscription_create
from proposals import services as proposal_services
from sales.services import sales_lines_bulk_import

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def subscribe(receiver):
    def make(owner, *events):
        return subscription_create(owner=owner, target_url=receiver.url, events=list(events))

    return make


def _events(receiver) -> list[str]:
    return [r.payload["event"] for r in receiver.requests]


def test_a_new_account_is_announced(kam, department, receiver, subscribe, django_capture_on_commit_callbacks):
    subscribe(kam, "account.created")
    with django_capture_on_commit_callbacks(execute=True):
        account = account_create(by=kam, name="Fresh Co", external_id="FR1")
    [received] = receiver.requests
    assert received.payload["data"]["id"] == account.pk
    assert received.payload["data"]["external_id"] == "FR1"
    assert received.payload["data"]["owner"] == kam.pk


def test_a_run_announces_its_completion_and_each_class_change(
    account, kam, admin_user, receiver, subscribe, django_capture_on_commit_callbacks
):
    for months in range(12, 0, -1):
        line = {"line_external_id": f"E{months}", "account_external_id": account.external_id,
                "date": (TODAY - dt.timedelta(days=30 * months)).isoformat(), "amount": "100.00"}  # fmt: skip
        sales_lines_bulk_import(by=admin_user, lines=[line])
    run_execute(run=run_create(by=None, as_of=TODAY, trigger="command"))
    subscribe(kam, "analysis_run.completed", "segment.changed")

    with django_capture_on_commit_callbacks(execute=True):
        run = run_execute(run=run_create(by=None, as_of=TODAY + dt.timedelta(days=1), trigger="command"))
    assert _events(receiver) == ["analysis_run.completed"]  # the same classes: no class change
    assert receiver.requests[0].payload["data"]["id"] == run.pk

    # The account's class as another run would find it: the change is announced once, for it.
    segment = AccountSegment.objects.get(run=run, account=account)
    before = segment.abc_class
    AccountSegment.objects.filter(pk=segment.pk).update(abc_class="C" if before != "C" else "A")
    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        receivers.run_finished(sender=None, run=run)
    changed = [r.payload for r in receiver.requests if r.payload["event"] == "segment.changed"]
    assert len(changed) == 1
    data = changed[0]["data"]
    assert (data["account"], data["run"], data["previous"]["abc_class"]) == (account.pk, run.pk, before)
    assert data["current"]["abc_class"] == data["abc_class"] != before


def test_a_finished_import_goes_to_those_who_see_imports(
    kam, head, admin_user, account, receiver, subscribe, django_capture_on_commit_callbacks
):
    subscribe(kam, "import.finished")
    subscribe(head, "import.finished")
    line = {"line_external_id": "I1", "account_external_id": account.external_id,
            "date": TODAY.isoformat(), "amount": "10.00"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        batch = sales_lines_bulk_import(by=admin_user, lines=[line])
    [received] = receiver.requests  # the head's: KAMs do not see import batches
    assert received.payload["data"]["id"] == batch.pk
    assert received.payload["data"]["status"] == "done"


def test_a_proposal_status_change_and_a_complaint_are_announced(
    account, kam, receiver, subscribe, django_capture_on_commit_callbacks
):
    subscribe(kam, "proposal.status_changed", "complaint.opened")
    draft = proposal_services.proposal_create(account=account, by=kam, title="Coil")
    with django_capture_on_commit_callbacks(execute=True):
        proposal_services.proposal_transition(proposal=draft, to="withdrawn", by=kam)
        case = complaint_create(account=account, by=kam, severity="low", description="Rust")
    payloads = {r.payload["event"]: r.payload for r in receiver.requests}
    assert payloads["proposal.status_changed"]["data"]["id"] == draft.pk
    assert payloads["proposal.status_changed"]["data"]["previous_status"] == "draft"
    assert payloads["proposal.status_changed"]["data"]["status"] == "withdrawn"
    assert payloads["complaint.opened"]["data"]["id"] == case.pk


def test_nothing_is_sent_for_a_change_that_is_rolled_back(kam, department, receiver, subscribe):
    subscribe(kam, "account.created")
    account_create(by=kam, name="Never Co", external_id="NV1")  # the test's transaction never commits
    assert receiver.requests == []


def test_the_documented_receiver_is_the_tested_one():
    doc = (Path(settings.BASE_DIR) / "docs" / "webhooks.md").read_text()
    assert inspect.getsource(verify.verify_signature) in doc
    assert re.search(r"TOLERANCE_SECONDS = 300", doc)


def test_a_complaint_past_its_sla_is_announced_once_per_due_date(
    account, kam, head, receiver, subscribe, django_capture_on_commit_callbacks
):
    from dossiers.models import ComplaintCase
    from dossiers.services import complaint_update
    from dossiers.services.complaints import complaints_announce_past_sla
    from dossiers.tasks import announce_complaints_past_sla

    subscribe(kam, "complaint.past_sla")
    late = complaint_create(account=account, by=kam, severity="low", description="Dented coil")
    done = complaint_create(account=account, by=kam, severity="low", description="Wrong label")
    ComplaintCase.objects.filter(pk=done.pk).update(status="resolved", resolution="Relabelled",
                                                   resolved_at=timezone.now())  # fmt: skip
    after_due = late.due_on + dt.timedelta(days=1)
    assert complaints_announce_past_sla(today=late.due_on) == 0  # due today: not yet past

    with django_capture_on_commit_callbacks(execute=True):
        assert complaints_announce_past_sla(today=after_due) == 1
    [received] = receiver.requests
    assert received.payload["event"] == "complaint.past_sla"
    assert received.payload["data"]["id"] == late.pk
    assert received.payload["data"]["due_on"] == late.due_on.isoformat()

    receiver.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert complaints_announce_past_sla(today=after_due + dt.timedelta(days=3)) == 0  # once
        assert announce_complaints_past_sla.apply().get() == 0  # the nightly job: nothing new
    assert receiver.requests == []

    # Another severity gives another due date; its breach is announced again.
    late = complaint_update(case=ComplaintCase.objects.get(pk=late.pk), severity="critical")
    with django_capture_on_commit_callbacks(execute=True):
        assert complaints_announce_past_sla(today=late.due_on + dt.timedelta(days=1)) == 1
    assert [r.payload["data"]["due_on"] for r in receiver.requests] == [late.due_on.isoformat()]


def test_a_complaint_past_its_sla_reaches_only_those_who_see_the_account(
    account, kam, outsider, receiver, subscribe, django_capture_on_commit_callbacks
):
    from dossiers.services.complaints import complaints_announce_past_sla

    subscribe(outsider, "complaint.past_sla")
    case = complaint_create(account=account, by=kam, severity="low", description="Late delivery")
    with django_capture_on_commit_callbacks(execute=True):
        assert complaints_announce_past_sla(today=case.due_on + dt.timedelta(days=1)) == 1
    assert receiver.requests == []
