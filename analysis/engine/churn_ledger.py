"""The churn model's ledger: purchase dates and monthly values indexed once, and the features of
every account as seen at any cut-off.

The score is learned at earlier cut-offs and applied at the run's date, so the same features are
built many times over; `ChurnLedger` codes the accounts and days once (numpy arrays sorted by
account then day) so that each cut-off is a few vectorised passes. Every feature is read over a
look-back window, the same at every cut-off and at as_of (see churn_training.lookback_days).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from common.calendar import month_index

from .rfm import EPOCH, CodedDays, account_codes, coded_days, ordered_median, sorted_by_value

# The model's features, in the order of its coefficients.
FEATURES = (
    "recency_days", "purchase_dates", "tenure_days", "median_interval_days", "recency_ratio",
    "single_purchase", "value_12m", "value_trend", "purchases_90d", "purchases_180d", "mean_interval_days",
    "recency_mean_ratio", "expected_purchases",
)  # fmt: skip
DAYS_PER_MONTH = 30.4375


def day_number(day: dt.date) -> np.int64:
    """Days since 1970-01-01, as the ledger stores them."""
    return (np.datetime64(day, "D") - EPOCH).astype("int64")


@dataclass(frozen=True)
class ChurnLedger:
    """Purchase dates and monthly values, indexed once so that features at any cut-off are cheap."""

    accounts: pd.Index  # sorted external ids; codes below index into it
    code: np.ndarray  # per purchase date, sorted by account then day
    day: np.ndarray  # days since 1970-01-01
    gap: np.ndarray  # days since the account's previous purchase date (NaN for its first)
    by_gap: np.ndarray  # the positions with a gap, by account then gap: any subset's medians in one pass
    month_code: np.ndarray  # per account-month of the history
    month: np.ndarray  # month_index of the month
    value: np.ndarray  # cents
    undated: np.ndarray  # per account: no purchase date at all (a row with no date: returns only)
    # Features already built, by (cut-off, horizon, look-back): the fit, the repeat-buying model and
    # its guard each read the latest training cut-off's.
    built: dict[tuple, pd.DataFrame] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def build(
        cls, purchase_dates: pd.DataFrame, monthly: pd.DataFrame, coded: CodedDays | None = None
    ) -> ChurnLedger:
        """From the distinct purchase dates (account, date; a row with no date names an account that
        has none) and the monthly values (account, month, value_cents); `coded`: the dates' own
        `coded_days`, when the caller has them already."""
        dated = purchase_dates["date"].notna().to_numpy()
        every_dated = bool(dated.all())
        accounts, code, day = (
            coded if coded is not None and every_dated else coded_days(purchase_dates.loc[dated])
        )
        others = pd.Index(purchase_dates.loc[~dated, "account"].astype(str).unique(), dtype=object)
        if len(others.difference(accounts)):
            every = accounts.union(others.difference(accounts))
            code = every.get_indexer(accounts)[code] if len(code) else code
            accounts = every
        gap = np.where(np.r_[False, code[1:] == code[:-1]], np.diff(day, prepend=0), np.nan)
        gapped = np.flatnonzero(~np.isnan(gap))
        months = pd.to_datetime(monthly["month"])
        month_code = account_codes(accounts, monthly["account"])
        known = month_code >= 0
        return cls(
            accounts=accounts,
            code=code,
            day=day,
            gap=gap.astype(float),
            by_gap=gapped[sorted_by_value(code[gapped], gap[gapped])],
            month_code=month_code[known],
            month=month_index(months.dt).to_numpy()[known],
            value=monthly["value_cents"].to_numpy(dtype="float64")[known],
            undated=np.bincount(code, minlength=len(accounts)) == 0,
        )

    @property
    def first_day(self) -> dt.date | None:
        return (
            None if not len(self.day) else (EPOCH + np.timedelta64(int(self.day.min()), "D")).astype(dt.date)
        )

    def features(
        self, cutoff: dt.date, horizon_months: int, lookback_days: int | None = None
    ) -> pd.DataFrame:
        """Raw features of every account with a purchase date <= cutoff (see `_features`): built
        once per cut-off, horizon and look-back, a copy each time (callers may add columns)."""
        key = (cutoff, horizon_months, lookback_days)
        if key not in self.built:
            self.built[key] = self._features(cutoff, horizon_months, lookback_days)
        return self.built[key].copy()

    def _features(
        self, cutoff: dt.date, horizon_months: int, lookback_days: int | None = None
    ) -> pd.DataFrame:
        """Raw features of every account with a purchase date <= cutoff, as seen at the cutoff over
        the last `lookback_days` (all history when None).

        Besides the median gap (robust, the status's yardstick) the mean gap, first to last date:
        bursty buyers have short median gaps but long pauses, and the mean gap gives the rate at
        which an account that is still alive would buy (`expected_purchases` in the horizon).
        An account silent for the whole window is seen as if it last bought when the window opened.
        """
        c, n = day_number(cutoff), len(self.accounts)
        known = self.day <= c
        present, last_ever = self._last_ever(known, c)
        lo = c - lookback_days if lookback_days else np.iinfo(np.int64).min
        seen = known & (self.day > lo)
        code, day = self.code[seen], self.day[seen]
        count = np.bincount(code, minlength=n)
        first, last = self._window_ends(code, day, lo, c)
        recency, tenure = (c - last).astype(float), (c - first).astype(float)
        single = count < 2
        median = np.where(single, tenure, self._median_gaps(seen, lo))
        mean = np.maximum(np.where(single, tenure, (tenure - recency) / np.maximum(count - 1, 1)), 1.0)
        m = month_index(cutoff)
        window_months = 12 if not lookback_days else max(1, min(12, int(lookback_days // DAYS_PER_MONTH)))
        frame = pd.DataFrame(
            {
                "recency_days": recency,
                "purchase_dates": count.astype(float),
                "tenure_days": tenure,
                "median_interval_days": median,
                "recency_ratio": recency / np.maximum(median, 1.0),
                "single_purchase": single.astype(float),
                "value_12m": self._months(m - window_months, m, n) / 100,
                "value_trend": self._trend(m, n, min(6, window_months // 2)),
                "purchases_90d": np.bincount(code[day > c - 90], minlength=n).astype(float),
                "purchases_180d": np.bincount(code[day > c - 180], minlength=n).astype(float),
                "mean_interval_days": mean,
                "recency_mean_ratio": recency / mean,
                "expected_purchases": horizon_months * DAYS_PER_MONTH / mean,
                # Not model features: silent for the whole window, and the days since the last
                # purchase ever (those accounts are scored apart, on that alone).
                "silent": (count == 0).astype(float),
                "recency_all_days": (c - last_ever).astype(float),
            },
            index=self.accounts,
        )
        return frame.loc[present]

    def _last_ever(self, known: np.ndarray, c: np.int64) -> tuple[np.ndarray, np.ndarray]:
        """(per account: any purchase date <= the cut-off; the last of them, the cut-off if none)."""
        n = len(self.accounts)
        present = np.bincount(self.code[known], minlength=n) > 0
        last_ever = np.full(n, np.iinfo(np.int64).min)
        np.maximum.at(last_ever, self.code[known], self.day[known])
        last_ever[~present] = c
        return present, last_ever

    def _window_ends(
        self, code: np.ndarray, day: np.ndarray, lo: np.int64 | int, c: np.int64
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per account: the first and the last purchase date in the window; the window's opening
        day for an account silent in it."""
        n = len(self.accounts)
        # Sorted by account then day: an account's first date opens its run of rows, its last closes it.
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.zeros(0, int)
        ends = np.r_[starts[1:] - 1, len(code) - 1] if len(code) else starts
        opened = max(lo, int(self.day.min()) if len(self.day) else c)
        first, last = np.full(n, opened), np.full(n, opened)
        first[code[starts]], last[code[ends]] = day[starts], day[ends]
        return first, last

    def _median_gaps(self, seen: np.ndarray, lo: np.int64 | int) -> np.ndarray:
        """Per account: the median gap between purchase dates with both ends in the window (NaN: none)."""
        inner = seen & (self.day - np.nan_to_num(self.gap, nan=np.inf) > lo)
        ordered = self.by_gap[inner[self.by_gap]]
        return ordered_median(self.code[ordered], self.gap[ordered], len(self.accounts))

    def _months(self, after: int, upto: int, n: int) -> np.ndarray:
        inside = (self.month > after) & (self.month <= upto)
        return np.bincount(self.month_code[inside], weights=self.value[inside], minlength=n)

    def _trend(self, m: int, n: int, half: int = 6) -> np.ndarray:
        """The last `half` months against the `half` before, in -1..1 (0 when both are zero)."""
        if half < 1:
            return np.zeros(n)
        recent, before = self._months(m - half, m, n), self._months(m - 2 * half, m - half, n)
        scale = np.abs(recent) + np.abs(before)
        return np.divide(recent - before, scale, out=np.zeros(n), where=scale > 0)

    def bought_between(self, after: dt.date, upto: dt.date) -> pd.Series:
        """Per account: any purchase date in (after, upto]."""
        lo, hi = day_number(after), day_number(upto)
        inside = (self.day > lo) & (self.day <= hi)
        counts = np.bincount(self.code[inside], minlength=len(self.accounts))
        return pd.Series(counts > 0, index=self.accounts)
