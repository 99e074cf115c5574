"""Demo segmentation: the last completed month and the month before, so movement shows at once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from common.calendar import last_day_of_previous_month

from .models import AnalysisRun
from .services import run_create, run_execute


def load_demo_runs(*, today: dt.date | None = None) -> str:
    if AnalysisRun.objects.filter(
        trigger=AnalysisRun.Trigger.DEMO, status=AnalysisRun.Status.COMPLETE
    ).exists():
        return "Demo analysis: runs already there."
    last = last_day_of_previous_month(today or timezone.localdate())
    before = last_day_of_previous_month(last)
    runs = [
        run_execute(run=run_create(by=None, as_of=day, trigger=AnalysisRun.Trigger.DEMO))
        for day in (before, last)
    ]
    return (
        "Demo analysis: runs as of "
        + " and ".join(f"{r.as_of} ({r.account_count} accounts)" for r in runs)
        + "."
    )
