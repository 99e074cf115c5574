"""Churn risk score: the probability that an account buys nothing in the next
`churn_horizon_months`, learned from the ledger's own past; and the engine's one door to churn.

Which scorer ranks the accounts, as the ledger allows:
- the logistic regression fit for the run's horizon at earlier cut-offs whose outcome is known
  (churn_regression), unless the repeat-buying model (repeat_buying) gained more over recency at
  the latest of them (`_checked_against_repeat_buying`);
- a ledger too short for the run's horizon: the regression fit for a shorter horizon or the
  repeat-buying model, whichever ranked better than recency at an earlier month end (`_guard`);
- neither: the recency heuristic (churn_heuristic).
Accounts without a purchase date score 1. The pieces live in their own modules: the status rule
(churn_status), the ledger and its features (churn_ledger), the training calendar
(churn_training); the names the engine's callers use are importable from here too.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from .churn_heuristic import ChurnScores, heuristic_scores
from .churn_ledger import FEATURES, ChurnLedger
from .churn_regression import fit_and_score
from .churn_status import ACTIVE, AT_RISK, LOST, churn_status
from .churn_training import (
    CUTOFF_STEP_MONTHS,
    MAX_LOOKBACK_DAYS,
    MIN_SHORT_LOOKBACK_DAYS,
    SHORT_FIT_SHARE,
    TRAINING_CUTOFFS,
    churned_after,
    lookback_days,
    months_of_past,
    short_fit_horizons,
    short_lookback_days,
    training_cutoffs,
)
from .policy import Policy
from .repeat_buying import repeat_scores

__all__ = [
    "ACTIVE",
    "AT_RISK",
    "CUTOFF_STEP_MONTHS",
    "FEATURES",
    "LOST",
    "MAX_LOOKBACK_DAYS",
    "TRAINING_CUTOFFS",
    "ChurnLedger",
    "ChurnScores",
    "churn_scores",
    "churn_status",
    "training_cutoffs",
]

GUARD_SHARE = 2  # the guard's horizon: this share of the past before as_of (at most the run's)


def churn_scores(
    ledger: ChurnLedger, policy: Policy, as_of: dt.date, accounts: pd.Index | None = None
) -> ChurnScores:
    """Every account's churn risk as of as_of.

    The model is fit for the run's horizon at earlier cut-offs whose outcome is known. When the
    ledger is too short for that (the window before the latest such cut-off is under
    MIN_LOOKBACK_DAYS, or too few churned or retained examples), it is fit for the horizon the
    past allows (`short_fit_horizons`), and its order ranks the accounts for the run's horizon.
    Only when no horizon can be fit does the heuristic rank by recency alone. Accounts without a
    purchase date (in the ledger, or in `accounts` when given) score 1: nothing suggests they buy.
    """
    horizon = policy.churn_horizon_months
    first_day = ledger.first_day
    fitted = None
    # The fits' matrices are a few columns wide: BLAS threads would only add their start-up to
    # each of the optimisers' hundreds of small steps (ten times the step itself on 2 cores).
    with threadpool_limits(limits=1):
        if first_day is not None:
            window = lookback_days(first_day, training_cutoffs(as_of, horizon)[0])
            fitted = fit_and_score(ledger, policy, as_of, horizon, window) if window else None
            if fitted is None:
                fitted = _short_scores(ledger, policy, as_of)
            else:
                fitted = _checked_against_repeat_buying(ledger, policy, as_of, fitted)
    if fitted is None:
        fitted = heuristic_scores(
            ledger.features(as_of, horizon), policy, reason="too little history to fit the model"
        )
    return _with_undated(fitted, ledger, accounts)


def _checked_against_repeat_buying(
    ledger: ChurnLedger, policy: Policy, as_of: dt.date, fitted: ChurnScores
) -> ChurnScores:
    """The regression fit for the run's horizon, unless the repeat-buying model, fit on the past
    of the latest cut-off alone, gained more over recency on that cut-off's outcome than the
    regression did on the outcomes it was fit to (which flatters the regression: a tie keeps it)."""
    cutoff = dt.date.fromisoformat(fitted.model["cutoffs"][0])
    horizon = policy.churn_horizon_months
    repeat = repeat_scores(ledger, policy, cutoff, horizon, explain=False)
    if repeat is None:
        return fitted
    raw = ledger.features(cutoff, horizon, repeat.model["lookback_days"])
    raw = raw.loc[raw["silent"].to_numpy() == 0]
    y = churned_after(ledger, cutoff, horizon, raw.index)
    auc = _auc(y, repeat.scores["churn_score"].reindex(raw.index).to_numpy(dtype="float64"))
    recency = _auc(y, raw["recency_days"].to_numpy(dtype="float64"))
    if auc is None or recency is None:
        return fitted
    gains = {
        "logistic_regression": round(fitted.model["auc_training"] - fitted.model["auc_recency_training"], 4),
        "repeat_buying": round(auc - recency, 4),
    }
    guard = {"cutoff": cutoff.isoformat(), "horizon_months": horizon, "gain_over_recency": gains}
    if gains["repeat_buying"] <= gains["logistic_regression"]:
        fitted.model["guard"] = {**guard, "chose": "logistic_regression"}
        return fitted
    chosen = repeat_scores(ledger, policy, as_of, horizon)
    if chosen is None:
        return fitted
    chosen.model["guard"] = {**guard, "chose": "repeat_buying"}
    return chosen


def _short_scores(ledger: ChurnLedger, policy: Policy, as_of: dt.date) -> ChurnScores | None:
    """A ledger too short to fit the run's horizon: of the logistic regression fit for a shorter
    horizon and the repeat-buying model, the one that ranked better than recency when both were
    tried at an earlier cut-off (`_guard`); recency's ranking when neither did."""
    first_day = ledger.first_day
    if first_day is None:
        return None
    horizon = policy.churn_horizon_months
    guard = _guard(ledger, policy, first_day, as_of)
    choice = guard["chose"] if guard else "logistic_regression"  # untried: the fit, as before
    fitted = None
    if choice == "logistic_regression":
        fitted = _short_fit(ledger, policy, as_of, short_fit_horizons(first_day, as_of, horizon))
    elif choice == "repeat_buying":
        fitted = repeat_scores(ledger, policy, as_of, horizon)
    if fitted is None:
        reason = (
            "at an earlier cut-off neither model ranked better than the days since the last purchase"
            if choice == "recency"
            else "too little history to fit the model"
        )
        fitted = heuristic_scores(ledger.features(as_of, horizon), policy, reason=reason)
    if guard:
        fitted.model["guard"] = guard
    return fitted


def _short_fit(
    ledger: ChurnLedger, policy: Policy, as_of: dt.date, horizons: list[int]
) -> ChurnScores | None:
    """The logistic regression fit for the first of `horizons` that can be fit (None: none can)."""
    first_day = ledger.first_day
    if first_day is None:
        return None
    for fit_horizon in horizons:
        window = short_lookback_days(first_day, training_cutoffs(as_of, fit_horizon)[0])
        fitted = fit_and_score(ledger, policy, as_of, fit_horizon, window) if window else None
        if fitted is not None:
            return fitted
    return None


def _guard(ledger: ChurnLedger, policy: Policy, first_day: dt.date, as_of: dt.date) -> dict[str, Any] | None:
    """Both short-ledger methods tried as if the run were at an earlier month end, for the horizon
    from there to as_of (half the past, at most the run's), and ranked against recency on what
    happened after it. None when nothing can be tried there (too little past, or one class)."""
    horizon = max(1, min(policy.churn_horizon_months, months_of_past(first_day, as_of) // GUARD_SHARE))
    cutoff = training_cutoffs(as_of, horizon)[0]
    if (cutoff - first_day).days + 1 < MIN_SHORT_LOOKBACK_DAYS:
        return None
    earlier = replace(policy, churn_horizon_months=horizon)
    # The run's own horizon allowed at the cut-off (see short_fit_horizons).
    longest = min(horizon, max(1, months_of_past(first_day, cutoff) // SHORT_FIT_SHARE))
    candidates = {
        "logistic_regression": _short_fit(ledger, earlier, cutoff, list(range(longest, 0, -1))),
        "repeat_buying": repeat_scores(ledger, earlier, cutoff, horizon, explain=False),
    }
    raw = ledger.features(cutoff, horizon, short_lookback_days(first_day, cutoff))
    auc = _aucs_with_recency(churned_after(ledger, cutoff, horizon, raw.index), raw, candidates)
    if auc is None:
        return None
    best = max(auc, key=lambda name: (auc[name], name == "recency"))  # a tie: recency
    return {"cutoff": cutoff.isoformat(), "horizon_months": horizon, "auc": auc, "chose": best}


def _aucs_with_recency(
    y: np.ndarray, raw: pd.DataFrame, candidates: dict[str, ChurnScores | None]
) -> dict[str, float] | None:
    """The ROC AUC on the outcome y of recency and of each candidate that could score, to 4
    decimals; None when y holds one class."""
    recency = _auc(y, raw["recency_days"].to_numpy(dtype="float64"))
    if recency is None:
        return None
    auc: dict[str, float] = {"recency": round(recency, 4)}
    for name, fitted in candidates.items():
        value = (
            None
            if fitted is None
            else _auc(y, fitted.scores["churn_score"].reindex(raw.index).to_numpy(dtype="float64"))
        )
        if value is not None:
            auc[name] = round(value, 4)
    return auc


def _auc(y: np.ndarray, score: np.ndarray) -> float | None:
    """ROC AUC, or None when one class is missing."""
    from sklearn.metrics import roc_auc_score  # not at module level: see churn_regression._fit

    return float(roc_auc_score(y, score)) if 0 < int(y.sum()) < len(y) else None


def _with_undated(scores: ChurnScores, ledger: ChurnLedger, accounts: pd.Index | None) -> ChurnScores:
    """Accounts with no purchase date (returns only, say) score 1, the most likely to churn, with
    their lack of purchases as the one driver: those of the ledger, and any of `accounts` unscored."""
    missing = ledger.accounts[ledger.undated]
    if accounts is not None:
        missing = missing.union(pd.Index(accounts, dtype=object).astype(str))
    missing = missing.difference(scores.scores.index)
    if not len(missing):
        return scores
    driver = {"feature": "purchase_dates", "value": 0.0, "contribution": 0.0}
    extra = pd.DataFrame({"churn_score": 1.0, "churn_drivers": json.dumps([driver])}, index=missing)
    scores.scores = pd.concat([scores.scores, extra])
    scores.model["undated_accounts"] = len(missing)
    return scores
