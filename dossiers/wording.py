"""Stored values and changes in the words a page uses: money and numbers in the user's locale,
labels instead of codes and field names, "set to" / "cleared" instead of arrows from nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.formats import date_format, number_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Account

from .models import AccountProfile, ProfileChange

# Fields the profile no longer has whose changes are still in its history.
# Profile history rows older than the move of these facts onto the Account.
LEGACY_PROFILE_FIELDS = {"annual_sales": gettext_lazy("Client's own annual turnover")}
MONEY_FIELDS = {"annual_sales", "annual_revenue"}


def _tracked_fields() -> dict[str, Any]:
    """The profile's own fields and the Account facts its form edits, by name."""
    facts = [f for f in Account._meta.fields if f.name in AccountProfile.ACCOUNT_FIELDS]
    return {f.name: f for f in (*AccountProfile._meta.fields, *facts)}


def short_date(day: dt.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def money_text(value: Decimal | int | float) -> str:
    """Whole currency units in the user's locale: "5,212,500 EUR" (en), "5 212 500 EUR" (fi)."""
    amount = number_format(Decimal(value).quantize(Decimal(1)), decimal_pos=0, force_grouping=True)
    return _("%(amount)s %(currency)s") % {"amount": amount, "currency": settings.KAM_CURRENCY}


def _number_text(raw: str) -> str:
    try:
        return number_format(Decimal(raw), force_grouping=True)
    except ArithmeticError:
        return raw


def field_value_text(model_field: models.Field | None, raw: str, money: bool = False) -> str:
    """A changed value as stored (text) in the words the page uses: money and numbers in the
    locale, a choice's label instead of its code."""
    if not raw:
        return ""
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(raw, raw))
    if money or isinstance(model_field, models.DecimalField):
        try:
            return money_text(Decimal(raw))
        except ArithmeticError:
            return raw
    if isinstance(model_field, models.IntegerField) or (model_field is None and _is_number(raw)):
        return _number_text(raw)
    return raw


def _is_number(raw: str) -> bool:
    try:
        Decimal(raw)
    except ArithmeticError:
        return False
    return raw.strip().lstrip("-").replace(".", "", 1).isdigit()


def change_text(label: str, old: str, new: str) -> str:
    """One changed field in a sentence: set, cleared or changed."""
    if not old:
        return _("%(field)s set to %(new)s") % {"field": label, "new": new}
    if not new:
        return _("%(field)s cleared") % {"field": label}
    return _("%(field)s: %(old)s → %(new)s") % {"field": label, "old": old, "new": new}


def profile_field_label(name: str) -> str:
    """A profile field's name as the page calls it ("annual_sales" → "Client's annual sales")."""
    field = _tracked_fields().get(name)
    return capfirst(str(field.verbose_name if field else LEGACY_PROFILE_FIELDS.get(name, name)))


def profile_change_values(change: ProfileChange) -> tuple[str, str]:
    """The old and new value of a profile change, formatted for the page."""
    model_field = _tracked_fields().get(change.field)
    money = change.field in MONEY_FIELDS
    return field_value_text(model_field, change.old, money), field_value_text(model_field, change.new, money)
