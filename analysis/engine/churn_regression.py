"""The churn risk score's logistic regression: fit at earlier cut-offs whose outcome is known,
every account scored as of the run's date.

Features are log-transformed and standardised; a linear model keeps each account's explanation
exact: a driver's contribution is its coefficient x its standardised value, in log-odds, against
the average account. Accounts silent for the whole look-back window get a one-feature model of
their own, on the days since their last purchase ever.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .churn_heuristic import ChurnScores, far_gone, ranked_drivers, recency_logit
from .churn_ledger import FEATURES, ChurnLedger
from .churn_training import MIN_CLASS_ROWS, churned_after, training_cutoffs
from .policy import Policy

if TYPE_CHECKING:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

LOGGED = {"recency_days", "purchase_dates", "tenure_days", "median_interval_days", "recency_ratio",
          "purchases_90d", "purchases_180d", "mean_interval_days", "recency_mean_ratio",
          "expected_purchases"}  # fmt: skip
# A fit for a shorter horizon than the run's ranks too much on that shorter horizon (a slow but
# steady buyer's quiet month): half of the score's log-odds are recency's instead. Measured on
# key-account ledgers of 12 months the fit alone ranked 0.005-0.007 below recency, the blend
# 0.001-0.003 above it; at 9 months it keeps most of the fit's gain (+0.013 to +0.018).
RECENCY_BLEND = 0.5
REGULARIZATION = 1.0  # inverse strength (scikit-learn C)
MAX_TRAINING_ROWS = 500_000  # a deterministic sample above this keeps the fit to seconds
DRIVERS = 3


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


def fit_and_score(
    ledger: ChurnLedger, policy: Policy, as_of: dt.date, fit_horizon: int, window: int
) -> ChurnScores | None:
    """The model fit for `fit_horizon` at the cut-offs with `window` days of past, and every account
    scored as of as_of; None when the cut-offs hold too few churned or retained examples."""
    train, y, used = _training_set(ledger, as_of, fit_horizon, window)
    quiet = train["silent"].to_numpy() > 0
    if min(int(y[~quiet].sum()), int((~y[~quiet]).sum())) < MIN_CLASS_ROWS:
        return None
    current = ledger.features(as_of, fit_horizon, window)
    now_quiet = current["silent"].to_numpy() > 0
    # Fit for a shorter horizon than the run's: half of the score's log-odds is recency's (see
    # RECENCY_BLEND), the other half the fit's.
    blend = policy if fit_horizon < policy.churn_horizon_months else None
    scores = _fitted_scores(train[~quiet], y[~quiet], current[~now_quiet], used, fit_horizon, blend)
    silent = _silent_scores(train[quiet], y[quiet], current[now_quiet])
    if silent is None:  # nobody was that silent at the cut-offs
        silent = far_gone(current[now_quiet], policy, scores.scores)
    scores.scores = pd.concat([scores.scores, silent]).reindex(current.index)
    horizon = policy.churn_horizon_months
    scores.model["horizon_months"] = horizon
    scores.model["fit_horizon_months"] = fit_horizon
    if fit_horizon < horizon:
        scores.model["note"] = (
            f"the {horizon}-month outcome is known at no earlier cut-off with enough past: fit for "
            f"{fit_horizon} month(s), whose probability of no purchase ranks the accounts"
        )
    scores.model["lookback_days"] = window
    scores.model["silent_accounts"] = int(now_quiet.sum())
    return scores


def _training_set(
    ledger: ChurnLedger, as_of: dt.date, fit_horizon: int, window: int
) -> tuple[pd.DataFrame, np.ndarray, list[dt.date]]:
    """(the features at every training cut-off with `window` days of past before it, whether each
    account bought nothing in the `fit_horizon` months after, the cut-offs used)."""
    first_day = ledger.first_day
    rows, labels, used = [], [], []
    for cutoff in training_cutoffs(as_of, fit_horizon):
        if first_day is None or (cutoff - first_day).days + 1 < window:
            continue  # a shorter past than the window: its features would not compare
        raw = ledger.features(cutoff, fit_horizon, window)
        if raw.empty:
            continue
        rows.append(raw)
        labels.append(churned_after(ledger, cutoff, fit_horizon, raw.index))
        used.append(cutoff)
    train = pd.concat(rows) if rows else pd.DataFrame({"silent": []})
    y = np.concatenate(labels) if labels else np.zeros(0, dtype=bool)
    return train, y, used


MODEL_LIBRARIES = (
    "sklearn.linear_model", "sklearn.preprocessing", "sklearn.metrics", "scipy.optimize", "scipy.special",
)  # fmt: skip


def load_model_libraries() -> None:
    """Import what the churn model's fits use (scikit-learn, SciPy: ~1 s). The analysis queue's
    worker does it once at start (kam.celery), before its pool forks, so that no run pays for it;
    nothing else loads them before a run fits (tests/test_worker_footprint.py)."""
    for name in MODEL_LIBRARIES:
        importlib.import_module(name)


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[StandardScaler, LogisticRegression]:
    """A standardiser and a logistic regression fit on (x, y).

    scikit-learn is imported here, where the nightly run fits: imported with the module it added
    ~90 MB to every web and import worker, which never fit a model."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=REGULARIZATION, max_iter=1000, random_state=0).fit(scaler.transform(x), y)
    return scaler, model


def _silent_scores(raw: pd.DataFrame, y: np.ndarray, current: pd.DataFrame) -> pd.DataFrame | None:
    """Accounts that bought nothing in the whole window: a one-feature model on the days since their
    last purchase ever, fit on the accounts that were as silent at the cut-offs (None: too few)."""
    if current.empty:
        return current.iloc[:, :0].assign(churn_score=[], churn_drivers=[])
    if min(int(y.sum()), int((~y).sum())) < MIN_CLASS_ROWS:
        return None
    x = np.log1p(raw[["recency_all_days"]].to_numpy(dtype="float64"))
    scaler, model = _fit(x, y)
    days = current["recency_all_days"].to_numpy(dtype="float64")
    z = scaler.transform(np.log1p(days[:, None]))
    contribution = z[:, 0] * model.coef_[0][0]
    drivers = ranked_drivers(("recency_days",), days[:, None], contribution[:, None], 1)
    probability = model.predict_proba(z)[:, 1]
    return pd.DataFrame(
        {"churn_score": np.round(probability, 4), "churn_drivers": drivers}, index=current.index
    )


def _fitted_scores(
    raw: pd.DataFrame,
    y: np.ndarray,
    current: pd.DataFrame,
    cutoffs: list[dt.date],
    horizon: int,
    blend: Policy | None = None,
) -> ChurnScores:
    """The regression fit on the cut-offs' rows (raw, y) and every account of `current` scored with
    its drivers; with `blend`, part of the log-odds are recency's (RECENCY_BLEND)."""
    x = model_matrix(raw)
    if len(y) > MAX_TRAINING_ROWS:
        keep = np.sort(np.random.default_rng(0).choice(len(y), MAX_TRAINING_ROWS, replace=False))
        x, y, raw = x[keep], y[keep], raw.iloc[keep]
    scaler, model = _fit(x, y)
    z = scaler.transform(model_matrix(current))
    contributions = z * model.coef_[0]
    logit = model.decision_function(z)
    if blend is not None:
        logit, contributions = _blended_with_recency(logit, contributions, current, blend)
    probability = 1.0 / (1.0 + np.exp(-logit))
    scores = pd.DataFrame(
        {
            "churn_score": np.round(probability, 4),
            "churn_drivers": ranked_drivers(
                FEATURES, current[list(FEATURES)].to_numpy(dtype="float64"), contributions, DRIVERS
            ),
        },
        index=current.index,
    )
    info = _fit_record(model, scaler, x, y, raw["recency_days"], cutoffs, horizon, blended=blend is not None)
    return ChurnScores(scores, info)


def _fit_record(
    model: LogisticRegression,
    scaler: StandardScaler,
    x: np.ndarray,
    y: np.ndarray,
    recency_days: pd.Series,
    cutoffs: list[dt.date],
    horizon: int,
    *,
    blended: bool,
) -> dict[str, Any]:
    """How the regression was fit, for the run's record: cut-offs, rows, its AUC and recency's on
    the rows it was fit to, and the coefficients, means and scales that explain every score."""
    from sklearn.metrics import roc_auc_score  # see _fit

    fitted = model.predict_proba(scaler.transform(x))[:, 1]
    return {
        "method": "logistic_regression",
        "horizon_months": horizon,
        "cutoffs": [c.isoformat() for c in cutoffs],
        "training_rows": len(y),
        "training_churned": int(y.sum()),
        "auc_training": round(float(roc_auc_score(y, fitted)), 4),
        "auc_recency_training": round(float(roc_auc_score(y, recency_days)), 4),
        "intercept": round(float(model.intercept_[0]), 6),
        "coefficients": {f: round(float(c), 6) for f, c in zip(FEATURES, model.coef_[0], strict=True)},
        "means": {f: round(float(m), 6) for f, m in zip(FEATURES, scaler.mean_, strict=True)},
        "recency_blend": RECENCY_BLEND if blended else 0.0,
        "scales": {f: round(float(s), 6) for f, s in zip(FEATURES, scaler.scale_, strict=True)},
    }


def _blended_with_recency(
    logit: np.ndarray, contributions: np.ndarray, current: pd.DataFrame, policy: Policy
) -> tuple[np.ndarray, np.ndarray]:
    """Log-odds and contributions: RECENCY_BLEND x recency's (the heuristic's), the rest the fit's."""
    recency = RECENCY_BLEND * recency_logit(current["recency_days"].to_numpy(dtype="float64"), policy)
    logit = (1 - RECENCY_BLEND) * logit + recency
    contributions = (1 - RECENCY_BLEND) * contributions
    contributions[:, FEATURES.index("recency_days")] += recency
    return logit, contributions
