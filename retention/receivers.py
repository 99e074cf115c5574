"""What retention does when a segmentation run completes or sales lines arrive (inside their
transactions)."""

from typing import Any

from analysis.models import AnalysisRun

from . import services


def record_transitions(sender: Any, run: AnalysisRun, **kwargs: Any) -> None:
    services.transitions_record(run=run)
    services.buying_statuses_sync(run=run)


def update_buying_statuses(sender: Any, account_ids: list[int], **kwargs: Any) -> None:
    services.buying_statuses_after_purchases(account_ids=account_ids)
