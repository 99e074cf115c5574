"""The analytics engine: pure pandas functions, no Django, no I/O.

Definitions follow ARCHITECTURE.md ("Definitions the analytics must follow") to the letter:
money in integer cents and class boundaries compared exactly, never in floating point.
"""

from common.calendar import month_floor, window_start

from .abc import classify_abc
from .churn import ChurnLedger, churn_scores, churn_status
from .concentration import concentration, pareto_points
from .policy import Policy
from .rfm import rfm
from .run import RunInputs, RunResult, analyse, history_months
from .xyz import classify_xyz

__all__ = [
    "ChurnLedger",
    "Policy",
    "RunInputs",
    "RunResult",
    "analyse",
    "churn_scores",
    "churn_status",
    "classify_abc",
    "classify_xyz",
    "concentration",
    "history_months",
    "month_floor",
    "pareto_points",
    "rfm",
    "window_start",
]
