"""XYZ: how regularly accounts buy (ARCHITECTURE.md, "XYZ")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from common.calendar import month_index

from .policy import exact

NEW = "new"


def _months_counted(first_purchase: pd.Series, window_first: dt.date, as_of: dt.date) -> pd.Series:
    """Months from the later of the window's first month and the first purchase's month to as_of's
    (an account with no purchase date, only returns, counts from the window's first month)."""
    start = month_index(window_first)
    first = first_purchase.map(lambda day: start if day is None or pd.isna(day) else month_index(day))
    first = first.astype("int64").clip(lower=start)
    return (month_index(as_of) - first + 1).clip(lower=0).astype("int64")


def _cv_class(s: int, q: int, n: int, fx: Fraction, fy: Fraction) -> str:
    """Exact: CV <= t  <=>  n*q - s^2 <= t^2 * s^2 (population variance, mean s/n > 0)."""
    spread = n * q - s * s
    if spread * fx.denominator**2 <= fx.numerator**2 * s * s:
        return "X"
    if spread * fy.denominator**2 <= fy.numerator**2 * s * s:
        return "Y"
    return "Z"


def classify_xyz(
    monthly: pd.DataFrame,
    first_purchase: pd.Series,
    *,
    as_of: dt.date,
    window_first: dt.date,
    method: str,
    x: Decimal,
    y: Decimal,
    min_months: int,
) -> pd.DataFrame:
    """Classify accounts by the regularity of their monthly values.

    `monthly`: account, month (first day), value_cents — the window's lines by calendar month.
    `first_purchase`: each account's first-ever purchase date, indexed by account.
    `method`, `x`, `y`, `min_months`: the policy's (no defaults here: they are the Policy's).
    Returns per account: xyz_class, months, mean_cents, std_cents, cv (None when undefined),
    months_with_purchase.
    """
    accounts = first_purchase.index
    months = _months_counted(first_purchase, window_first, as_of)
    values = monthly["value_cents"].astype("int64")
    grouped = values.groupby(monthly["account"])
    sums = (
        pd.DataFrame(
            {
                "s": grouped.sum(),
                "bought": grouped.count(),
                "q": values.astype("float64").pow(2).groupby(monthly["account"]).sum(),
            }
        )
        .reindex(accounts)
        .fillna(0)
    )
    s = [int(v) for v in sums["s"]]
    q = sums["q"].tolist()
    n = [int(v) for v in months]
    bought = [int(v) for v in sums["bought"]]
    fx, fy = exact(x), exact(y)
    classes, cvs, means, stds, close_calls = [], [], [], [], []
    for position, (si, qi, ni, bi) in enumerate(zip(s, q, n, bought, strict=True)):
        mean = si / ni if ni else 0.0
        variance = max(qi / ni - mean * mean, 0.0) if ni else 0.0
        std = float(np.sqrt(variance))
        cv = std / mean if mean > 0 else None
        means.append(mean)
        stds.append(std)
        cvs.append(cv)
        if ni < min_months:
            classes.append(NEW)
        elif method == "frequency":
            share = Fraction(bi, ni)
            classes.append("X" if share >= fx else "Y" if share >= fy else "Z")
        elif si <= 0 or cv is None:
            classes.append("Z")  # mean <= 0: CV undefined
        else:
            classes.append("X" if cv <= float(fx) else "Y" if cv <= float(fy) else "Z")
            if any(abs(cv - float(t)) <= 1e-6 * max(float(t), 1e-9) for t in (fx, fy)):
                close_calls.append(position)
    # Floating point decides all but the accounts right at a threshold: those are decided exactly.
    if close_calls:
        close = {accounts[p] for p in close_calls}
        rows = monthly.loc[monthly["account"].isin(close)]
        exact_q = rows.groupby("account")["value_cents"].agg(lambda v: sum(int(c) * int(c) for c in v))
        for p in close_calls:
            classes[p] = _cv_class(s[p], int(exact_q.get(accounts[p], 0)), n[p], fx, fy)
    return pd.DataFrame(
        {
            "xyz_class": pd.Series(classes, index=accounts),
            "months": n,
            "mean_cents": means,
            "std_cents": stds,
            "cv": pd.Series(cvs, index=accounts, dtype=object),
            "months_with_purchase": bought,
        },
        index=accounts,
    )
