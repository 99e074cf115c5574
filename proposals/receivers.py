"""What proposals do when something happens in the apps they build on (inside its transaction)."""

from typing import Any

from dossiers.models import Task

from .services.follow_up import follow_up_task_done


def close_follow_up_step(sender: Any, task: Task, **kwargs: Any) -> None:
    """A follow-up task ticked off on the home page closes its step, as the strip's button does."""
    follow_up_task_done(task=task)
