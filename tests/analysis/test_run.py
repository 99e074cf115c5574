"""A run over an imported ledger agrees with a plain re-implementation of the definitions,
computed from the generated lines themselves (not from the rollups the run reads)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections

from analysis.models import AnalysisRun
from analysis.services import RUN_LOCK_KEY, run_create, run_execute, run_nightly
from common.calendar import window_start
from sales.ledger_generator import generate_lines
from sales.services import sales_lines_bulk_import
from tests.advisory import run_while_locked

pytestmark = pytest.mark.django_db
END = dt.date(2025, 12, 31)


@pytest.fixture
def ledger(admin_user):
    lines = list(generate_lines(lines=4000, accounts=40, months=30, seed=7, end=END))
    payload = [{k: "" if v is None else str(v) for k, v in line.items()} for line in lines]
    batch = sales_lines_bulk_import(by=admin_user, lines=payload)
    assert batch.status == "done", batch.errors
    return lines


def expected_classes(lines, as_of: dt.date, months: int, a=Decimal("0.80"), b=Decimal("0.95")):
    """ABC and XYZ (cv) by the book, with Decimal and Fraction arithmetic."""
    start = window_start(as_of, months)
    value, first_date, monthly = defaultdict(Decimal), {}, defaultdict(lambda: defaultdict(Decimal))
    for line in lines:
        account, day = line["account_external_id"], line["date"]
        if day > as_of:
            continue
        first_date[account] = min(first_date.get(account, day), day)
        if day >= start:
            value[account] += line["amount"]
            monthly[account][(day.year, day.month)] += line["amount"]
    ranked = sorted(first_date, key=lambda acc: (-value[acc], acc))
    total = sum(v for v in value.values() if v > 0)
    abc, before = {}, Decimal(0)
    for account in ranked:
        v = value[account]
        abc[account] = "C" if v <= 0 else "A" if before < a * total else "B" if before < b * total else "C"
        before += max(v, Decimal(0))
    xyz = {}
    for account in ranked:
        lo = max((start.year, start.month), (first_date[account].year, first_date[account].month))
        keys, (y, m) = [], lo
        while (y, m) <= (as_of.year, as_of.month):
            keys.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        series = [Fraction(monthly[account].get(k, Decimal(0))) for k in keys]
        n, mean = len(series), sum(series) / len(series) if series else 0
        variance = sum((x - mean) ** 2 for x in series) / n if n else 0
        if n < 3:
            xyz[account] = "new"
        elif mean <= 0:
            xyz[account] = "Z"
        else:
            cv2 = variance / mean**2
            xyz[account] = "X" if cv2 <= Fraction(1, 100) else "Y" if cv2 <= Fraction(1, 16) else "Z"
    return abc, {acc: value[acc] for acc in ranked}, xyz


@pytest.mark.parametrize(
    ("as_of", "months"),
    [(END, 12), (dt.date(2025, 6, 30), 12), (dt.date(2025, 9, 30), 1), (dt.date(2025, 11, 17), 6), (END, 24)],
    ids=["year-end", "mid-year", "one-month-of-30-days", "mid-month", "two-years"],
)
def test_run_agrees_with_the_definitions(ledger, as_of, months):
    run = run_execute(
        run=run_create(by=None, as_of=as_of, overrides={"window_months": months}, trigger="command")
    )
    abc, values, xyz = expected_classes(ledger, as_of, months)
    segments = {s.account.external_id: s for s in run.segments.select_related("account")}
    assert set(segments) == set(abc)
    assert {k: s.abc_class for k, s in segments.items()} == abc
    assert {k: s.value for k, s in segments.items()} == values
    assert {k: s.xyz_class for k, s in segments.items()} == xyz


def test_export_has_the_agreed_columns_and_one_row_per_account(ledger):
    run = run_execute(run=run_create(by=None, as_of=END, trigger="command"))
    out = StringIO()
    call_command("export_segments", "--run", str(run.pk), stdout=out)
    header, *rows = out.getvalue().splitlines()
    assert header == (
        "account_external_id,account_name,abc_class,xyz_class,value,share,cum_share,cv,months,orders,"
        "last_purchase,days_since_last_purchase,churn_status,churn_score"
    )
    assert len(rows) == run.account_count


def test_the_same_analysis_twice_gives_the_same_result_hash(ledger):
    first = run_execute(run=run_create(by=None, as_of=END, trigger="command"))
    second = run_execute(run=run_create(by=None, as_of=END, trigger="command"))
    assert (first.result_hash, first.input_hash) == (second.result_hash, second.input_hash)


def test_the_nightly_run_is_not_repeated_when_nothing_changed(ledger):
    first = run_nightly(today=dt.date(2026, 1, 15))
    again = run_nightly(today=dt.date(2026, 1, 20))
    assert first.pk == again.pk
    assert AnalysisRun.objects.count() == 1
    assert first.as_of == END


def test_a_redelivered_nightly_task_takes_up_the_run_its_killed_worker_left(ledger):
    """A worker killed mid-run leaves the run "running" (its transaction never committed): the
    task's next delivery completes that run rather than leaving it beside a second one."""
    left = run_create(by=None, as_of=END, trigger=AnalysisRun.Trigger.NIGHTLY)
    AnalysisRun.objects.filter(pk=left.pk).update(status=AnalysisRun.Status.RUNNING, attempts=1)
    run = run_nightly(today=dt.date(2026, 1, 15))
    assert (run.pk, run.status, run.attempts) == (left.pk, "complete", 2)
    assert AnalysisRun.objects.count() == 1
    assert run.segments.count() == run.account_count > 0


def test_a_nightly_run_the_database_failed_under_is_retried_to_the_undisturbed_result(ledger, monkeypatch):
    from analysis import services

    undisturbed = run_execute(run=run_create(by=None, as_of=END, trigger="command"))
    AnalysisRun.objects.all().delete()
    reading = services.read_run

    def gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "read_run", gone)
    with pytest.raises(OperationalError):
        run_nightly(today=dt.date(2026, 1, 15))
    failed = AnalysisRun.objects.get()
    assert (failed.status, failed.segments.count()) == ("failed", 0)
    monkeypatch.setattr(services, "read_run", reading)
    run = run_nightly(today=dt.date(2026, 1, 15))  # the task's retry
    assert (run.pk, run.status, run.attempts) == (failed.pk, "complete", 2)
    assert run.result_hash == undisturbed.result_hash
    assert AnalysisRun.objects.count() == 1


def test_one_nightly_task_delivered_twice_at_once_makes_one_run(transactional_db, ledger):
    """Two deliveries of the nightly task at once (a redelivery while the first still runs): the
    second finds the first's run, waits for it and returns it complete."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    done: list[int] = []

    def delivery() -> None:
        try:
            done.append(run_nightly(today=dt.date(2026, 1, 15)).pk)
        finally:
            connections.close_all()

    run_while_locked(RUN_LOCK_KEY, delivery)
    run = AnalysisRun.objects.get()
    assert done == [run.pk, run.pk]
    assert run.status == "complete"
    assert run.segments.count() == run.account_count > 0


def test_the_nightly_and_run_tasks_are_retried_when_the_database_goes_away():
    from django.db import InterfaceError

    from analysis.tasks import execute_run, nightly

    for task in (nightly, execute_run):
        assert {OperationalError, InterfaceError} <= set(task.autoretry_for)
        assert task.acks_late and task.reject_on_worker_lost
