"""Celery wrappers: the nightly expiry of proposals past their validity date."""

from __future__ import annotations

from celery import shared_task

from .services import proposals_expire_overdue


@shared_task(acks_late=True, reject_on_worker_lost=True)
def expire_overdue() -> int:
    """Idempotent: a repeated delivery finds the overdue proposals expired already."""
    return proposals_expire_overdue()
