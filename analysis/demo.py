"""Demo segmentation: the last completed month and the month before, so movement shows at once."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from common.calendar import last_day_of_previous_month
from sales.models import ImportBatch, SalesLine

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


def latest_demo_run() -> AnalysisRun | None:
    """The run the pages read: the latest complete one (the latest as-of, then the latest finished)."""
    return (
        AnalysisRun.objects.filter(status=AnalysisRun.Status.COMPLETE)
        .order_by("-as_of", "-finished_at", "-pk")
        .first()
    )


def refresh_demo_run(*, today: dt.date | None = None) -> str:
    """Once every app has loaded its demo: if a sale was imported after the latest run, or falls
    after its as-of date, analyse the last completed month again, so that the buying statuses (and
    the retention lists built on them) agree with every sale the demo recorded."""
    run = latest_demo_run()
    if run is None:
        return "Demo analysis: no run to bring up to date."
    last = last_day_of_previous_month(today or timezone.localdate())
    last_sale = SalesLine.objects.aggregate(last=Max("date"))["last"]
    imported = ImportBatch.objects.filter(status=ImportBatch.Status.DONE).aggregate(last=Max("finished_at"))[
        "last"
    ]
    stale = (last_sale is not None and last_sale > run.as_of and run.as_of < last) or (
        imported is not None and run.finished_at is not None and imported > run.finished_at
    )
    if not stale:
        return f"Demo analysis: the run as of {run.as_of} covers every demo sale."
    run = run_execute(run=run_create(by=None, as_of=max(run.as_of, last), trigger=AnalysisRun.Trigger.DEMO))
    return f"Demo analysis: analysed again as of {run.as_of}, after the last demo sale."
