"""The competitor registry and competitors' presence at accounts."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from typing_extensions import Unpack

from accounts.models import Account

from ..models import Competitor, CompetitorPresence
from ._common import assign, fields_of


class CompetitorFields(TypedDict, total=False):
    name: str
    website: str
    notes: str


class PresenceFields(TypedDict, total=False):
    competitor: Competitor
    product_lines: str
    estimated_share: int | None
    pressure: str
    threat_level: int | None
    last_seen: dt.date | None


def _save_competitor(competitor: Competitor) -> Competitor:
    competitor.full_clean()  # includes the unique name, reported on the field
    competitor.save()
    return competitor


@transaction.atomic
def competitor_create(**fields: Unpack[CompetitorFields]) -> Competitor:
    """Add a competitor to the registry (names are unique)."""
    competitor = Competitor()
    assign(competitor, fields_of(CompetitorFields, fields))
    return _save_competitor(competitor)


@transaction.atomic
def competitor_update(*, competitor: Competitor, **fields: Unpack[CompetitorFields]) -> Competitor:
    """Change the given fields of a registry entry."""
    competitor = Competitor.objects.select_for_update().get(pk=competitor.pk)
    assign(competitor, fields_of(CompetitorFields, fields))
    return _save_competitor(competitor)


@transaction.atomic
def competitor_delete(*, competitor: Competitor) -> None:
    """Delete a competitor nobody has recorded at an account yet."""
    try:
        competitor.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("%(name)s is recorded at accounts; remove those presences first.") % {"name": competitor.name}
        ) from error


def _save_presence(presence: CompetitorPresence) -> CompetitorPresence:
    presence.full_clean()
    presence.save()
    return presence


@transaction.atomic
def presence_create(*, account: Account, **fields: Unpack[PresenceFields]) -> CompetitorPresence:
    """Record a competitor working on the account (once per competitor and account)."""
    presence = CompetitorPresence(account=account)
    assign(presence, fields_of(PresenceFields, fields))
    return _save_presence(presence)


@transaction.atomic
def presence_update(*, presence: CompetitorPresence, **fields: Unpack[PresenceFields]) -> CompetitorPresence:
    """Change the given fields of a presence."""
    presence = CompetitorPresence.objects.select_for_update().get(pk=presence.pk)
    assign(presence, fields_of(PresenceFields, fields))
    return _save_presence(presence)


@transaction.atomic
def presence_delete(*, presence: CompetitorPresence) -> None:
    presence.delete()
