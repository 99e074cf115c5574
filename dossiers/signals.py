"""Signals of the dossiers, for the apps built on them (proposals close a follow-up step)."""

from django.dispatch import Signal

# Sent inside task_complete's transaction when a task becomes done (kwargs: task), not when a done
# task is completed again. What a receiver writes commits with the task, or not at all.
task_completed = Signal()

# A complaint case was logged (sent inside complaint_create's transaction; kwargs: case).
complaint_opened = Signal()

# Complaint cases whose due date passed while unresolved, each breach once (sent by the nightly
# check inside its transaction; kwargs: cases, a list).
complaints_past_sla = Signal()
