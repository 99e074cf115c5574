"""Writes to the audit trail itself: only erasure, which must not leave the erased values behind."""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from django.db import models

from .masking import MASK


def history_mask(*, obj: models.Model, fields: Iterable[str]) -> int:
    """Mask the old and new values of `fields` in every entry about `obj`, and name it as it is now
    (its name at the time was in each entry); the entries stay, saying that the fields changed.
    Returns how many entries were rewritten."""
    fields = set(fields)
    masked = 0
    for entry in LogEntry.objects.get_for_object(obj).select_for_update():
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for name in fields & changes.keys():
            values = changes[name]
            if isinstance(values, list):
                changes[name] = [MASK if value not in (None, "", "None") else value for value in values]
        entry.changes, entry.object_repr, entry.serialized_data = changes, str(obj), None
        entry.save(update_fields=["changes", "object_repr", "serialized_data"])
        masked += 1
    return masked
