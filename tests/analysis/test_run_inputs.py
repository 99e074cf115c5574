"""The run's inputs read from the rhythm rollup equal those summed from the daily and monthly
rollups, for a run at the ledger's end and for backdated ones (the rollup holds all history)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from analysis.engine import Policy, analyse, history_months, window_start
from analysis.engine.rfm import coded_days, coded_upto
from analysis.loader import input_hash, load_inputs
from common.calendar import months_back
from sales.ledger_generator import generate_lines
from sales.models import DailySales, MonthlySales
from sales.services import sales_lines_bulk_import

pytestmark = pytest.mark.django_db
END = dt.date(2025, 12, 31)


@pytest.fixture
def ledger(admin_user):
    lines = list(generate_lines(lines=3000, accounts=30, months=24, seed=11, end=END))
    payload = [{k: "" if v is None else str(v) for k, v in line.items()} for line in lines]
    payload.append({"account_external_id": "RETURNS-ONLY", "date": "2025-03-04", "amount": "-12.50"})
    batch = sales_lines_bulk_import(by=admin_user, lines=payload)
    assert batch.status == "done", batch.errors


def _from_rollups(as_of: dt.date, policy: Policy) -> tuple[pd.DataFrame, pd.DataFrame, set[str]]:
    """(purchase dates, monthly history, accounts) straight from the daily and monthly rollups."""
    daily = DailySales.objects.filter(date__lte=as_of).values_list(
        "account__external_id", "date", "purchase_lines"
    )
    dates = sorted((account, pd.Timestamp(day)) for account, day, n in daily if n > 0)
    accounts = {account for account, _day, _n in daily}
    first = months_back(as_of, history_months(policy) - 1).replace(day=1)
    first = min(first, window_start(as_of, policy.window_months).replace(day=1))
    cents: dict = defaultdict(int)
    for account, month, revenue in MonthlySales.objects.filter(
        month__gte=first, month__lte=as_of
    ).values_list("account__external_id", "month", "revenue"):
        cents[(account, pd.Timestamp(month))] += int(revenue * 100)
    monthly = sorted((account, month, value) for (account, month), value in cents.items())
    return (
        pd.DataFrame(dates, columns=["account", "date"]),
        pd.DataFrame(monthly, columns=["account", "month", "value_cents"]),
        accounts,
    )


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.assign(account=frame["account"].astype(object))  # the loader's may be categorical
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


@pytest.mark.parametrize(
    "as_of", [END, dt.date(2025, 6, 30), dt.date(2024, 9, 30)], ids=["end", "back", "early"]
)
def test_inputs_from_the_rhythm_rollup_equal_the_daily_and_monthly_rollups(ledger, as_of):
    policy = Policy()
    inputs = load_inputs(as_of, policy)
    dates, monthly, accounts = _from_rollups(as_of, policy)
    got_dates = inputs.purchase_dates.assign(
        date=pd.to_datetime(inputs.purchase_dates["date"]).astype("M8[ns]")
    )
    pd.testing.assert_frame_equal(_sorted(got_dates), _sorted(dates), check_dtype=False)
    got_history = inputs.monthly_history.assign(month=inputs.monthly_history["month"].astype("M8[ns]"))
    pd.testing.assert_frame_equal(_sorted(got_history), _sorted(monthly), check_dtype=False)
    assert set(inputs.accounts) == accounts
    assert ("RETURNS-ONLY" in accounts) == (as_of >= dt.date(2025, 3, 4))


@pytest.mark.parametrize(
    "as_of", [END, dt.date(2025, 3, 3), dt.date(2024, 9, 30)], ids=["end", "back", "early"]
)
def test_the_purchase_days_come_coded_as_the_engine_would_code_the_dates(ledger, as_of):
    inputs = load_inputs(as_of, Policy())
    assert inputs.purchase_days is not None
    accounts, code, day = inputs.purchase_days
    expected_accounts, expected_code, expected_day = coded_days(inputs.purchase_dates)
    assert accounts.equals(expected_accounts) and accounts.dtype == expected_accounts.dtype
    np.testing.assert_array_equal(code, expected_code)
    np.testing.assert_array_equal(day, expected_day)
    assert "RETURNS-ONLY" not in accounts  # in the run, but with no purchase date: no code
    # Cut at an earlier day, they are what the dates up to it would give.
    earlier = as_of - dt.timedelta(days=45)
    cut = coded_upto(inputs.purchase_days, earlier)
    upto = inputs.purchase_dates.loc[pd.to_datetime(inputs.purchase_dates["date"]) <= pd.Timestamp(earlier)]
    for got, expected in zip(cut, coded_days(upto), strict=True):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(expected))
    # And the run is the same whether the engine codes the dates itself or takes them coded.
    recoded = replace(inputs, purchase_days=None)
    assert analyse(inputs, Policy(), as_of).result_hash() == analyse(recoded, Policy(), as_of).result_hash()


def test_a_mid_month_run_reads_its_last_month_from_the_daily_rollup(ledger):
    as_of = dt.date(2025, 11, 17)
    inputs = load_inputs(as_of, Policy())
    november = inputs.monthly_history.loc[inputs.monthly_history["month"] == pd.Timestamp(2025, 11, 1)]
    expected = defaultdict(int)
    for account, revenue in DailySales.objects.filter(
        date__gte=dt.date(2025, 11, 1), date__lte=as_of
    ).values_list("account__external_id", "revenue"):
        expected[account] += int(revenue * 100)
    assert dict(zip(november["account"], november["value_cents"], strict=True)) == dict(expected)
    assert pd.to_datetime(inputs.purchase_dates["date"]).max() <= pd.Timestamp(as_of)


def test_the_input_hash_ignores_row_order_and_sees_a_changed_value(ledger):
    inputs = load_inputs(END, Policy())
    before = input_hash(inputs)
    inputs.monthly_history = inputs.monthly_history.iloc[::-1].reset_index(drop=True)
    inputs.purchase_dates = inputs.purchase_dates.sample(frac=1, random_state=1)
    assert input_hash(inputs) == before
    for frame in (inputs.monthly, inputs.purchase_dates, inputs.monthly_history):  # codes or text alike
        frame["account"] = frame["account"].astype(str).astype(object)
    assert input_hash(inputs) == before
    inputs.monthly_history.loc[0, "value_cents"] += 1
    assert input_hash(inputs) != before
    assert analyse(load_inputs(END, Policy()), Policy(), END).result_hash()
