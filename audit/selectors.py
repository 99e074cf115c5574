"""Reads of the audit trail: one object's history, and every entry for the administrators."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from accounts.models import User

from .filters import AuditEntryFilter


def _entries() -> QuerySet[LogEntry]:
    return LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")


def _of(model: type[Model], pks: Iterable[Any]) -> Q:
    content_type = ContentType.objects.get_for_model(model)
    return Q(content_type=content_type, object_pk__in=[str(pk) for pk in pks])


def _children(model: type[Model], link: str, parent_pk: Any, pks: Iterable[Any]) -> Q:
    """The entries of the parts of an object (an account's team members, a plan's actions): the
    current ones by id, the deleted ones by the parent named in their creation or deletion."""
    content_type = ContentType.objects.get_for_model(model)
    named = Q(**{f"changes__{link}__0": str(parent_pk)}) | Q(**{f"changes__{link}__1": str(parent_pk)})
    return Q(content_type=content_type) & (Q(object_pk__in=[str(pk) for pk in pks]) | named)


def object_history(
    *, obj: Model, parts: Iterable[tuple[type[Model], str, QuerySet[Any]]] = ()
) -> QuerySet[LogEntry]:
    """The entries of `obj` and of its parts ((model, link to obj, the current rows)), newest first.

    The caller has already fetched `obj` through the owning app's selector (scoped to the user)."""
    query = _of(type(obj), [obj.pk])
    for model, link, rows in parts:
        query |= _children(model, link, obj.pk, rows.values_list("pk", flat=True))
    return _entries().filter(query)


def entry_list(*, user: User, filters: Any = None) -> AuditEntryFilter:
    """Every entry, filtered (`.rows`, `.form`): administrators only."""
    if not user.is_admin_role:
        raise PermissionDenied
    return AuditEntryFilter(filters or None, queryset=_entries(), user=user)
