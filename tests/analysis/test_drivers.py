"""The churn drivers' JSON text, written in numpy, says what json.dumps of the drivers rounded by
Python would say."""

from __future__ import annotations

import json

import numpy as np

from analysis.engine.churn_heuristic import ranked_drivers, rounded_array

FEATURES = ("recency_days", "purchase_dates", "value_12m")


def _by_python(values: np.ndarray, contributions: np.ndarray, top: int) -> list[list[dict]]:
    rows = []
    for value_row, share_row in zip(values.tolist(), contributions.tolist(), strict=True):
        order = sorted(range(len(FEATURES)), key=lambda i: -abs(share_row[i]))[:top]
        rows.append(
            [
                {
                    "feature": FEATURES[i],
                    "value": round(value_row[i], 2),
                    "contribution": round(share_row[i], 4),
                }
                for i, share in ((i, share_row[i]) for i in order)
            ]
        )
    return rows


def test_the_text_holds_the_drivers_python_would_round_and_rank():
    rng = np.random.default_rng(3)
    values = np.concatenate(
        [
            rng.normal(0, 1000, (500, 3)),
            np.round(rng.random((500, 3)) * 100, 3),  # ties at the third decimal: x.xx5
            np.array([[0.0, -0.004, 123456789012.345], [2.675, -2.675, 0.125], [1e-9, -1e-9, 31.0]]),
        ]
    )
    contributions = np.concatenate([rng.normal(0, 2, (1000, 3)), np.array([[0.5, -0.5, 0.25]] * 3)])
    texts = ranked_drivers(FEATURES, values, contributions, 2)
    assert [json.loads(text) for text in texts] == _by_python(values, contributions, 2)
    assert texts[0].startswith('[{"feature": "') and texts[0].endswith("}]")


def test_a_value_that_is_not_a_number_is_null_and_one_driver_reads_as_a_list():
    texts = ranked_drivers(("recency_days",), np.array([[np.nan], [np.inf], [41.0]]), np.ones((3, 1)), 1)
    assert [json.loads(text) for text in texts] == [
        [{"feature": "recency_days", "value": None, "contribution": 1.0}],
        [{"feature": "recency_days", "value": None, "contribution": 1.0}],
        [{"feature": "recency_days", "value": 41.0, "contribution": 1.0}],
    ]
    assert ranked_drivers(("recency_days",), np.zeros((0, 1)), np.zeros((0, 1)), 1) == []


def test_rounding_in_numpy_is_pythons_rounding():
    values = np.concatenate(
        [np.round(np.random.default_rng(5).random(20_000) * 1000, 3), [np.nan, -0.0, 2.675]]
    )
    for places in (2, 4):
        ours = rounded_array(values, places).tolist()
        python = [round(value, places) for value in values.tolist()]
        assert all(a == b or (a != a and b != b) for a, b in zip(ours, python, strict=True))
