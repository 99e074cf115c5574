"""Interactions on the timeline and the tasks they leave behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from typing_extensions import Unpack

from accounts.models import Account, Contact, User

from ..models import VALUED_KINDS, Interaction, Task, Tender
from ..signals import task_completed
from ._common import assign, clean, fields_of

INTERACTION_RELATIONS = ("contacts", "users")


class InteractionFields(TypedDict, total=False):
    kind: str
    occurred_at: dt.datetime
    summary: str
    value: Decimal | None
    outcome: str
    next_step: str
    next_step_due: dt.date | None
    contacts: Iterable[Contact]
    users: Iterable[User]


class TaskFields(TypedDict, total=False):
    title: str
    due_on: dt.date
    account: Account | None
    interaction: Interaction | None
    tender: Tender | None


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


def _check_value(interaction: Interaction) -> None:
    """A gift, greeting card or hospitality says what it cost; other kinds carry no value."""
    if interaction.kind in VALUED_KINDS:
        if interaction.value is None:
            raise ValidationError({"value": _("Say what it cost (0 if nothing).")})
        if interaction.value < 0:
            raise ValidationError({"value": _("A value cannot be negative.")})
    elif interaction.value is not None:
        raise ValidationError({"value": _("Only gifts, greeting cards and hospitality have a value.")})


def _write(interaction: Interaction, by: User, fields: InteractionFields) -> Interaction:
    """Set the given fields, validate, save with the relations given, and keep the next step's task."""
    values = fields_of(InteractionFields, fields)
    relations = {name: values.pop(name) for name in INTERACTION_RELATIONS if name in values}
    assign(interaction, values)
    clean(interaction, exclude=["account", "created_by"])
    _check_next_step(interaction)
    _check_value(interaction)
    _check_contacts(interaction.account, relations.get("contacts", ()))
    interaction.save()
    for name, related in relations.items():
        getattr(interaction, name).set(related)
    _schedule_next_step(interaction, by)
    return interaction


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
def interaction_create(*, account: Account, by: User, **fields: Unpack[InteractionFields]) -> Interaction:
    """Log an interaction (created by `by`); contacts must be the account's own. A next step with
    a due date becomes a task of `by`."""
    interaction = Interaction(account=account, created_by=by)
    return _write(interaction, by, fields)


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, by: User, **fields: Unpack[InteractionFields]
) -> Interaction:
    """Change the given fields; a next step with a due date is kept in step with a task of `by`."""
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    return _write(interaction, by, fields)


@transaction.atomic
def interaction_delete(*, interaction: Interaction) -> None:
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
def task_create(*, by: User, owner: User | None = None, **fields: Unpack[TaskFields]) -> Task:
    """A task for `owner` (by default the author), optionally about an account, interaction or tender;
    created by `by`."""
    task = Task(owner=owner or by, created_by=by)
    assign(task, fields_of(TaskFields, fields))
    _check_task_links(task)
    clean(task, exclude=["owner", "created_by"])
    task.save()
    return task


@transaction.atomic
def task_complete(*, task: Task) -> Task:
    """Mark a task done (and tell the apps built on the dossiers); completing a done task changes nothing."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not task.done:
        task.done, task.done_at = True, timezone.now()
        task.save(update_fields=["done", "done_at"])
        task_completed.send(sender=Task, task=task)
    return task
