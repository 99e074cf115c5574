"""What every churn scorer returns (`ChurnScores`) and the recency heuristic: the score when no
model can be fit, the recency half of a short ledger's blended score, and the order of the
accounts silent for the whole look-back window (`far_gone`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.dtypes import StringDType

from .policy import Policy


@dataclass
class ChurnScores:
    # index account: churn_score (0..1, 4 decimals), churn_drivers (the JSON text of a list of
    # {feature, value, contribution}: see ranked_drivers)
    scores: pd.DataFrame
    model: dict[str, Any]  # how the score was made, for the run's record


def ranked_drivers(
    features: Sequence[str], values: np.ndarray, contributions: np.ndarray, top: int
) -> list[str]:
    """Per account (a row of `values` and `contributions`, a column per feature): the `top`
    features by |contribution|, largest first, each with its value (2 decimals) and contribution
    (4 decimals, log-odds), as the JSON text the segment stores, e.g.
    `[{"feature": "recency_days", "value": 41.0, "contribution": 1.2034}]`.

    Written in numpy, a column of texts at a time: a run explains 100,000 accounts, and a dict per
    driver then a json.dumps per account took a tenth of the run."""
    order = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :top]
    rows = np.arange(len(order))[:, None]
    heads = np.array(
        [f'{{"feature": {json.dumps(name)}, "value": ' for name in features], dtype=StringDType()
    )
    value = _number_texts(values[rows, order], 2)
    share = _number_texts(contributions[rows, order], 4)
    pieces = heads[order] + value + ', "contribution": ' + share
    text = np.full(len(order), "[", dtype=StringDType())
    for column in range(order.shape[1]):
        text = text + (", " if column else "") + pieces[:, column] + "}"
    return (text + "]").tolist()


def _number_texts(values: np.ndarray, places: int) -> np.ndarray:
    """Each value rounded to `places` decimals (as Python's round) as a JSON number: the digits of
    the rounded decimal, trailing zeros of the fraction dropped but one ("41.0"); null when not
    finite; very large values in Python's own notation."""
    scale = 10**places
    exact = rounded_array(values, places)
    plain = np.isfinite(exact) & (np.abs(exact) < LARGEST_PLAIN)
    scaled = np.rint(np.where(plain, exact, 0.0) * scale).astype("int64")
    units, fraction = np.divmod(np.abs(scaled), scale)
    text = units.astype(StringDType()) + _fractions(places)[fraction]
    negative = scaled < 0
    text[negative] = "-" + text[negative]
    if not plain.all():
        text[~plain] = [_other_number(value) for value in exact[~plain].tolist()]
    return text


LARGEST_PLAIN = 1e15  # below it a rounded value times 10**4 is an exact integer


@functools.cache
def _fractions(places: int) -> np.ndarray:
    """The text of every fraction of `places` decimals, by its digits as a number: ".0", ".01", ".1" …"""
    return np.array(
        ["." + (f"{n:0{places}d}".rstrip("0") or "0") for n in range(10**places)], dtype=StringDType()
    )


def _other_number(value: float) -> str:
    return "null" if not np.isfinite(value) else repr(value)


def rounded_array(values: np.ndarray, places: int) -> np.ndarray:
    """Python's round(value, places) of each value, in numpy: scaled rounding gives the same
    double except within a hair of a tie (x.xx5), where the scaling's own error may tip it, so
    those few values are rounded by Python."""
    values = np.asarray(values, dtype="float64")
    result = np.round(values, places)
    with np.errstate(invalid="ignore"):
        scaled = np.abs(values * 10.0**places)
        near_tie = ~(np.abs(scaled - np.floor(scaled) - 0.5) > TIE_MARGIN)  # NaN and inf included
    if near_tie.any():
        result[near_tie] = [round(value, places) for value in values[near_tie].tolist()]
    return result


TIE_MARGIN = 1e-6  # far above the scaling's error (a few units in the last place of the scaled value)


def recency_logit(days: np.ndarray, policy: Policy) -> np.ndarray:
    """The heuristic's log-odds (see heuristic_scores), a purchase today counted as a day ago."""
    m = float(policy.lost_interval_multiplier)
    return 2 * np.log(np.maximum(days, 1.0) * m / policy.lost_min_days / m)


def heuristic_scores(current: pd.DataFrame, policy: Policy, *, reason: str) -> ChurnScores:
    """Without a model: r = days since the last purchase ÷ (lost_min_days ÷ L), score = r² / (r² + L²)
    with L the lost multiplier, so 0.5 exactly at lost_min_days (90) and rising past it.

    It ranks by the days since the last purchase alone. With too little history to learn from,
    that is what ranks best: on generated ledgers of 12 to 18 months, dividing by each account's
    own interval (as the status does) ranked no better, mostly worse (by up to 0.013 of AUC).
    """
    m = float(policy.lost_interval_multiplier)
    gap = policy.lost_min_days / m
    r = current["recency_days"].to_numpy(dtype="float64") / gap
    score = r * r / (r * r + m * m)
    logit = 2 * np.log(np.maximum(r, 1e-9) / m)  # of the score: log(r² / L²)
    days = current["recency_days"].to_numpy(dtype="float64")
    drivers = ranked_drivers(("recency_days",), days[:, None], logit[:, None], 1)
    scores = pd.DataFrame({"churn_score": np.round(score, 4), "churn_drivers": drivers}, index=current.index)
    info = {"method": "heuristic", "reason": reason, "horizon_months": policy.churn_horizon_months}
    return ChurnScores(scores, info)


def far_gone(silent: pd.DataFrame, policy: Policy, others: pd.DataFrame) -> pd.DataFrame:
    """Accounts silent for the whole window, above every account that bought in it (none of them
    is as far gone), in the order of the days since their last purchase."""
    by_last_purchase = silent.assign(recency_days=silent["recency_all_days"])
    scores = heuristic_scores(by_last_purchase, policy, reason="").scores
    top = float(others["churn_score"].max()) if len(others) else 0.0
    scores["churn_score"] = np.round(top + (1 - top) * scores["churn_score"].astype(float), 4)
    return scores
