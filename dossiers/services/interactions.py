"""Interactions on the timeline and the tasks they leave behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, Contact, User

from ..models import Interaction, Task, Tender
from ._common import UNSET, Unset, assign, clean

INTERACTION_RELATIONS = ("contacts", "users")


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


def _validate(interaction: Interaction, contacts: Iterable[Contact] | Unset) -> None:
    clean(interaction, exclude=["account", "created_by"])
    _check_next_step(interaction)
    _check_contacts(interaction.account, () if isinstance(contacts, Unset) else contacts)


def _save(
    interaction: Interaction, *, contacts: Iterable[Contact] | Unset, users: Iterable[User] | Unset
) -> None:
    interaction.save()
    if not isinstance(contacts, Unset):
        interaction.contacts.set(contacts)
    if not isinstance(users, Unset):
        interaction.users.set(users)


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
def interaction_create(
    *,
    account: Account,
    by: User,
    kind: str | Unset = UNSET,
    occurred_at: dt.datetime | Unset = UNSET,
    summary: str | Unset = UNSET,
    outcome: str | Unset = UNSET,
    next_step: str | Unset = UNSET,
    next_step_due: dt.date | Unset | None = UNSET,
    contacts: Iterable[Contact] | Unset = UNSET,
    users: Iterable[User] | Unset = UNSET,
) -> Interaction:
    """Log an interaction (created by `by`); contacts must be the account's own. A next step with
    a due date becomes a task of `by`."""
    interaction = Interaction(account=account, created_by=by)
    assign(
        interaction,
        kind=kind,
        occurred_at=occurred_at,
        summary=summary,
        outcome=outcome,
        next_step=next_step,
        next_step_due=next_step_due,
    )
    _validate(interaction, contacts)
    _save(interaction, contacts=contacts, users=users)
    _schedule_next_step(interaction, by)
    return interaction


@transaction.atomic
def interaction_update(
    *,
    interaction: Interaction,
    by: User,
    kind: str | Unset = UNSET,
    occurred_at: dt.datetime | Unset = UNSET,
    summary: str | Unset = UNSET,
    outcome: str | Unset = UNSET,
    next_step: str | Unset = UNSET,
    next_step_due: dt.date | Unset | None = UNSET,
    contacts: Iterable[Contact] | Unset = UNSET,
    users: Iterable[User] | Unset = UNSET,
) -> Interaction:
    """Change the given fields; a next step with a due date is kept in step with a task of `by`."""
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    assign(
        interaction,
        kind=kind,
        occurred_at=occurred_at,
        summary=summary,
        outcome=outcome,
        next_step=next_step,
        next_step_due=next_step_due,
    )
    _validate(interaction, contacts)
    _save(interaction, contacts=contacts, users=users)
    _schedule_next_step(interaction, by)
    return interaction


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
def task_create(
    *,
    by: User,
    owner: User | None = None,
    title: str | Unset = UNSET,
    due_on: dt.date | Unset = UNSET,
    account: Account | Unset | None = UNSET,
    interaction: Interaction | Unset | None = UNSET,
    tender: Tender | Unset | None = UNSET,
) -> Task:
    """A task for `owner` (by default the author), optionally about an account, interaction or tender;
    created by `by`."""
    task = Task(owner=owner or by, created_by=by)
    assign(task, title=title, due_on=due_on, account=account, interaction=interaction, tender=tender)
    _check_task_links(task)
    clean(task, exclude=["owner", "created_by"])
    task.save()
    return task


@transaction.atomic
def task_complete(*, task: Task) -> Task:
    """Mark a task done; completing a done task changes nothing."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not task.done:
        task.done, task.done_at = True, timezone.now()
        task.save(update_fields=["done", "done_at"])
    return task
