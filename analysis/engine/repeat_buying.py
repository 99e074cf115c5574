"""The repeat-buying model (MBG/NBD, Batislam et al. 2007) and the churn scores it gives.

While alive, an account buys at a rate of its own (gamma distributed over accounts: r, alpha per
day); after each purchase, the first included, it leaves for good with a probability of its own
(beta distributed: a, b). Fit by maximum likelihood on the purchase dates before a date alone (no
outcome needed), it gives each account's probability of buying nothing in any horizon, one-time
buyers included: where most accounts bought once, it can rank where a regression has too few
examples to learn from. The orchestration (churn.py) chooses between it and the regression.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .churn_heuristic import ChurnScores, far_gone, ranked_drivers
from .churn_ledger import DAYS_PER_MONTH, ChurnLedger
from .churn_training import MIN_CLASS_ROWS, short_lookback_days
from .policy import Policy

MAX_REPEAT_ROWS = 20_000  # the fit on a deterministic sample of at most this many accounts
REPEAT_FEATURES = ("recency_days", "purchase_dates", "tenure_days")


@dataclass(frozen=True)
class RepeatBuying:
    """The MBG/NBD model of repeat buying, its four parameters fit on the purchase dates of the
    accounts that bought in the window (see the module's docstring)."""

    r: float
    alpha: float
    a: float
    b: float

    @classmethod
    def fit(cls, raw: pd.DataFrame) -> RepeatBuying | None:
        """From the features of accounts that bought in the window (None if the fit fails)."""
        x, tx, big_t = _repeat_history(raw)
        if len(x) < 2 * MIN_CLASS_ROWS or not (x > 0).any():
            return None
        if len(x) > MAX_REPEAT_ROWS:  # four parameters: a deterministic sample is as good, and fast
            keep = np.sort(np.random.default_rng(0).choice(len(x), MAX_REPEAT_ROWS, replace=False))
            x, tx, big_t = x[keep], tx[keep], big_t[keep]
        from scipy.optimize import minimize  # not at module level: see churn_regression._fit

        start = np.log([1.0, max(float(np.mean(big_t)), 1.0) / 2, 1.0, 1.0])
        histories = (_Distinct.of(x), _Distinct.of(tx), _Distinct.of(big_t))
        result = minimize(
            lambda p: _negative_log_likelihood(p, *histories),
            start,
            method="L-BFGS-B",
            bounds=[(-7.0, 7.0), (-7.0, 10.0)] + [(-7.0, 7.0)] * 2,
        )
        if not np.isfinite(result.fun):
            return None
        r, alpha, a, b = (float(v) for v in np.exp(result.x))
        return cls(r, alpha, a, b)

    def no_purchase(self, raw: pd.DataFrame, days: float) -> np.ndarray:
        """Per account: the probability of no purchase in the next `days`."""
        x, tx, big_t = _repeat_history(raw)
        return self._no_purchase(x, tx, big_t, days)

    def _no_purchase(self, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray, days: float) -> np.ndarray:
        r, alpha = self.r + x, self.alpha
        gone = self.a / (self.b + x) * np.exp(r * (np.log(alpha + big_t) - np.log(alpha + tx)))
        stays_quiet = np.exp(r * (np.log(alpha + big_t) - np.log(alpha + big_t + days)))
        return 1.0 - (1.0 - stays_quiet) / (1.0 + gone)

    def contributions(self, raw: pd.DataFrame, days: float) -> np.ndarray:
        """Per account and REPEAT_FEATURES: the change in log-odds of no purchase from the average
        account's value of that feature (the median) to the account's own, the others kept."""
        x, tx, big_t = _repeat_history(raw)
        recency = big_t - tx
        base = _logit(self._no_purchase(x, tx, big_t, days))
        mx, mr, mt = (float(np.median(v)) for v in (x, recency, big_t))
        columns = []
        for name in REPEAT_FEATURES:
            if name == "recency_days":  # the last purchase at the median distance, tenure kept
                alt = self._no_purchase(x, np.clip(big_t - mr, 0, big_t), big_t, days)
            elif name == "purchase_dates":
                alt = self._no_purchase(np.full_like(x, mx), tx, big_t, days)
            else:  # tenure: the first purchase at the median distance, recency kept
                t = np.maximum(np.full_like(big_t, mt), recency)
                alt = self._no_purchase(x, t - recency, t, days)
            columns.append(base - _logit(alt))
        return np.column_stack(columns)

    def as_dict(self) -> dict[str, float]:
        return {
            "r": round(self.r, 6),
            "alpha": round(self.alpha, 6),
            "a": round(self.a, 6),
            "b": round(self.b, 6),
        }


@dataclass(frozen=True)
class _Distinct:
    """A column of histories as its distinct values and where each row's value is among them:
    counts and days repeat over thousands of accounts, so a function of the column is evaluated
    once per distinct value and spread back, the same figures as row by row."""

    column: np.ndarray
    values: np.ndarray
    inverse: np.ndarray

    @classmethod
    def of(cls, column: np.ndarray) -> _Distinct:
        values, inverse = np.unique(column, return_inverse=True)
        return cls(column, values, inverse)

    def spread(self, function: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        return function(self.values)[self.inverse]


def _negative_log_likelihood(p: np.ndarray, x: _Distinct, tx: _Distinct, big_t: _Distinct) -> float:
    """The mean negative log-likelihood of the histories at the log-parameters p (r, alpha, a, b)."""
    from scipy.special import betaln, gammaln  # not at module level: see churn_regression._fit

    r, alpha, a, b = np.exp(p)
    log_t = big_t.spread(lambda t: np.log(alpha + t))
    head = x.spread(lambda v: gammaln(r + v)) - gammaln(r) + r * np.log(alpha) - (r + x.column) * log_t
    head += x.spread(lambda v: betaln(a, b + v + 1)) - betaln(a, b)
    leave = (
        np.log(a)
        - x.spread(lambda v: np.log(b + v))
        + (r + x.column) * (log_t - tx.spread(lambda t: np.log(alpha + t)))
    )
    return float(-np.mean(head + np.logaddexp(leave, 0.0)))


def _repeat_history(raw: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(repeat purchases, days from the first to the last purchase, days from the first to the
    cut-off) over the window."""
    x = np.maximum(raw["purchase_dates"].to_numpy(dtype="float64") - 1, 0.0)
    big_t = raw["tenure_days"].to_numpy(dtype="float64")
    tx = np.clip(big_t - raw["recency_days"].to_numpy(dtype="float64"), 0.0, big_t)
    return x, tx, big_t


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    return np.log(p) - np.log1p(-p)


def repeat_scores(
    ledger: ChurnLedger, policy: Policy, as_of: dt.date, horizon: int, *, explain: bool = True
) -> ChurnScores | None:
    """The repeat-buying model fit on the whole past before as_of (at most MAX_LOOKBACK_DAYS) and
    each account's probability of no purchase in the next `horizon` months (None: no fit)."""
    first_day = ledger.first_day
    window = short_lookback_days(first_day, as_of) if first_day is not None else None
    if window is None:
        return None
    current = ledger.features(as_of, horizon, window)
    quiet = current["silent"].to_numpy() > 0
    model = RepeatBuying.fit(current[~quiet])
    if model is None:
        return None
    days = horizon * DAYS_PER_MONTH
    buying = current[~quiet]
    drivers = _repeat_drivers(model, buying, days) if explain else ["[]"] * len(buying)
    scores = pd.DataFrame(
        {"churn_score": np.round(model.no_purchase(buying, days), 4), "churn_drivers": drivers},
        index=buying.index,
    )
    scores = pd.concat([scores, far_gone(current[quiet], policy, scores)]).reindex(current.index)
    info = {
        "method": "repeat_buying",
        "horizon_months": horizon,
        "fit_horizon_months": horizon,
        "parameters": model.as_dict(),
        "lookback_days": window,
        "training_rows": int((~quiet).sum()),
        "silent_accounts": int(quiet.sum()),
    }
    return ChurnScores(scores, info)


def _repeat_drivers(model: RepeatBuying, buying: pd.DataFrame, days: float) -> list[str]:
    """The three features by |contribution| (see RepeatBuying.contributions), largest first."""
    values = buying[list(REPEAT_FEATURES)].to_numpy(dtype="float64")
    return ranked_drivers(REPEAT_FEATURES, values, model.contributions(buying, days), len(REPEAT_FEATURES))
