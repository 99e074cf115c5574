"""One segmentation run: ABC, XYZ, RFM and concentration over the same accounts and window."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from common.calendar import window_start

from .abc import classify_abc
from .churn import CUTOFF_STEP_MONTHS, TRAINING_CUTOFFS, ChurnLedger, churn_scores, churn_status
from .concentration import concentration, pareto_points
from .policy import Policy
from .rfm import rfm
from .xyz import classify_xyz

SEGMENT_COLUMNS = [
    "rank", "abc_class", "xyz_class", "value_cents", "share", "cum_share", "cv", "months", "mean_cents",
    "std_cents", "months_with_purchase", "orders", "purchase_dates", "months_active", "first_purchase",
    "last_purchase", "days_since_last_purchase", "median_interval_days", "churn_status", "churn_score",
    "churn_drivers",
]  # fmt: skip


@dataclass
class RunInputs:
    """What the run reads, already cut at as_of.

    monthly: account, month (first day), value_cents — the window's lines by month, in the basis.
    purchase_dates: account, date — every distinct date with a line, up to as_of.
    key_flags: accounts flagged as key by hand (index account, bool), for the key-account share.
    monthly_history: account, month, value_cents — like `monthly` but reaching back far enough for
        the churn model's earlier cut-offs (see `history_months`); empty: `monthly` stands in.
    """

    monthly: pd.DataFrame
    purchase_dates: pd.DataFrame
    key_flags: pd.Series = field(default_factory=lambda: pd.Series(dtype=bool))
    monthly_history: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame({"account": [], "month": [], "value_cents": []})
    )


@dataclass
class RunResult:
    segments: pd.DataFrame  # one row per account in rank order, SEGMENT_COLUMNS
    concentration: dict[str, Any]
    pareto: list[tuple[float, float]]
    window_first: dt.date
    churn_model: dict[str, Any] = field(default_factory=dict)

    def result_hash(self) -> str:
        """Identical for identical classes and figures: the idempotency check of the nightly run."""
        columns = ["abc_class", "xyz_class", "value_cents", "months", "orders", "last_purchase",
                   "churn_status", "churn_score"]  # fmt: skip
        frame = self.segments[columns].astype(str)
        lines = pd.Series(frame.index.astype(str), index=frame.index, dtype=object)
        for column in columns:  # column by column, vectorised: the same text as joining each row
            lines = lines + "|" + frame[column]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def analyse(inputs: RunInputs, policy: Policy, as_of: dt.date) -> RunResult:
    first = window_start(as_of, policy.window_months)
    cut = pd.Timestamp(as_of)  # dates may come as datetime.date or as datetime64
    dates = inputs.purchase_dates.loc[pd.to_datetime(inputs.purchase_dates["date"]) <= cut]
    monthly = inputs.monthly.loc[pd.to_datetime(inputs.monthly["month"]) <= cut]
    recency = rfm(dates, as_of=as_of, window_first=first)
    accounts = recency.index  # every account with a line dated <= as_of
    values = monthly.groupby("account")["value_cents"].sum().reindex(accounts).fillna(0).astype("int64")
    abc = classify_abc(values, policy.abc_a, policy.abc_b)
    xyz = classify_xyz(
        monthly,
        recency["first_purchase"],
        as_of=as_of,
        window_first=first,
        method=policy.xyz_method,
        x=policy.xyz_x,
        y=policy.xyz_y,
        min_months=policy.min_months,
    )
    history = inputs.monthly_history if len(inputs.monthly_history) else inputs.monthly
    history = history.loc[pd.to_datetime(history["month"]) <= cut]
    churn = churn_scores(ChurnLedger.build(dates, history), policy, as_of)
    recency["churn_status"] = churn_status(recency, policy)
    recency = recency.join(churn.scores)
    segments = abc.join(xyz).join(recency)[SEGMENT_COLUMNS]
    flagged = inputs.key_flags.reindex(segments.index).fillna(False).astype(bool)
    class_a = segments["abc_class"] == "A"
    key = {"abc_a": class_a, "flagged": flagged, "both": class_a | flagged}[policy.key_accounts]
    return RunResult(segments, concentration(segments, key), pareto_points(segments), first, churn.model)


def history_months(policy: Policy) -> int:
    """Calendar months of monthly values the churn model reads before as_of: its earliest cut-off
    (horizon + 9 months back) and the 12 months of value before it."""
    return policy.churn_horizon_months + CUTOFF_STEP_MONTHS * (TRAINING_CUTOFFS - 1) + 12 + 1
