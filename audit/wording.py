"""Audit entries in the words the pages use: field names as the forms call them, choice labels,
names instead of ids, dates and money in the reader's locale, and personal data kept from
readers who may not see it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Contact
from dossiers.wording import change_text, money_text

from .masking import MASK

# Amounts of money among the followed fields (the others are plain numbers: percentages, months).
MONEY_FIELDS = {
    "annual_revenue",
    "amount",
    "total_amount",
    "unit_price",
    "annual_savings",
    "annual_extra_margin",
}
# A contact's personal details: only readers who see them on the contact card see them here.
PERSONAL_FIELDS = set(Contact.PERSONAL_FIELDS)
NOTHING = ("", "None")

ACTIONS = {
    LogEntry.Action.CREATE: gettext_lazy("Created"),
    LogEntry.Action.UPDATE: gettext_lazy("Changed"),
    LogEntry.Action.DELETE: gettext_lazy("Deleted"),
    LogEntry.Action.ACCESS: gettext_lazy("Opened"),
}


@dataclass
class EntryRow:
    entry: LogEntry
    what: str  # "Account plan Nordic Steel 2026"
    action: str
    actor: str
    channel: str  # "page", "API (token 1a2b3c…)"
    changes: list[str] = field(default_factory=list)
    part: bool = False  # about a part of the page's object (a team member, a plan's action)


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def field_label(model: type[models.Model] | None, name: str) -> str:
    """A field's name as its form calls it (its verbose name)."""
    return capfirst(str(getattr(_field(model, name), "verbose_name", name)))


class Names:
    """The names of the objects the foreign keys of some entries point at, looked up once per model,
    among the objects the reader may see (a hidden parent account stays a bare id)."""

    def __init__(self, rows: Iterable[tuple[type[models.Model], dict[str, Any]]], *, user: Any) -> None:
        wanted: dict[Any, set[int]] = defaultdict(set)
        for model, changes in rows:
            for name, values in changes.items():
                target = _field(model, name)
                if target is None or not target.is_relation or target.many_to_many:
                    continue
                for raw in values if isinstance(values, list) else []:
                    if str(raw).isdigit():
                        wanted[target.related_model].add(int(raw))
        self.names = {
            (related, obj.pk): str(obj) for related, pks in wanted.items()
            for obj in _visible(related, user).filter(pk__in=pks)
        }  # fmt: skip

    def get(self, related: Any, raw: str) -> str:
        if not str(raw).isdigit():
            return str(raw)
        return self.names.get((related, int(raw)), f"#{raw}")


def _visible(model: Any, user: Any) -> Any:
    rows = model._base_manager.all()
    visible_to = getattr(model.objects.all(), "visible_to", None)
    return visible_to(user) if visible_to is not None else rows


def value_text(model_field: models.Field | None, raw: Any, names: Names) -> str:
    """One stored value (auditlog keeps them as text) as the page would show it."""
    raw = "" if raw is None else str(raw)
    if raw in NOTHING or model_field is None:
        return "" if raw in NOTHING else raw
    if raw == MASK:
        return _("(hidden)")
    if model_field.is_relation:
        return names.get(model_field.related_model, raw)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(raw, raw))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if raw == "True" else _("no")
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(raw.replace(" ", "T", 1))
        if moment is None:
            return raw
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, dt.UTC)
        return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
    if isinstance(model_field, models.DateField):
        day = parse_date(raw)
        return date_format(day, "SHORT_DATE_FORMAT") if day else raw
    if isinstance(model_field, models.DecimalField | models.IntegerField):
        try:
            number = Decimal(raw)
        except InvalidOperation:
            return raw
        if model_field.name in MONEY_FIELDS:
            return money_text(number)
        return number_format(number, force_grouping=True)
    return raw


def _m2m_text(label: str, change: dict[str, Any]) -> str:
    objects = ", ".join(str(o) for o in change.get("objects", []))
    if change.get("operation") == "add":
        return _("%(field)s: added %(objects)s") % {"field": label, "objects": objects}
    return _("%(field)s: removed %(objects)s") % {"field": label, "objects": objects}


def change_lines(entry: LogEntry, model: Any, names: Names, *, personal: bool) -> list[str]:
    lines = []
    for name, values in sorted((entry.changes_dict or {}).items()):
        label = field_label(model, name)
        if isinstance(values, dict) and values.get("type") == "m2m":
            lines.append(_m2m_text(label, values))
            continue
        if model is Contact and name in PERSONAL_FIELDS and not personal:
            lines.append(_("%(field)s changed (personal data, not shown)") % {"field": label})
            continue
        model_field = _field(model, name)
        old, new = (value_text(model_field, v, names) for v in [*values, "", ""][:2])
        if entry.action == LogEntry.Action.CREATE and not new:
            continue  # a new object's empty fields say nothing
        lines.append(change_text(label, old, new))
    return lines


def channel_text(entry: LogEntry, *, detailed: bool) -> str:
    """A page or the API; with `detailed`, the token's key prefix and the address too."""
    data = entry.additional_data or {}
    via = data.get("via")
    if via == "api":
        text = _("API")
        if detailed and data.get("token"):
            text = _("API, token %(key)s…") % {"key": data["token"]}
    elif via == "page":
        text = _("page")
    else:
        text = _("command or background job")
    if detailed and entry.remote_addr:
        text = _("%(channel)s from %(address)s") % {"channel": text, "address": entry.remote_addr}
    return text


def entry_rows(entries: Iterable[LogEntry], *, user: Any, personal: bool, detailed: bool) -> list[EntryRow]:
    """Rows for a history page. `personal`: the reader sees contacts' personal data; `detailed`:
    the reader (an administrator) sees the addresses and tokens."""
    entries = list(entries)
    models_of = {e.pk: e.content_type.model_class() for e in entries}
    names = Names(((models_of[e.pk], e.changes_dict or {}) for e in entries if models_of[e.pk]), user=user)
    rows = []
    for entry in entries:
        model = models_of[entry.pk]
        what = capfirst(str(model._meta.verbose_name)) if model else entry.content_type.model
        rows.append(
            EntryRow(
                entry=entry,
                what=f"{what} {entry.object_repr}",
                action=str(ACTIONS.get(entry.action, "")),
                actor=str(entry.actor) if entry.actor else (entry.actor_email or _("System")),
                channel=channel_text(entry, detailed=detailed),
                changes=change_lines(entry, model, names, personal=personal),
            )
        )
    return rows


def personal_values_shown(entries: Iterable[LogEntry]) -> list[int]:
    """The contacts whose personal fields these entries show the values of, to a reader who sees
    personal data: what the page logs as a personal-data access."""
    return [
        int(entry.object_pk)
        for entry in entries
        if entry.content_type.model_class() is Contact and PERSONAL_FIELDS & (entry.changes_dict or {}).keys()
    ]
