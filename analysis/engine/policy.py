"""The parameters of a segmentation run."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from fractions import Fraction
from typing import Any

BASES = ("revenue", "margin")
XYZ_METHODS = ("cv", "frequency")
# Which accounts the concentration counts as key accounts. "flagged": those with a key-client type or
# marked strategic (the accounts a company runs as key accounts); "abc_a" is ~80 % by construction.
KEY_ACCOUNT_RULES = ("flagged", "abc_a", "both")


@dataclass(frozen=True)
class Policy:
    """Every parameter of a run with its default: the one place the defaults are stated (the
    policy model, the forms and the API take them from here)."""

    basis: str = "revenue"  # or "margin"
    window_months: int = 12
    abc_a: Decimal = Decimal("0.80")
    abc_b: Decimal = Decimal("0.95")
    xyz_method: str = "cv"  # or "frequency"
    xyz_x: Decimal = Decimal("0.10")  # cv: X if CV <= x; frequency: X if share >= x
    xyz_y: Decimal = Decimal("0.25")  # cv: Y if CV <= y; frequency: Y if share >= y
    min_months: int = 3  # fewer months of history in the window: "new"
    key_accounts: str = "flagged"  # one of KEY_ACCOUNT_RULES
    # Churn status (ARCHITECTURE.md): with >= 2 purchase dates, lost when days since the last one
    # > max(lost multiplier x median interval, lost_min_days), else at risk on the same rule with the
    # at-risk values; with one purchase date, after single_lost_days / single_at_risk_days.
    lost_interval_multiplier: Decimal = Decimal("3")
    lost_min_days: int = 90
    at_risk_interval_multiplier: Decimal = Decimal("1.5")
    at_risk_min_days: int = 45
    single_lost_days: int = 180
    single_at_risk_days: int = 45
    churn_horizon_months: int = 6  # the churn risk score: P(no purchase in the next N months)

    def __post_init__(self) -> None:
        errors = []
        if self.basis not in BASES:
            errors.append("basis must be revenue or margin")
        if self.window_months < 1:
            errors.append("window_months must be at least 1")
        if not Decimal(0) < Decimal(self.abc_a) < Decimal(self.abc_b) <= Decimal(1):
            errors.append("ABC thresholds need 0 < A < B <= 1")
        if self.xyz_method not in XYZ_METHODS:
            errors.append("xyz_method must be cv or frequency")
        x, y = Decimal(self.xyz_x), Decimal(self.xyz_y)
        if self.xyz_method == "cv" and not Decimal(0) <= x < y:
            errors.append("CV thresholds need 0 <= X < Y")
        if self.xyz_method == "frequency" and not Decimal(0) <= y < x <= Decimal(1):
            errors.append("frequency thresholds need 0 <= Y < X <= 1")
        if self.min_months < 1:
            errors.append("min_months must be at least 1")
        if self.key_accounts not in KEY_ACCOUNT_RULES:
            errors.append(f"key_accounts must be one of {', '.join(KEY_ACCOUNT_RULES)}")
        errors += self._churn_errors()
        if errors:
            raise ValueError("; ".join(errors))

    def _churn_errors(self) -> list[str]:
        errors = []
        at_risk, lost = Decimal(self.at_risk_interval_multiplier), Decimal(self.lost_interval_multiplier)
        if not Decimal(0) < at_risk <= lost:
            errors.append("interval multipliers need 0 < at risk <= lost")
        if not 0 <= self.at_risk_min_days <= self.lost_min_days:
            errors.append("minimum days need 0 <= at risk <= lost")
        if not 0 <= self.single_at_risk_days <= self.single_lost_days:
            errors.append("single-purchase days need 0 <= at risk <= lost")
        if not 1 <= self.churn_horizon_months <= 24:
            errors.append("churn_horizon_months must be between 1 and 24")
        return errors

    @classmethod
    def for_method(cls, method: str, **values: Any) -> Policy:
        """Defaults of the given XYZ method (frequency: X >= 0.75, Y >= 0.33)."""
        if method == "frequency":
            values.setdefault("xyz_x", Decimal("0.75"))
            values.setdefault("xyz_y", Decimal("0.33"))
        return cls(xyz_method=method, **values)

    def as_dict(self) -> dict[str, Any]:
        # Normalised, so that 0.80 and 0.8000 (as stored) are the same policy.
        return {
            k: format(v.normalize(), "f") if isinstance(v, Decimal) else v for k, v in asdict(self).items()
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Policy:
        """A policy from stored or submitted values (text, numbers or Decimals); missing ones default."""
        defaults = cls()
        values: dict[str, Any] = {}
        for spec in fields(cls):
            default = getattr(defaults, spec.name)
            raw = data.get(spec.name, default)
            kind = type(default)
            values[spec.name] = Decimal(str(raw)) if kind is Decimal else kind(raw)
        return cls(**values)


def exact(value: Decimal | str | float) -> Fraction:
    """A threshold as an exact fraction ("0.8" is 4/5, not 0.8000000000000000444)."""
    return Fraction(Decimal(str(value)))
