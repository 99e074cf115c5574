"""Where kam's events come from: the signals of the apps, turned into webhook events."""

from collections.abc import Callable
from typing import Any

from accounts import signals as account_signals
from accounts.models import Account
from analysis.models import AccountSegment, AnalysisRun
from analysis.signals import run_completed
from dossiers import signals as dossier_signals
from proposals import signals as proposal_signals
from retention.services import previous_run
from sales import signals as sales_signals
from sales.models import ImportBatch

from .events import emit, emit_many, wanted


def account_created(sender: Any, account: Account, **kwargs: Any) -> None:
    emit("account.created", object_id=account.pk, account_id=account.pk)


def account_updated(sender: Any, account: Account, **kwargs: Any) -> None:
    emit("account.updated", object_id=account.pk, account_id=account.pk)


def statuses_changed(sender: Any, changes: list[tuple[int, str, str]], **kwargs: Any) -> None:
    emit_many(
        "account.status_changed",
        [
            {"object_id": pk, "account_id": pk, "extra": {"previous_status": old, "status": new}}
            for pk, old, new in changes
        ],
    )


def run_finished(sender: Any, run: AnalysisRun, **kwargs: Any) -> None:
    emit("analysis_run.completed", object_id=run.pk)
    before = previous_run(run)
    if before is None or not wanted("segment.changed"):
        return
    old = {
        row["account_id"]: row
        for row in AccountSegment.objects.filter(run=before).values("account_id", "abc_class", "xyz_class")
    }
    changed = []
    for row in AccountSegment.objects.filter(run=run).values("pk", "account_id", "abc_class", "xyz_class"):
        was = old.get(row["account_id"])
        if was is None or (was["abc_class"], was["xyz_class"]) == (row["abc_class"], row["xyz_class"]):
            continue
        changed.append(
            {
                "object_id": row["pk"],
                "account_id": row["account_id"],
                "extra": {
                    "run": run.pk,
                    "previous": {"abc_class": was["abc_class"], "xyz_class": was["xyz_class"]},
                    "current": {"abc_class": row["abc_class"], "xyz_class": row["xyz_class"]},
                },
            }
        )
    emit_many("segment.changed", changed)


def import_finished(sender: Any, batch: ImportBatch, **kwargs: Any) -> None:
    if batch.status != ImportBatch.Status.CHECKED:  # a dry run wrote nothing
        emit("import.finished", object_id=batch.pk)


def proposal_status_changed(sender: Any, proposal: Any, transition: Any, **kwargs: Any) -> None:
    emit(
        "proposal.status_changed",
        object_id=proposal.pk,
        account_id=proposal.account_id,
        extra={"previous_status": transition.from_status, "status": transition.to_status},
    )


def complaint_opened(sender: Any, case: Any, **kwargs: Any) -> None:
    emit("complaint.opened", object_id=case.pk, account_id=case.account_id)


def complaints_past_sla(sender: Any, cases: list[Any], **kwargs: Any) -> None:
    emit_many(
        "complaint.past_sla",
        [
            {"object_id": c.pk, "account_id": c.account_id, "extra": {"due_on": c.due_on.isoformat()}}
            for c in cases
        ],
    )


def connect() -> None:
    pairs: list[tuple[Any, Callable[..., None]]] = [
        (account_signals.account_created, account_created),
        (account_signals.account_updated, account_updated),
        (account_signals.statuses_changed, statuses_changed),
        (run_completed, run_finished),
        (sales_signals.import_finished, import_finished),
        (proposal_signals.status_changed, proposal_status_changed),
        (dossier_signals.complaint_opened, complaint_opened),
        (dossier_signals.complaints_past_sla, complaints_past_sla),
    ]
    for signal, receiver in pairs:
        signal.connect(receiver, dispatch_uid=f"integrations.{receiver.__name__}")
