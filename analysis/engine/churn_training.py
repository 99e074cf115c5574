"""When the churn models learn: the earlier cut-offs whose outcome is known, the outcome window
after each, the look-back window of the features, and the shorter horizons a short ledger allows.

A cut-off is a month end from which the whole outcome window (cut-off, cut-off + horizon] lies on
or before as_of. Features are read over the same look-back window at every cut-off and at as_of,
so that the model meets at as_of the features it was fit on.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from common.calendar import months_back

from .churn_ledger import DAYS_PER_MONTH, ChurnLedger

TRAINING_CUTOFFS = 12  # as_of - horizon - k months, k = 0..11 (those with enough history)
CUTOFF_STEP_MONTHS = 1
# Every feature is read over the same look-back window at every cut-off and at as_of, so that the
# model meets at as_of the features it was fit on: a ledger that starts 18 months ago gives the
# early cut-offs short histories, and features over "all history" (tenure, counts) would shift.
# The window is this share of the history before the latest training cut-off, within the bounds:
# measured on generated ledgers of 18 to 36 months, the whole of it ranks best (a long window
# matters more than more cut-offs); ledgers longer than the maximum add cut-offs instead.
LOOKBACK_SHARE = 1.0
MIN_LOOKBACK_DAYS = 180  # less history than this at the latest cut-off: a shorter horizon's fit
MAX_LOOKBACK_DAYS = 730
# The run's horizon cannot be fit: fit a horizon of a third of the past (see short_fit_horizons),
# with at least this much past before its latest cut-off; less than that, the heuristic.
SHORT_FIT_SHARE = 3
MIN_SHORT_LOOKBACK_DAYS = 28
MIN_CLASS_ROWS = 5  # fewer churned (or retained) examples than this: the heuristic instead


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def training_cutoffs(as_of: dt.date, horizon_months: int) -> list[dt.date]:
    """Month ends whose whole outcome window (cutoff, cutoff + horizon] lies on or before as_of."""
    cutoffs = []
    for k in range(TRAINING_CUTOFFS):
        back = months_back(as_of, horizon_months + k * CUTOFF_STEP_MONTHS)
        whole = as_of == _month_end(as_of)  # else the month end before, so the outcome ends <= as_of
        cutoff = _month_end(back) if whole else back.replace(day=1) - dt.timedelta(days=1)
        cutoffs.append(cutoff)
    return cutoffs


def outcome_end(cutoff: dt.date, horizon_months: int) -> dt.date:
    return _month_end(months_back(cutoff.replace(day=1), -horizon_months))


def months_of_past(first_day: dt.date, day: dt.date) -> int:
    """Whole months (rounded) from the ledger's first purchase date to `day`, both included."""
    return round(((day - first_day).days + 1) / DAYS_PER_MONTH)


def lookback_days(first_day: dt.date, latest_cutoff: dt.date) -> int | None:
    """The features' window: a share of the history before the latest training cut-off, or None
    when that history is too short to learn from."""
    history = (latest_cutoff - first_day).days + 1
    if history < MIN_LOOKBACK_DAYS:
        return None
    return int(min(MAX_LOOKBACK_DAYS, max(MIN_LOOKBACK_DAYS, LOOKBACK_SHARE * history)))


def short_fit_horizons(first_day: dt.date, as_of: dt.date, horizon: int) -> list[int]:
    """The horizons to fit when the run's cannot be, longest first: a third of the past before
    as_of (at least 1 month, less than the run's), then shorter ones. Measured on consumer-like
    ledgers of 9 and 12 months, the longer window before the cut-off matters more than a longer
    outcome: a third for the outcome and two thirds for the features ranked best."""
    longest = min(horizon - 1, max(1, months_of_past(first_day, as_of) // SHORT_FIT_SHARE))
    return list(range(longest, 0, -1))


def short_lookback_days(first_day: dt.date, latest_cutoff: dt.date) -> int | None:
    """A short fit's window: the whole past before its latest cut-off, or None under a few weeks."""
    history = (latest_cutoff - first_day).days + 1
    return min(history, MAX_LOOKBACK_DAYS) if history >= MIN_SHORT_LOOKBACK_DAYS else None


def churned_after(
    ledger: ChurnLedger, cutoff: dt.date, horizon_months: int, accounts: pd.Index
) -> np.ndarray:
    """Per account of `accounts`: no purchase date in the `horizon_months` after the cut-off."""
    bought = ledger.bought_between(cutoff, outcome_end(cutoff, horizon_months)).reindex(accounts)
    return (~bought).to_numpy()
