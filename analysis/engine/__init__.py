"""The analytics engine: pure pandas functions, no Django, no I/O.

Definitions follow ARCHITECTURE.md ("Definitions the analytics must follow") to the letter:
money in integer cents and class boundaries compared exactly, never in floating point.
"""

from .abc import classify_abc
from .calendar import month_floor, window_start
from .concentration import concentration, pareto_points
from .policy import Policy
from .rfm import rfm
from .run import RunInputs, RunResult, analyse
from .xyz import classify_xyz

__all__ = [
    "Policy",
    "RunInputs",
    "RunResult",
    "analyse",
    "classify_abc",
    "classify_xyz",
    "concentration",
    "month_floor",
    "pareto_points",
    "rfm",
    "window_start",
]
