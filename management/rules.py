"""The management rules and their defaults: the one place they are stated (the policy model, its
form, the selectors and the docs take them from here)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ManagementRules:
    kam_load_target: int = 9  # key accounts a KAM can run well (DOMAIN.md: "~9 key accounts")
    neglect_days: int = 45  # an account nobody has contacted for longer is drifting away ("forgotten")
    strategic_share_cap: Decimal = Decimal("20.00")  # % of customers that may be strategic
    # Days a complaint case may stay unresolved, by severity, before it is past its SLA.
    sla_days_critical: int = 2
    sla_days_high: int = 5
    sla_days_medium: int = 10
    sla_days_low: int = 20
    # Months the personal-data access log is kept; older rows are purged every night.
    access_log_retention_months: int = 24


DEFAULTS = ManagementRules()
