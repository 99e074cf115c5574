"""Celery wrappers of the dossiers: the services do the work."""

from __future__ import annotations

from celery import shared_task

from .services.complaints import complaints_announce_past_sla


@shared_task
def announce_complaints_past_sla() -> int:
    """Every night: the complaint cases that went past their SLA, each announced once."""
    return complaints_announce_past_sla()
