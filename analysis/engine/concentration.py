"""How concentrated the sales are: key-account share, top shares, HHI, the Pareto curve."""

from __future__ import annotations

from typing import Any

import pandas as pd

# Key accounts' share of sales: 30-55 % is typical; above 75 % the supplier is mono-dependent.
TYPICAL_LOW, TYPICAL_HIGH, MONO_DEPENDENCY = 0.30, 0.55, 0.75


def band(share: float | None) -> str:
    """The key-account share's band: none (no key accounts), low, typical, high or mono_dependency."""
    if share is None:
        return "none"
    if share > MONO_DEPENDENCY:
        return "mono_dependency"
    if share > TYPICAL_HIGH:
        return "high"
    if share >= TYPICAL_LOW:
        return "typical"
    return "low"


def concentration(segments: pd.DataFrame, key: pd.Series) -> dict[str, Any]:
    """Shares of the positive total held by the key accounts, the top 1 and top 5, and the HHI.

    `segments` is classify_abc's result (rank order); `key` flags the key accounts by account. With
    no key account at all the key share is None (band "none"): nothing to alert on, and the top
    shares and the HHI still say how concentrated the sales are.
    """
    positive = segments["value_cents"].clip(lower=0)
    total = int(positive.sum())
    is_key = key.reindex(segments.index).fillna(False).astype(bool)
    shares = positive / total if total else positive * 0.0
    key_share = float(shares[is_key].sum()) if is_key.any() else None
    return {
        "total_cents": total,
        "key_accounts": int(is_key.sum()),
        "key_share": key_share,
        "band": band(key_share),
        "mono_dependency": key_share is not None and key_share > MONO_DEPENDENCY,
        "top1_share": float(shares.iloc[:1].sum()),
        "top5_share": float(shares.iloc[:5].sum()),
        # Herfindahl-Hirschman index on the 0-10,000 scale.
        "hhi": float((shares * 100).pow(2).sum()),
    }


def pareto_points(segments: pd.DataFrame, points: int = 101) -> list[tuple[float, float]]:
    """(share of accounts, cumulative share of value) along the ranking, at most `points` points."""
    n = len(segments)
    if n == 0:
        return [(0.0, 0.0)]
    cum = segments["cum_share"].tolist()
    step = max(n // (points - 1), 1)
    picks = sorted({*range(step - 1, n, step), n - 1})
    return [(0.0, 0.0)] + [((i + 1) / n, float(cum[i])) for i in picks]
