"""What retention does when a segmentation run completes (inside the run's transaction)."""

from typing import Any

from analysis.models import AnalysisRun

from . import services


def record_transitions(sender: Any, run: AnalysisRun, **kwargs: Any) -> None:
    services.transitions_record(run=run)
