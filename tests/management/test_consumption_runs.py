"""Bulk runs of the consumption report: who starts them, what each covers, progress, files, the
scheduled task and the owners' notifications."""

import time

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from management.consumption.models import ConsumptionRun
from management.consumption.services import consumption_run_create, consumption_run_execute
from management.tasks import semester_consumption_reports
from retention.models import Notification
from sales.periods import parse

H1 = parse("2026H1")


def finished(run, seconds=60):
    deadline = time.monotonic() + seconds
    while not run.is_finished and time.monotonic() < deadline:
        time.sleep(0.2)
        run.refresh_from_db()
    return run


@pytest.mark.django_db
def test_a_head_run_covers_the_accounts_of_their_department_with_sales(
    head, ledger, account, foreign_account
):
    run = consumption_run_execute(run=consumption_run_create(by=head, half=H1))
    assert (run.status, run.total, run.done) == ("done", 2, 2)
    assert sorted(run.files.values_list("account__name", flat=True)) == ["Baltic Foods", "Nordic Steel"]


@pytest.mark.django_db
def test_a_head_of_another_department_gets_none_of_those_accounts(other_head, ledger):
    run = consumption_run_execute(run=consumption_run_create(by=other_head, half=H1))
    assert (run.status, run.total, run.files.count()) == ("done", 0, 0)


@pytest.mark.django_db
def test_kams_and_analysts_cannot_start_a_run(kam, analyst, ledger):
    for user in (kam, analyst):
        with pytest.raises(PermissionDenied):
            consumption_run_create(by=user, half=H1)
    assert not ConsumptionRun.objects.exists()


@pytest.mark.django_db
def test_a_second_click_returns_the_run_already_waiting(head, ledger):
    assert consumption_run_create(by=head, half=H1) == consumption_run_create(by=head, half=H1)


@pytest.mark.django_db
def test_a_run_delivered_again_writes_nothing_twice(head, ledger):
    run = consumption_run_execute(run=consumption_run_create(by=head, half=H1))
    ConsumptionRun.objects.filter(pk=run.pk).update(status="running")  # as if the worker died at the end
    run = consumption_run_execute(run=run)
    assert (run.status, run.done, run.files.count()) == ("done", 2, 2)


@pytest.mark.django_db
def test_the_progress_polls_while_running_then_lists_the_files(client, head, ledger):
    run = consumption_run_create(by=head, half=H1)
    client.force_login(head)
    url = reverse("management:consumption-run-progress", args=[run.pk])
    waiting = client.get(url).content.decode()
    assert "hx-get" in waiting and "0 of 2 accounts" in waiting
    consumption_run_execute(run=run)
    done = client.get(url).content.decode()
    assert "hx-get" not in done and "100 %" in done
    assert "nordic-steel-consumption-2026h1.xlsx" in done


@pytest.mark.django_db
def test_a_stored_file_downloads_under_its_client_facing_name(client, head, other_head, ledger, account):
    run = consumption_run_execute(run=consumption_run_create(by=head, half=H1))
    row = run.files.get(account=account)
    client.force_login(head)
    response = client.get(reverse("management:consumption-file", args=[row.pk, "pdf"]))
    assert response.status_code == 200
    assert 'filename="nordic-steel-consumption-2026h1.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(other_head)  # not their run, not their account
    assert client.get(reverse("management:consumption-file", args=[row.pk, "pdf"])).status_code == 404


def test_a_head_starts_a_run_from_the_page_and_a_worker_writes_it(client, head, ledger, celery_worker):
    client.force_login(head)
    response = client.post(reverse("management:consumption-run-start"), {"half": "2026H1"})
    run = ConsumptionRun.objects.get()
    assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
    assert (finished(run).status, run.done) == ("done", 2)


@pytest.mark.django_db
def test_a_bad_half_on_the_page_is_shown_next_to_the_picker(client, head, ledger):
    client.force_login(head)
    response = client.post(reverse("management:consumption-run-start"), {"half": "2026Q1"})
    assert response.status_code == 400
    assert "is not a half-year" in response.content.decode()
    assert not ConsumptionRun.objects.exists()


def test_the_scheduled_task_writes_every_account_into_media_and_tells_the_owners(
    ledger, account, foreign_account, celery_worker
):
    run_pk = semester_consumption_reports.delay("2026H1").get(timeout=120)
    run = ConsumptionRun.objects.get(pk=run_pk)
    assert (run.status, run.scheduled, run.files.count()) == ("done", True, 2)
    stored = run.files.get(account=account)
    assert stored.xlsx.name.startswith("reports/consumption/2026H1/")
    assert (settings.MEDIA_ROOT / stored.pdf.name).exists()
    told = Notification.objects.filter(kind="consumption_report").order_by("-account__name")
    assert [(n.user, n.account) for n in told] == [
        (account.owner, account),
        (foreign_account.owner, foreign_account),
    ]
    assert told[0].url == reverse("management:consumption", args=[account.pk]) + "?half=2026H1"
    # A second delivery of the same half finds the run done: no new files, no new messages.
    assert semester_consumption_reports.delay("2026H1").get(timeout=120) == run_pk
    assert Notification.objects.filter(kind="consumption_report").count() == 2


def test_the_task_is_scheduled_after_each_half_year_closes():
    entry = settings.CELERY_BEAT_SCHEDULE["semester-consumption-reports"]
    assert entry["task"] == semester_consumption_reports.name
    assert entry["schedule"] == crontab(hour=4, minute=0, day_of_month=2, month_of_year="1,7")


@pytest.mark.django_db
def test_a_head_sees_only_their_own_runs_and_admins_every_run(client, head, other_head, admin_user, ledger):
    theirs = consumption_run_create(by=head, half=H1)
    scheduled = ConsumptionRun.objects.create(half="2026H1", scheduled=True)
    client.force_login(other_head)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    client.force_login(head)
    assert client.get(scheduled.get_absolute_url()).status_code == 404  # counts over every account
    client.force_login(admin_user)
    assert client.get(theirs.get_absolute_url()).status_code == 200
    assert client.get(scheduled.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_a_failed_run_started_again_goes_on_from_the_accounts_written(head, ledger, account):
    run = consumption_run_execute(run=consumption_run_create(by=head, half=H1))
    run.files.exclude(account=account).delete()
    ConsumptionRun.objects.filter(pk=run.pk).update(status="failed", done=1, message="worker lost")
    run = consumption_run_execute(run=run)
    assert (run.status, run.done, run.files.count(), run.message) == ("done", 2, 2, "")
