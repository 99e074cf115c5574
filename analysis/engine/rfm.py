"""Recency, frequency and rhythm figures per account (ARCHITECTURE.md, "RFM")."""

from __future__ import annotations

import datetime as dt

import pandas as pd


def rfm(purchase_dates: pd.DataFrame, *, as_of: dt.date, window_first: dt.date) -> pd.DataFrame:
    """From each account's distinct purchase dates up to as_of (all history, any amount).

    Returns per account: first_purchase, last_purchase, purchase_dates (all history), orders
    (distinct purchase dates inside the window), months_active (calendar months of the window
    with a purchase), days_since_last_purchase and median_interval_days (median gap between
    consecutive purchase dates; None with fewer than two dates).
    """
    dates = purchase_dates.loc[purchase_dates["date"] <= as_of, ["account", "date"]].drop_duplicates()
    dates = dates.sort_values(["account", "date"], kind="mergesort")
    as_ts = pd.to_datetime(dates["date"])
    grouped = dates.assign(ts=as_ts).groupby("account", sort=True)
    first = grouped["date"].min()
    last = grouped["date"].max()
    gaps = as_ts.groupby(dates["account"]).diff().dt.days
    median = gaps.groupby(dates["account"]).median()
    in_window = dates["date"] >= window_first
    window_dates = dates.loc[in_window]
    orders = window_dates.groupby("account")["date"].count()
    months_active = (
        window_dates.assign(month=[d.replace(day=1) for d in window_dates["date"]])
        .groupby("account")["month"]
        .nunique()
    )
    result = pd.DataFrame({"first_purchase": first, "last_purchase": last})
    result["purchase_dates"] = grouped["date"].count()
    result["orders"] = orders.reindex(result.index).fillna(0).astype("int64")
    result["months_active"] = months_active.reindex(result.index).fillna(0).astype("int64")
    result["days_since_last_purchase"] = [(as_of - d).days for d in result["last_purchase"]]
    result["median_interval_days"] = pd.Series(
        [None if pd.isna(m) else float(m) for m in median.reindex(result.index)],
        index=result.index,
        dtype=object,
    )
    return result
