"""Reads of the bulk runs: an admin sees every run, a head the runs they started; each sees the files
of the accounts they may see only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User, of_visible_accounts

from .models import ConsumptionReportFile, ConsumptionRun


def run_queryset(*, user: User) -> QuerySet[ConsumptionRun]:
    """Scheduled runs cover every account: only admins see them (and their progress counts)."""
    if user.is_admin_role:
        return ConsumptionRun.objects.all()
    if user.is_head:
        return ConsumptionRun.objects.filter(started_by=user, scheduled=False)
    return ConsumptionRun.objects.none()


def run_list(*, user: User) -> QuerySet[ConsumptionRun]:
    return run_queryset(user=user).select_related("started_by")


def run_get(*, user: User, pk: int) -> ConsumptionRun:
    return get_object_or_404(run_queryset(user=user), pk=pk)


def run_files(*, user: User, run: ConsumptionRun) -> QuerySet[ConsumptionReportFile]:
    return run.files.filter(of_visible_accounts(user)).select_related("account")


def report_file_get(*, user: User, pk: int) -> ConsumptionReportFile:
    files = ConsumptionReportFile.objects.filter(run__in=run_queryset(user=user)).filter(
        of_visible_accounts(user)
    )
    return get_object_or_404(files, pk=pk)
