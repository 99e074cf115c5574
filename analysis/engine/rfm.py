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
    days = pd.DataFrame(
        {
            "account": purchase_dates["account"],
            "day": pd.to_datetime(purchase_dates["date"]).astype("datetime64[s]"),
        }
    )
    days = days.loc[days["day"] <= pd.Timestamp(as_of)].drop_duplicates()
    days = days.sort_values(["account", "day"], kind="mergesort")
    grouped = days.groupby("account", sort=True)["day"]
    result = pd.DataFrame({"first": grouped.min(), "last": grouped.max(), "purchase_dates": grouped.count()})
    gaps = grouped.diff().dt.days
    median = gaps.groupby(days["account"]).median()
    window = days.loc[days["day"] >= pd.Timestamp(window_first)]
    result["orders"] = (
        window.groupby("account")["day"].count().reindex(result.index).fillna(0).astype("int64")
    )
    months = window["day"].dt.to_period("M")
    result["months_active"] = (
        months.groupby(window["account"]).nunique().reindex(result.index).fillna(0).astype("int64")
    )
    result["days_since_last_purchase"] = (pd.Timestamp(as_of) - result["last"]).dt.days.astype("int64")
    result["first_purchase"] = result["first"].dt.date
    result["last_purchase"] = result["last"].dt.date
    result["median_interval_days"] = pd.Series(
        [None if pd.isna(m) else float(m) for m in median.reindex(result.index)],
        index=result.index,
        dtype=object,
    )
    return result.drop(columns=["first", "last"])
