"""Interactions on the timeline and the tasks they leave behind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, Contact, User

from ..models import Interaction, Task
from ._common import apply, clean, refuse_unknown

INTERACTION_FIELDS = ("kind", "occurred_at", "summary", "outcome", "next_step", "next_step_due")
INTERACTION_RELATIONS = ("contacts", "users")
TASK_FIELDS = ("title", "due_on", "account", "interaction", "tender")


def _check_contacts(account: Account, contacts: Iterable[Contact]) -> None:
    strangers = [c for c in contacts if c.account_id != account.pk]
    if strangers:
        raise ValidationError(
            {
                "contacts": _("%(names)s do not belong to %(account)s.")
                % {"names": ", ".join(str(c) for c in strangers), "account": account.name}
            }
        )


def _check_next_step(interaction: Interaction) -> None:
    if interaction.next_step_due and not interaction.next_step:
        raise ValidationError({"next_step": _("Say what the next step is, or clear its due date.")})


def _validate(interaction: Interaction, data: Mapping[str, Any]) -> None:
    refuse_unknown(data, (*INTERACTION_FIELDS, *INTERACTION_RELATIONS))
    apply(interaction, INTERACTION_FIELDS, data)
    clean(interaction, exclude=["account", "created_by"])
    _check_next_step(interaction)
    _check_contacts(interaction.account, data.get("contacts", ()))


def _save(interaction: Interaction, data: Mapping[str, Any]) -> None:
    interaction.save()
    for relation in INTERACTION_RELATIONS:
        if relation in data:
            getattr(interaction, relation).set(data[relation])


def _schedule_next_step(interaction: Interaction, by: User) -> None:
    """A next step with a due date is a task for the author; an open one is kept in step."""
    if not interaction.next_step_due:
        return
    task = interaction.tasks.filter(done=False, owner=by).first()
    if task is None:
        task = Task(owner=by, account=interaction.account, interaction=interaction, created_by=by)
    task.title = interaction.next_step[:255]
    task.due_on = interaction.next_step_due
    task.save()


@transaction.atomic
def interaction_create(*, account: Account, by: User, data: Mapping[str, Any]) -> Interaction:
    """Log an interaction; contacts must be the account's own."""
    interaction = Interaction(account=account, created_by=by)
    _validate(interaction, data)
    _save(interaction, data)
    _schedule_next_step(interaction, by)
    return interaction


@transaction.atomic
def interaction_update(*, interaction: Interaction, by: User, data: Mapping[str, Any]) -> Interaction:
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    _validate(interaction, data)
    _save(interaction, data)
    _schedule_next_step(interaction, by)
    return interaction


@transaction.atomic
def interaction_delete(*, interaction: Interaction, by: User) -> None:
    interaction.delete()


def _check_task_links(task: Task) -> None:
    errors: dict[str, str] = {}
    for name, linked in (("interaction", task.interaction), ("tender", task.tender)):
        if linked is None:
            continue
        if task.account_id is None:
            task.account_id = linked.account_id
        if linked.account_id != task.account_id:
            errors[name] = _("Choose one of the same account.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_create(*, by: User, data: Mapping[str, Any], owner: User | None = None) -> Task:
    """A task for `owner` (by default the author), optionally about an account, interaction or tender."""
    refuse_unknown(data, TASK_FIELDS)
    task = Task(owner=owner or by, created_by=by)
    apply(task, TASK_FIELDS, data)
    _check_task_links(task)
    clean(task, exclude=["owner", "created_by"])
    task.save()
    return task


@transaction.atomic
def task_complete(*, task: Task, by: User) -> Task:
    """Mark a task done; completing a done task changes nothing."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not task.done:
        task.done, task.done_at = True, timezone.now()
        task.save(update_fields=["done", "done_at"])
    return task
