"""An import task delivered again, retried after the database went away, or killed: done once
(two deliveries at once: tests/sales/test_concurrency.py)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import InterfaceError, OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from sales import services
from sales.models import ImportBatch, SalesLine
from sales.services import import_batch_create, import_batch_run
from sales.tasks import run_import

pytestmark = pytest.mark.django_db
FILE = "account_external_id,date,amount,line_external_id\n" + "".join(
    f"A{n % 3},2025-02-1{n % 9},{n}.50,R{n}\n" for n in range(20)
)


@pytest.fixture
def batch(admin_user):
    return import_batch_create(
        by=admin_user, source="command", upload=SimpleUploadedFile("f.csv", FILE.encode())
    )


def test_a_batch_left_running_by_a_killed_worker_is_imported_by_the_next_delivery(batch):
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.RUNNING)
    result = import_batch_run(batch=batch)
    assert (result.status, result.inserted) == ("done", 20)
    assert SalesLine.objects.count() == 20


def test_the_import_task_is_retried_when_the_database_goes_away():
    assert {OperationalError, InterfaceError, RedisConnectionError} <= set(run_import.autoretry_for)
    assert run_import.acks_late and run_import.reject_on_worker_lost


def test_the_cache_restarting_under_an_import_costs_only_its_progress_report(batch, monkeypatch):
    class Unreachable:
        def __getattr__(self, name):
            def call(*args, **kwargs):
                raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

            return call

    monkeypatch.setattr(services, "cache", Unreachable())  # the progress reports' cache only
    result = import_batch_run(batch=batch)
    assert (result.status, result.inserted) == ("done", 20)
    assert services.import_progress(batch=result)["rows"] == 20


def test_an_import_interrupted_by_the_database_waits_for_the_tasks_retry(batch, monkeypatch):
    real = services._import

    def gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_import", gone)
    with pytest.raises(OperationalError):
        import_batch_run(batch=batch)
    batch.refresh_from_db()
    assert batch.status == "pending" and "OperationalError" in batch.message
    assert not SalesLine.objects.exists()
    monkeypatch.setattr(services, "_import", real)
    result = import_batch_run(batch=batch)  # the retry
    assert (result.status, result.inserted) == ("done", 20)


def test_an_import_whose_last_retry_is_interrupted_is_failed_not_left_waiting(batch):
    services.import_batch_give_up(batch_id=batch.pk, error=OperationalError("gone"))
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.finished_at is not None
