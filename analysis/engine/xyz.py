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


def _months_counted(first_purchase: pd.Series, window_first: dt.date, as_of: dt.date) -> np.ndarray:
    """Months from the later of the window's first month and the first purchase's month to as_of's
    (an account with no purchase date, only returns, counts from the window's first month)."""
    start = month_index(window_first)
    day = pd.to_datetime(first_purchase).to_numpy(dtype="datetime64[D]")  # None: NaT
    first = day.astype("datetime64[M]").astype("int64") + month_index(dt.date(1970, 1, 1))
    first = np.maximum(np.where(np.isnat(day), start, first), start)
    return np.maximum(month_index(as_of) - first + 1, 0)


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
    n = _months_counted(first_purchase, window_first, as_of)
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
    s, q = sums["s"].to_numpy().astype("int64"), sums["q"].to_numpy(dtype="float64")
    bought = sums["bought"].to_numpy().astype("int64")
    mean = np.divide(s, n, out=np.zeros(len(n)), where=n > 0)
    spread = np.divide(q, n, out=np.zeros(len(n)), where=n > 0) - mean * mean
    std = np.sqrt(np.where(spread < 0.0, 0.0, spread))  # max(spread, 0.0)
    defined = mean > 0  # else the CV is undefined
    cv = np.divide(std, mean, out=np.zeros(len(n)), where=defined)
    fx, fy = exact(x), exact(y)
    if method == "frequency":  # the share of months with a purchase, exactly
        share_at_least = {t: bought * t.denominator >= t.numerator * n for t in (fx, fy)}
        classes = np.where(share_at_least[fx], "X", np.where(share_at_least[fy], "Y", "Z")).astype(object)
    else:
        classes = np.where(cv <= float(fx), "X", np.where(cv <= float(fy), "Y", "Z")).astype(object)
        classes[~defined] = "Z"
        # Floating point decides all but the accounts right at a threshold: those are decided exactly.
        close = np.flatnonzero(defined & (n >= min_months) & (_near(cv, fx) | _near(cv, fy)))
        if len(close):
            rows = monthly.loc[monthly["account"].isin(accounts[close])]
            exact_q = rows.groupby("account")["value_cents"].agg(lambda v: sum(int(c) * int(c) for c in v))
            for p in close:
                classes[p] = _cv_class(int(s[p]), int(exact_q.get(accounts[p], 0)), int(n[p]), fx, fy)
    classes[n < min_months] = NEW
    return pd.DataFrame(
        {
            "xyz_class": classes,
            "months": n,
            "mean_cents": mean,
            "std_cents": std,
            "cv": np.where(defined, cv.astype(object), None),
            "months_with_purchase": bought,
        },
        index=accounts,
    )


def _near(cv: np.ndarray, threshold: Fraction) -> np.ndarray:
    """Within floating-point reach of the threshold: decided exactly instead."""
    t = float(threshold)
    return np.abs(cv - t) <= 1e-6 * max(t, 1e-9)
