"""ABC: which accounts carry the business (ARCHITECTURE.md, "ABC")."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd

from .policy import exact


def classify_abc(values: pd.Series, a: Decimal, b: Decimal) -> pd.DataFrame:
    """Classify accounts by their value in integer cents.

    `values` is indexed by account external id. Accounts are ranked by value descending, ties by
    external id ascending. With P the sum of positive values, an account is A while the positive
    value ranked before it is < a·P, B while < b·P, else C; a value <= 0 is always C. Comparisons
    are exact (integers and fractions). Returns one row per account in rank order with
    value_cents, abc_class, share, cum_share and rank.
    """
    frame = pd.DataFrame({"account": values.index.astype(str), "value_cents": values.to_numpy(dtype="int64")})
    frame = frame.sort_values(["value_cents", "account"], ascending=[False, True], kind="mergesort")
    fa, fb = exact(a), exact(b)
    cents = frame["value_cents"].to_numpy(dtype="int64")
    total = sum(np.maximum(cents, 0).tolist())
    # Whole numbers in int64 while every product and quotient below stays exact there (well below
    # 2**53), else as Python integers: the same classes and shares either way.
    largest = max(total, int(np.abs(cents).max(initial=0)), 1)
    bound = largest * max(fa.numerator, fa.denominator, fb.numerator, fb.denominator)
    cents = cents if bound < 2**53 else cents.astype(object)
    positive = np.maximum(cents, 0)
    through = np.cumsum(positive)  # the positive value ranked up to each account, itself included
    before = through - positive
    below_a, below_b = (
        before * fa.denominator < fa.numerator * total,
        before * fb.denominator < fb.numerator * total,
    )
    counted = (cents > 0) & (total > 0)
    frame["abc_class"] = np.where(counted & below_a, "A", np.where(counted & below_b, "B", "C"))
    frame["share"] = (cents / total).astype("float64") if total else 0.0
    frame["cum_share"] = (through / total).astype("float64") if total else 0.0
    frame["rank"] = range(1, len(frame) + 1)
    return frame.set_index("account")
