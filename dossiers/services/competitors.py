"""The competitor registry and competitors' presence at accounts."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from accounts.models import Account

from ..models import Competitor, CompetitorPresence
from ._common import UNSET, Unset, assign


def _save_competitor(competitor: Competitor) -> Competitor:
    competitor.full_clean()  # includes the unique name, reported on the field
    competitor.save()
    return competitor


@transaction.atomic
def competitor_create(
    *, name: str | Unset = UNSET, website: str | Unset = UNSET, notes: str | Unset = UNSET
) -> Competitor:
    """Add a competitor to the registry (names are unique)."""
    competitor = Competitor()
    assign(competitor, name=name, website=website, notes=notes)
    return _save_competitor(competitor)


@transaction.atomic
def competitor_update(
    *,
    competitor: Competitor,
    name: str | Unset = UNSET,
    website: str | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Competitor:
    """Change the given fields of a registry entry."""
    competitor = Competitor.objects.select_for_update().get(pk=competitor.pk)
    assign(competitor, name=name, website=website, notes=notes)
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
def presence_create(
    *,
    account: Account,
    competitor: Competitor | Unset = UNSET,
    product_lines: str | Unset = UNSET,
    estimated_share: int | Unset | None = UNSET,
    pressure: str | Unset = UNSET,
    threat_level: int | Unset | None = UNSET,
    last_seen: dt.date | Unset | None = UNSET,
) -> CompetitorPresence:
    """Record a competitor working on the account (once per competitor and account)."""
    presence = CompetitorPresence(account=account)
    assign(
        presence,
        competitor=competitor,
        product_lines=product_lines,
        estimated_share=estimated_share,
        pressure=pressure,
        threat_level=threat_level,
        last_seen=last_seen,
    )
    return _save_presence(presence)


@transaction.atomic
def presence_update(
    *,
    presence: CompetitorPresence,
    competitor: Competitor | Unset = UNSET,
    product_lines: str | Unset = UNSET,
    estimated_share: int | Unset | None = UNSET,
    pressure: str | Unset = UNSET,
    threat_level: int | Unset | None = UNSET,
    last_seen: dt.date | Unset | None = UNSET,
) -> CompetitorPresence:
    """Change the given fields of a presence."""
    presence = CompetitorPresence.objects.select_for_update().get(pk=presence.pk)
    assign(
        presence,
        competitor=competitor,
        product_lines=product_lines,
        estimated_share=estimated_share,
        pressure=pressure,
        threat_level=threat_level,
        last_seen=last_seen,
    )
    return _save_presence(presence)


@transaction.atomic
def presence_delete(*, presence: CompetitorPresence) -> None:
    presence.delete()
