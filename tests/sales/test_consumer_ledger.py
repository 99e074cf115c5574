"""The consumer-like ledger generator: deterministic from its seed, most customers buy once."""

from __future__ import annotations

import datetime as dt

import pytest

from sales.consumer_ledger import consumer_lines

END = dt.date(2025, 12, 31)


def test_the_same_seed_gives_the_same_ledger_and_another_seed_another():
    lines, churned = consumer_lines(accounts=300, months=9, seed=4, end=END)
    again, churned_again = consumer_lines(accounts=300, months=9, seed=4, end=END)
    other, _ = consumer_lines(accounts=300, months=9, seed=5, end=END)
    assert lines.equals(again) and churned == churned_again
    assert not lines.equals(other)


def test_a_9_month_ledger_has_more_than_half_one_time_buyers_inside_its_months():
    lines, churned = consumer_lines(accounts=2000, months=9, seed=1, end=END)
    bought = lines.loc[lines["cents"] >= 0]  # a day of returns only is not a purchase date
    dates = bought.groupby("account")["date"].nunique()
    assert (dates == 1).mean() > 0.5
    assert lines["date"].min() >= dt.datetime(2025, 4, 1) and lines["date"].max() <= dt.datetime(2025, 12, 31)
    assert set(lines["account"]) <= set(churned)


@pytest.mark.parametrize(("accounts", "months"), [(0, 9), (10, 0)])
def test_no_accounts_or_no_months_is_refused(accounts, months):
    with pytest.raises(ValueError, match="at least 1"):
        consumer_lines(accounts=accounts, months=months, seed=1, end=END)
