"""Rows written with their foreign keys checked once per referenced row (common.foreign_keys): the
same guarantee as PostgreSQL's per-row checks, or those checks themselves when the role may not
turn row triggers off."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction

from analysis.models import AccountSegment, AnalysisRun
from common.foreign_keys import keys_checked_once
from tests.factories import AccountFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row triggers")

SEGMENTS = AccountSegment._meta.db_table
KEYS = "SELECT unnest(%s::bigint[]) AS account_id, %s::bigint AS run_id"


def _replication_role() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        return cursor.fetchone()[0]


def _write_segment(cursor, run_id: int, account_id: int) -> None:
    cursor.execute(
        f"INSERT INTO {SEGMENTS} (run_id, account_id, rank, abc_class, xyz_class, value, share, cum_share, "  # noqa: S608  # nosec B608 # the model's table
        "months, monthly_mean, monthly_std, months_with_purchase, orders, purchase_dates, months_active, "
        "churn_status, churn_drivers, key_account, revenue_last_12_months) "
        "VALUES (%s, %s, 1, 'A', 'X', 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 'active', '[]', false, 1)",
        [run_id, account_id],
    )


@pytest.fixture
def run(db) -> AnalysisRun:
    return AnalysisRun.objects.create(as_of=dt.date(2025, 12, 31), policy_values={})


@pytest.mark.django_db
def test_rows_are_written_with_the_triggers_off_inside_only(run):
    account = AccountFactory()
    with keys_checked_once(SEGMENTS, KEYS, [[account.pk], run.pk]), connection.cursor() as cursor:
        assert _replication_role() == "replica"
        _write_segment(cursor, run.pk, account.pk)
    assert _replication_role() == "origin"
    assert AccountSegment.objects.filter(run=run, account=account).exists()


@pytest.mark.django_db
def test_a_key_without_its_row_is_refused_before_anything_is_written(run):
    account = AccountFactory()
    params = [[account.pk, 987_654_321], run.pk]
    checked = keys_checked_once(SEGMENTS, KEYS, params)
    with pytest.raises(IntegrityError) as refused, transaction.atomic(), checked:
        pytest.fail("the block ran")
    assert "987654321" in str(refused.value)
    assert "accounts_account" in str(refused.value)
    assert _replication_role() == "origin"
    assert not AccountSegment.objects.exists()


@pytest.mark.django_db
def test_a_role_that_may_not_turn_the_triggers_off_gets_the_per_row_checks():
    with connection.cursor() as cursor:
        cursor.execute(  # shared by the test databases of a server: created once, by whoever is first
            "DO $$ BEGIN CREATE ROLE kam_plain_test NOLOGIN; EXCEPTION WHEN OTHERS THEN NULL; END $$"
        )
        cursor.execute("SET LOCAL ROLE kam_plain_test")
        cursor.execute("CREATE TEMPORARY TABLE fk_parent (id int PRIMARY KEY) ON COMMIT DROP")
        cursor.execute("CREATE TEMPORARY TABLE fk_child (parent_id int REFERENCES fk_parent) ON COMMIT DROP")
        cursor.execute("INSERT INTO fk_parent VALUES (1)")
    source = "SELECT unnest(%s::int[]) AS parent_id"
    with keys_checked_once("fk_child", source, [[1, 2]]):  # 2 is not checked here: the trigger will
        assert _replication_role() == "origin"
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO fk_child VALUES (2)")
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO fk_child VALUES (1)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM fk_child")
        assert cursor.fetchone()[0] == 1
        cursor.execute("RESET ROLE")


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_checked_key_cannot_be_deleted_until_the_writer_commits():
    """The lock the per-row check would take, taken once: a second session deleting the account waits."""
    account = AccountFactory()
    run = AnalysisRun.objects.create(as_of=dt.date(2025, 12, 31), policy_values={})
    with transaction.atomic(), keys_checked_once(SEGMENTS, KEYS, [[account.pk], run.pk]):
        with connections["replica"].cursor() as other:  # another session on the same database
            other.execute("SET lock_timeout = '200ms'")
            with pytest.raises(OperationalError, match="lock timeout"):
                other.execute("DELETE FROM accounts_account WHERE id = %s", [account.pk])
        with connection.cursor() as cursor:
            _write_segment(cursor, run.pk, account.pk)
    assert AccountSegment.objects.filter(account=account).count() == 1
