"""Churn status (cadence-aware rules) and churn risk score (a model fit on the ledger's own past).

The status follows ARCHITECTURE.md to the letter and compares exactly (integers, no floats). The
score is the probability that an account buys nothing in the next `churn_horizon_months`: features
are built at earlier cut-offs whose outcome is already known, a logistic regression on
log-transformed, standardised features is fit to them, and every account is scored as of the run
date. A linear model keeps each account's explanation exact: a driver's contribution is its
coefficient x its standardised value, in log-odds, against the average account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

from .calendar import month_index, months_back
from .policy import Policy

ACTIVE, AT_RISK, LOST = "active", "at_risk", "lost"
FEATURES = (
    "recency_days", "purchase_dates", "tenure_days", "median_interval_days", "recency_ratio",
    "single_purchase", "value_12m", "value_trend", "purchases_90d", "purchases_180d", "mean_interval_days",
    "recency_mean_ratio", "expected_purchases",
)  # fmt: skip
LOGGED = {"recency_days", "purchase_dates", "tenure_days", "median_interval_days", "recency_ratio",
          "purchases_90d", "purchases_180d", "mean_interval_days", "recency_mean_ratio",
          "expected_purchases"}  # fmt: skip
DAYS_PER_MONTH = 30.4375
TRAINING_CUTOFFS = 4  # as_of - horizon - k x 3 months, k = 0..3
CUTOFF_STEP_MONTHS = 3
MIN_CLASS_ROWS = 5  # fewer churned (or retained) examples than this: the heuristic instead
MAX_TRAINING_ROWS = 500_000  # a deterministic sample above this keeps the fit to seconds
DRIVERS = 3
EPOCH = np.datetime64("1970-01-01", "D")


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


# --- features ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChurnLedger:
    """Purchase dates and monthly values, indexed once so that features at any cut-off are cheap."""

    accounts: pd.Index  # sorted external ids; codes below index into it
    code: np.ndarray  # per purchase date, sorted by account then day
    day: np.ndarray  # days since 1970-01-01
    gap: np.ndarray  # days since the account's previous purchase date (NaN for its first)
    month_code: np.ndarray  # per account-month of the history
    month: np.ndarray  # month_index of the month
    value: np.ndarray  # cents

    @classmethod
    def build(cls, purchase_dates: pd.DataFrame, monthly: pd.DataFrame) -> ChurnLedger:
        days = pd.DataFrame(
            {
                "account": purchase_dates["account"].astype(str),
                "day": (pd.to_datetime(purchase_dates["date"]).to_numpy("datetime64[D]") - EPOCH).astype(
                    "int64"
                ),
            }
        ).drop_duplicates()
        accounts = pd.Index(sorted(set(days["account"])))
        days["code"] = accounts.get_indexer(days["account"])
        days = days.sort_values(["code", "day"], kind="mergesort")
        code, day = days["code"].to_numpy(), days["day"].to_numpy()
        gap = np.where(np.r_[False, code[1:] == code[:-1]], np.diff(day, prepend=0), np.nan)
        months = pd.to_datetime(monthly["month"])
        month_code = accounts.get_indexer(monthly["account"].astype(str))
        known = month_code >= 0
        return cls(
            accounts=accounts,
            code=code,
            day=day,
            gap=gap.astype(float),
            month_code=month_code[known],
            month=(months.dt.year * 12 + months.dt.month - 1).to_numpy()[known],
            value=monthly["value_cents"].to_numpy(dtype="float64")[known],
        )

    def features(self, cutoff: dt.date, horizon_months: int) -> pd.DataFrame:
        """Raw features of every account with a purchase date <= cutoff, as seen at the cutoff.

        Besides the median gap (robust, the status's yardstick) the mean gap, first to last date:
        bursty buyers have short median gaps but long pauses, and the mean gap gives the rate at
        which an account that is still alive would buy (`expected_purchases` in the horizon).
        """
        c = (np.datetime64(cutoff, "D") - EPOCH).astype("int64")
        n = len(self.accounts)
        seen = self.day <= c
        code, day = self.code[seen], self.day[seen]
        count = np.bincount(code, minlength=n)
        present = count > 0
        # Sorted by account then day: an account's first date opens its run of rows, its last closes it.
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else np.zeros(0, int)
        ends = np.r_[starts[1:] - 1, len(code) - 1] if len(code) else starts
        first, last = np.full(n, c), np.full(n, c)
        first[code[starts]], last[code[ends]] = day[starts], day[ends]
        gaps = pd.Series(self.gap[seen]).groupby(code).median().reindex(range(n)).to_numpy()
        recency, tenure = (c - last).astype(float), (c - first).astype(float)
        single = count < 2
        median = np.where(single, tenure, gaps)
        mean = np.maximum(np.where(single, tenure, (tenure - recency) / np.maximum(count - 1, 1)), 1.0)
        m = month_index(cutoff)
        frame = pd.DataFrame(
            {
                "recency_days": recency,
                "purchase_dates": count.astype(float),
                "tenure_days": tenure,
                "median_interval_days": median,
                "recency_ratio": recency / np.maximum(median, 1.0),
                "single_purchase": single.astype(float),
                "value_12m": self._months(m - 12, m, n) / 100,
                "value_trend": self._trend(m, n),
                "purchases_90d": np.bincount(code[day > c - 90], minlength=n).astype(float),
                "purchases_180d": np.bincount(code[day > c - 180], minlength=n).astype(float),
                "mean_interval_days": mean,
                "recency_mean_ratio": recency / mean,
                "expected_purchases": horizon_months * DAYS_PER_MONTH / mean,
            },
            index=self.accounts,
        )
        return frame.loc[present]

    def _months(self, after: int, upto: int, n: int) -> np.ndarray:
        inside = (self.month > after) & (self.month <= upto)
        return np.bincount(self.month_code[inside], weights=self.value[inside], minlength=n)

    def _trend(self, m: int, n: int) -> np.ndarray:
        """Last 6 months against the 6 before, in -1..1 (0 when both are zero)."""
        recent, before = self._months(m - 6, m, n), self._months(m - 12, m - 6, n)
        scale = np.abs(recent) + np.abs(before)
        return np.divide(recent - before, scale, out=np.zeros(n), where=scale > 0)

    def bought_between(self, after: dt.date, upto: dt.date) -> pd.Series:
        """Per account: any purchase date in (after, upto]."""
        lo = (np.datetime64(after, "D") - EPOCH).astype("int64")
        hi = (np.datetime64(upto, "D") - EPOCH).astype("int64")
        inside = (self.day > lo) & (self.day <= hi)
        counts = np.bincount(self.code[inside], minlength=len(self.accounts))
        return pd.Series(counts > 0, index=self.accounts)


def model_matrix(raw: pd.DataFrame) -> np.ndarray:
    """The features as the model sees them: counts and durations on a log scale, value signed-log."""
    columns = []
    for name in FEATURES:
        values = raw[name].to_numpy(dtype="float64")
        if name in LOGGED:
            values = np.log1p(np.maximum(values, 0.0))
        elif name == "value_12m":
            values = np.sign(values) * np.log1p(np.abs(values))
        columns.append(values)
    return np.column_stack(columns)


# --- the score -----------------------------------------------------------------------------------


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


@dataclass
class ChurnScores:
    scores: pd.DataFrame  # index account: churn_score (0..1, 4 decimals), churn_drivers (list of dicts)
    model: dict[str, Any]  # how the score was made, for the run's record


def churn_scores(ledger: ChurnLedger, policy: Policy, as_of: dt.date) -> ChurnScores:
    """Every account's churn risk as of as_of: the fitted model, or the heuristic when the ledger
    holds too little history to fit one (no cut-off with both outcomes)."""
    horizon = policy.churn_horizon_months
    rows, labels, used = [], [], []
    for cutoff in training_cutoffs(as_of, horizon):
        raw = ledger.features(cutoff, horizon)
        if raw.empty:
            continue
        bought = ledger.bought_between(cutoff, outcome_end(cutoff, horizon)).reindex(raw.index)
        rows.append(raw)
        labels.append((~bought).to_numpy())
        used.append(cutoff)
    current = ledger.features(as_of, horizon)
    y = np.concatenate(labels) if labels else np.zeros(0, dtype=bool)
    if min(int(y.sum()), int((~y).sum())) < MIN_CLASS_ROWS:
        return heuristic_scores(current, policy, reason="too little history to fit the model")
    return _fitted_scores(pd.concat(rows), y, current, used, horizon)


def _fitted_scores(
    raw: pd.DataFrame, y: np.ndarray, current: pd.DataFrame, cutoffs: list[dt.date], horizon: int
) -> ChurnScores:
    x = model_matrix(raw)
    if len(y) > MAX_TRAINING_ROWS:
        keep = np.sort(np.random.default_rng(0).choice(len(y), MAX_TRAINING_ROWS, replace=False))
        x, y, raw = x[keep], y[keep], raw.iloc[keep]
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=1.0, max_iter=1000, random_state=0).fit(scaler.transform(x), y)
    z = scaler.transform(model_matrix(current))
    contributions = z * model.coef_[0]
    probability = model.predict_proba(z)[:, 1]
    scores = pd.DataFrame(
        {"churn_score": np.round(probability, 4), "churn_drivers": _drivers(current, contributions)},
        index=current.index,
    )
    fitted = model.predict_proba(scaler.transform(x))[:, 1]
    info = {
        "method": "logistic_regression",
        "horizon_months": horizon,
        "cutoffs": [c.isoformat() for c in cutoffs],
        "training_rows": len(y),
        "training_churned": int(y.sum()),
        "auc_training": round(float(roc_auc_score(y, fitted)), 4),
        "auc_recency_training": round(float(roc_auc_score(y, raw["recency_days"])), 4),
        "intercept": round(float(model.intercept_[0]), 6),
        "coefficients": {f: round(float(c), 6) for f, c in zip(FEATURES, model.coef_[0], strict=True)},
        "means": {f: round(float(m), 6) for f, m in zip(FEATURES, scaler.mean_, strict=True)},
        "scales": {f: round(float(s), 6) for f, s in zip(FEATURES, scaler.scale_, strict=True)},
    }
    return ChurnScores(scores, info)


def _drivers(raw: pd.DataFrame, contributions: np.ndarray) -> list[list[dict[str, Any]]]:
    """The DRIVERS features with the largest |contribution| per account, largest first."""
    order = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :DRIVERS]
    values = raw[list(FEATURES)].to_numpy(dtype="float64")
    return [
        [
            {
                "feature": FEATURES[j],
                "value": round(float(values[i, j]), 2),
                "contribution": round(float(contributions[i, j]), 4),
            }
            for j in row
        ]
        for i, row in enumerate(order)
    ]


def heuristic_scores(current: pd.DataFrame, policy: Policy, *, reason: str) -> ChurnScores:
    """Without a model: r = days since the last purchase ÷ the expected gap, score = r² / (r² + L²)
    with L the lost multiplier, so 0.5 exactly on the lost boundary and rising past it.

    The expected gap is the median interval, at least lost_min_days ÷ L; with one purchase date it is
    single_lost_days ÷ L.
    """
    m = float(policy.lost_interval_multiplier)
    floor = policy.lost_min_days / m
    gap = np.where(
        current["single_purchase"].to_numpy() > 0,
        policy.single_lost_days / m,
        np.maximum(current["median_interval_days"].to_numpy(dtype="float64"), floor),
    )
    r = current["recency_days"].to_numpy(dtype="float64") / np.maximum(gap, 1e-9)
    score = r * r / (r * r + m * m)
    logit = 2 * np.log(np.maximum(r, 1e-9) / m)
    drivers = [
        [{"feature": "recency_ratio", "value": round(float(ri), 2), "contribution": round(float(li), 4)}]
        for ri, li in zip(r, logit, strict=True)
    ]
    scores = pd.DataFrame({"churn_score": np.round(score, 4), "churn_drivers": drivers}, index=current.index)
    info = {"method": "heuristic", "reason": reason, "horizon_months": policy.churn_horizon_months}
    return ChurnScores(scores, info)
