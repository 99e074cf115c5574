"""ABC: which accounts carry the business (ARCHITECTURE.md, "ABC")."""

from __future__ import annotations

from decimal import Decimal

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
    cents = [int(v) for v in frame["value_cents"]]
    positive = [max(v, 0) for v in cents]
    total = sum(positive)
    fa, fb = exact(a), exact(b)
    classes, cum_shares = [], []
    before = 0
    for value, plus in zip(cents, positive, strict=True):
        if value <= 0 or total == 0:
            classes.append("C")
        elif before * fa.denominator < fa.numerator * total:
            classes.append("A")
        elif before * fb.denominator < fb.numerator * total:
            classes.append("B")
        else:
            classes.append("C")
        before += plus
        cum_shares.append(before / total if total else 0.0)
    frame["abc_class"] = classes
    frame["share"] = [v / total if total else 0.0 for v in cents]
    frame["cum_share"] = cum_shares
    frame["rank"] = range(1, len(frame) + 1)
    return frame.set_index("account")
