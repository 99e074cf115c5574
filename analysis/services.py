"""Writes of the analysis app: policies (versioned) and runs (complete, or not visible at all)."""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, fields
from decimal import Decimal
from typing import Any, TypedDict

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy
from typing_extensions import Unpack

from accounts.models import IdArray, User
from common.binary_copy import HEADER, TRAILER, Column, binary_tuples
from common.calendar import last_day_of_previous_month
from common.fields import fields_of
from common.foreign_keys import keys_checked_once
from common.sql_settings import local_setting
from sales.sql import advisory_lock

from .engine import Policy, analyse
from .loader import RunReading, input_hash, load_inputs, read_run
from .models import AccountSegment, AnalysisPolicy, AnalysisRun
from .signals import run_completed

logger = logging.getLogger(__name__)

RUN_LOCK_KEY = 7_346_002  # one run writes at a time
NIGHTLY_LOCK_KEY = 7_346_003  # one nightly run is chosen or created at a time
POLICY_FIELDS = tuple(spec.name for spec in fields(Policy))  # the model has a field for each


class PolicyFields(TypedDict, total=False):
    """The values of a policy a person may change (each a field of `Policy` and of the model)."""

    basis: str
    window_months: int
    abc_a: Decimal
    abc_b: Decimal
    xyz_method: str
    xyz_x: Decimal
    xyz_y: Decimal
    min_months: int
    key_accounts: str
    lost_interval_multiplier: Decimal
    lost_min_days: int
    at_risk_interval_multiplier: Decimal
    at_risk_min_days: int
    single_lost_days: int
    single_at_risk_days: int
    churn_horizon_months: int


def policy_current() -> AnalysisPolicy:
    """The policy in force: the newest version, or the defaults of ARCHITECTURE.md."""
    return AnalysisPolicy.objects.first() or AnalysisPolicy.objects.create()


# The engine's objections (plain English, it knows no Django) in the reader's language.
ENGINE_OBJECTIONS = {
    "basis must be revenue or margin": gettext_lazy("The basis must be revenue or margin."),
    "window_months must be at least 1": gettext_lazy("The window must be at least one month."),
    "ABC thresholds need 0 < A < B <= 1": gettext_lazy("ABC thresholds need 0 < A < B <= 1"),
    "xyz_method must be cv or frequency": gettext_lazy(
        "The XYZ method must be the coefficient of variation or the purchase frequency."
    ),
    "CV thresholds need 0 <= X < Y": gettext_lazy("CV thresholds need 0 <= X < Y"),
    "frequency thresholds need 0 <= Y < X <= 1": gettext_lazy("frequency thresholds need 0 <= Y < X <= 1"),
    "min_months must be at least 1": gettext_lazy("The minimum history must be at least one month."),
    "interval multipliers need 0 < at risk <= lost": gettext_lazy(
        "interval multipliers need 0 < at risk <= lost"
    ),
    "minimum days need 0 <= at risk <= lost": gettext_lazy("minimum days need 0 <= at risk <= lost"),
    "single-purchase days need 0 <= at risk <= lost": gettext_lazy(
        "single-purchase days need 0 <= at risk <= lost"
    ),
    "churn_horizon_months must be between 1 and 24": gettext_lazy(
        "The churn risk horizon must be between 1 and 24 months."
    ),
}


def _engine_policy(values: dict[str, Any]) -> Policy:
    try:
        return Policy.from_dict(values)
    except ValueError as error:
        found = str(error).split("; ")
        raise ValidationError([str(ENGINE_OBJECTIONS.get(e, e)) for e in found]) from error


def policy_values(policy: AnalysisPolicy) -> dict[str, Any]:
    return Policy.from_dict({f: getattr(policy, f) for f in POLICY_FIELDS}).as_dict()


@transaction.atomic
def policy_update(*, by: User, **fields: Unpack[PolicyFields]) -> AnalysisPolicy:
    """Save a new version of the policy (created by `by`) from the current one and the given values;
    the old ones stay for the runs that used them."""
    changed = fields_of(PolicyFields, fields)
    values = {**policy_values(policy_current()), **changed}
    new = AnalysisPolicy(created_by=by, **asdict(_engine_policy(values)))
    new.full_clean()
    new.save()
    return new


def run_create(
    *, by: User | None, as_of: dt.date | None = None, overrides: dict[str, Any] | None = None, trigger: str
) -> AnalysisRun:
    """A waiting run with the policy in force (and any overrides, e.g. from the command line)."""
    policy = policy_current()
    values = {**policy_values(policy), **(overrides or {})}
    _engine_policy(values)
    return AnalysisRun.objects.create(
        as_of=as_of or last_day_of_previous_month(timezone.localdate()),
        policy=policy,
        policy_values=_engine_policy(values).as_dict(),
        trigger=trigger,
        created_by=by,
    )


SEGMENT_FIELDS = (
    "account_id", "rank", "abc_class", "xyz_class", "value", "share", "cum_share", "cv", "months",
    "monthly_mean", "monthly_std", "months_with_purchase", "orders", "purchase_dates", "months_active",
    "first_purchase", "last_purchase", "days_since_last_purchase", "median_interval_days",
    "churn_status", "churn_score", "churn_drivers", "key_account", "revenue_last_12_months",
)  # fmt: skip


def _segment_frame(reading: RunReading, result) -> pd.DataFrame:
    """The engine's segments as the columns of `AccountSegment`, column by column (no row objects):
    money in integer cents (MONEY_FIELDS), missing values as None."""
    frame = result.segments
    account_ids = reading.pks.reindex(frame.index).astype("int64")
    at_stake = reading.revenue_last_12_months.reindex(account_ids.to_numpy()).fillna(0).astype("int64")
    rounded = {name: frame[name].astype("float64").round() for name in ("mean_cents", "std_cents")}
    columns = {
        "account_id": account_ids.to_numpy(),
        "revenue_last_12_months": at_stake.to_numpy(),
        "value": frame["value_cents"].to_numpy(dtype="int64"),
        "monthly_mean": rounded["mean_cents"].to_numpy(dtype="int64"),
        "monthly_std": rounded["std_cents"].to_numpy(dtype="int64"),
        "churn_score": frame["churn_score"].astype("float64"),
        "churn_drivers": pd.Series(  # JSON text (see ranked_drivers); none: no drivers
            # Over a list: iterating the string column itself cost 0.1 s per 100,000 accounts.
            [
                d if isinstance(d, str) else "[]"
                for d in frame["churn_drivers"].to_numpy(dtype=object).tolist()
            ],
            index=frame.index,
            dtype=object,
        ),
        "key_account": frame["key_account"].astype(bool),
    }
    out = pd.DataFrame({name: columns[name] if name in columns else frame[name] for name in SEGMENT_FIELDS})
    for name in ("first_purchase", "last_purchase", "days_since_last_purchase", "cv", "median_interval_days"):
        out[name] = out[name].astype(object).where(out[name].notna(), None)
    return out.reset_index(drop=True)


MONEY_FIELDS = ("value", "monthly_mean", "monthly_std", "revenue_last_12_months")  # in the frame: cents


def _money(cents: pd.Series) -> np.ndarray:
    """Integer cents as exact decimal text, e.g. -1234 -> "-12.34"."""
    units, rest = np.divmod(np.abs(cents.to_numpy()), 100)
    sign = np.where(cents.to_numpy() < 0, "-", "")
    whole = np.char.add(np.char.add(sign, units.astype(str)), ".")
    return np.char.add(whole, np.char.zfill(rest.astype(str), 2))


@contextmanager
def _segments_room(run: AnalysisRun, account_ids: pd.Series) -> Iterator[None]:
    """Inside the block the run's segments can be written: none of an earlier attempt is left, and
    on PostgreSQL the accounts' and the run's rows are locked as the foreign keys' triggers would
    lock them, which are then off (`keys_checked_once`)."""
    AccountSegment.objects.filter(run=run).delete()  # nothing is there unless a retry races
    if connection.vendor != "postgresql" or not len(account_ids):
        yield
        return
    keys = "SELECT unnest(%s::bigint[]) AS account_id, %s::bigint AS run_id"
    ids = IdArray(account_ids.astype("int64").tolist())  # one text, not 100,000 values to adapt
    with keys_checked_once(AccountSegment._meta.db_table, keys, [ids.text, run.pk]):
        yield


def _store_segments(run: AnalysisRun, segments: pd.DataFrame) -> None:
    """Binary COPY on PostgreSQL (a run can have a hundred thousand rows); batched inserts elsewhere.
    Called inside `_segments_room` for the same accounts."""
    if not len(segments):
        return
    if connection.vendor != "postgresql":
        segments = segments.assign(**{name: _money(segments[name]) for name in MONEY_FIELDS})
        rows = segments.astype(object).where(segments.notna(), None).to_dict("records")
        for row in rows:  # the field takes the value, not its JSON text
            row["churn_drivers"] = json.loads(row["churn_drivers"])
        objects = [AccountSegment(run_id=run.pk, **row) for row in rows]
        AccountSegment.objects.bulk_create(objects, batch_size=5000)
        return
    names = ("run_id", *SEGMENT_FIELDS)
    types = [Column.of(AccountSegment, name) for name in names]
    table = AccountSegment._meta.db_table
    statement = f"COPY {table} ({', '.join(names)}) FROM STDIN (FORMAT BINARY)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        copy.write(HEADER)
        # In slices: the server stores one while the next is built (the two overlap on two cores).
        for start in range(0, len(segments), COPY_ROWS):
            rows = segments.iloc[start : start + COPY_ROWS]
            copy.write(binary_tuples(rows.assign(run_id=run.pk)[list(names)], types))
        copy.write(TRAILER)
    # Statistics that know the new run: without them the planner takes it for one row and pages
    # look each account's segment up by scanning the whole run (seconds per page). Only the columns
    # the pages and selectors filter or sort on (SegmentFilter): half the time. From a sample of
    # 9,000 rows (ANALYZE_TARGET), not 30,000: the same plans for the pages' queries, and a quarter of
    # the pages read (0.06 s against 0.22 s on the bench); autovacuum's next ANALYZE refines them.
    with local_setting("default_statistics_target", str(ANALYZE_TARGET)), connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {AccountSegment._meta.db_table} ({', '.join(ANALYZED_COLUMNS)})")


ANALYZED_COLUMNS = (
    "run_id", "account_id", "rank", "abc_class", "xyz_class", "churn_status", "revenue_last_12_months",
)  # fmt: skip
ANALYZE_TARGET = 30  # PostgreSQL samples 300 rows per unit
COPY_ROWS = 10_000


def run_execute(*, run: AnalysisRun) -> AnalysisRun:
    """Compute and store a run in one transaction: it becomes visible complete, or not at all.

    A complete run is returned as it is, so a redelivered task does nothing twice.
    """
    run.refresh_from_db()
    if run.status == AnalysisRun.Status.COMPLETE:
        return run
    started = (
        AnalysisRun.objects.filter(pk=run.pk)
        .exclude(status=AnalysisRun.Status.COMPLETE)
        .update(
            status=AnalysisRun.Status.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1, error=""
        )
    )
    run.refresh_from_db()
    if not started:  # completed by another delivery since the refresh
        return run
    try:
        with collector_paused(), transaction.atomic():
            advisory_lock(RUN_LOCK_KEY)
            # A delivery that waited for the lock while another one computed the same run finds it complete.
            if AnalysisRun.objects.filter(pk=run.pk, status=AnalysisRun.Status.COMPLETE).exists():
                raise _AlreadyComplete
            policy = Policy.from_dict(run.policy_values)
            reading = read_run(run.as_of, policy)
            inputs = reading.inputs
            with ExitStack() as writing:
                # While the churn model computes, the segments' foreign keys are checked and locked
                # (the database's work; this thread would only wait for the model).
                def make_room(accounts: pd.Index) -> None:
                    writing.enter_context(_segments_room(run, reading.pks.reindex(accounts)))

                result = analyse(inputs, policy, run.as_of, meanwhile=make_room)
                # The two hashes are worked out in a thread while the segments are stored: the run's
                # own thread then mostly waits for PostgreSQL (the COPY's server side, ANALYZE), and
                # the hashes need nothing of the database.
                with ThreadPoolExecutor(max_workers=1) as pool:
                    hashes = pool.submit(lambda: (input_hash(inputs), result.result_hash()))
                    if len(result.segments):  # a run before the first sale has none
                        _store_segments(run, _segment_frame(reading, result))
                    run.input_hash, run.result_hash = hashes.result()
            run.status = AnalysisRun.Status.COMPLETE
            run.window_first = result.window_first
            run.account_count = len(result.segments)
            run.concentration = result.concentration
            run.pareto = result.pareto
            run.churn_model = result.churn_model
            run.finished_at = timezone.now()
            run.save()
            run_completed.send(sender=AnalysisRun, run=run)
    except _AlreadyComplete:
        run.refresh_from_db()
    except Exception as error:
        logger.exception("Analysis run %s failed", run.pk)
        _mark_failed(run, error)
        raise
    return run


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a run computes and writes: it allocates a few hundred
    thousand small objects at once (the churn drivers, the COPY text), and the collector, set off
    every 700 allocations, walked the run's frames again each time (~5 % of a run). The run makes
    no reference cycles worth collecting; the collector resumes after it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _AlreadyComplete(Exception):
    pass


def _mark_failed(run: AnalysisRun, error: Exception) -> None:
    """Mark the run failed. With the database gone (restarted under the run) that fails too: the
    run stays "running" with nothing of it written, and the retried task takes it up again
    (`run_nightly`); the error raised is the run's own."""
    try:
        AnalysisRun.objects.filter(pk=run.pk).update(
            status=AnalysisRun.Status.FAILED,
            finished_at=timezone.now(),
            error=f"{error.__class__.__name__}: {error}",
        )
    except DatabaseError:
        logger.warning("Analysis run %s could not be marked failed", run.pk, exc_info=True)
        connection.close()  # broken: the next use opens a new one


def run_nightly(*, today: dt.date | None = None) -> AnalysisRun:
    """The run for the last completed month; if nothing changed since an identical run, that one."""
    as_of = last_day_of_previous_month(today or timezone.localdate())
    values = policy_values(policy_current())
    same = AnalysisRun.objects.filter(
        as_of=as_of, status=AnalysisRun.Status.COMPLETE, policy_values=values
    ).first()
    if same is not None and same.input_hash == input_hash(load_inputs(as_of, Policy.from_dict(values))):
        return same
    return run_execute(run=_nightly_run(as_of, values))


def _nightly_run(as_of: dt.date, values: dict[str, Any]) -> AnalysisRun:
    """The month's unfinished nightly run with the same policy, else a new one: a nightly task
    delivered again (a restarted broker or worker) or retried (a restarted database) takes up the
    run it began (running, or failed on its way) instead of leaving it beside a second one."""
    with transaction.atomic():
        advisory_lock(NIGHTLY_LOCK_KEY)  # two deliveries at once: the second finds the first's run
        unfinished = (AnalysisRun.Status.PENDING, AnalysisRun.Status.RUNNING, AnalysisRun.Status.FAILED)
        run = (
            AnalysisRun.objects.filter(
                as_of=as_of, trigger=AnalysisRun.Trigger.NIGHTLY, policy_values=values, status__in=unfinished
            )
            .order_by("-pk")
            .first()
        )
        return run or run_create(by=None, as_of=as_of, trigger=AnalysisRun.Trigger.NIGHTLY)
