"""Churn status: active, at risk or lost, from each account's own purchase cadence.

The rule of ARCHITECTURE.md ("Churn status"), to the letter: with at least two purchase dates an
account is lost when the days since its last purchase exceed max(3 x median interval, 90), else at
risk past max(1.5 x median interval, 45); with one purchase date, lost after 180 days and at risk
after 45 (the policy holds the numbers). Thresholds are compared exactly, in integers, never floats.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from .policy import Policy

ACTIVE, AT_RISK, LOST = "active", "at_risk", "lost"


def _exceeds(days: pd.Series, multiplier: Decimal | Fraction, median: pd.Series) -> pd.Series:
    """days > multiplier x median, exactly: the median of whole-day gaps is a multiple of 1/2."""
    ratio = Fraction(multiplier)
    halves = (median.astype(float) * 2).round().astype("int64")
    return (days.astype("int64") * 2 * ratio.denominator) > (halves * ratio.numerator)


def churn_status(recency: pd.DataFrame, policy: Policy) -> pd.Series:
    """active / at_risk / lost per account, from days_since_last_purchase, median_interval_days and
    purchase_dates (the RFM frame). Strictly greater than the threshold: equal is not past it."""
    days = recency["days_since_last_purchase"].astype("int64")
    several = recency["purchase_dates"].astype("int64") >= 2
    median = pd.to_numeric(recency["median_interval_days"], errors="coerce").fillna(0.0)
    lost = np.where(
        several,
        _exceeds(days, policy.lost_interval_multiplier, median) & (days > policy.lost_min_days),
        days > policy.single_lost_days,
    )
    at_risk = np.where(
        several,
        _exceeds(days, policy.at_risk_interval_multiplier, median) & (days > policy.at_risk_min_days),
        days > policy.single_at_risk_days,
    )
    status = np.where(lost, LOST, np.where(at_risk, AT_RISK, ACTIVE))
    return pd.Series(status, index=recency.index, name="churn_status", dtype=object)
