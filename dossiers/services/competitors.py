"""The competitor registry and competitors' presence at accounts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from accounts.models import Account, User

from ..models import Competitor, CompetitorPresence
from ._common import apply, refuse_unknown

COMPETITOR_FIELDS = ("name", "website", "notes")
PRESENCE_FIELDS = ("competitor", "product_lines", "estimated_share", "pressure", "threat_level", "last_seen")


def _save_competitor(competitor: Competitor, data: Mapping[str, Any]) -> Competitor:
    refuse_unknown(data, COMPETITOR_FIELDS)
    apply(competitor, COMPETITOR_FIELDS, data)
    competitor.full_clean()  # includes the unique name, reported on the field
    competitor.save()
    return competitor


@transaction.atomic
def competitor_create(*, by: User, data: Mapping[str, Any]) -> Competitor:
    return _save_competitor(Competitor(), data)


@transaction.atomic
def competitor_update(*, competitor: Competitor, by: User, data: Mapping[str, Any]) -> Competitor:
    return _save_competitor(Competitor.objects.select_for_update().get(pk=competitor.pk), data)


@transaction.atomic
def competitor_delete(*, competitor: Competitor, by: User) -> None:
    """Delete a competitor nobody has recorded at an account yet."""
    try:
        competitor.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("%(name)s is recorded at accounts; remove those presences first.") % {"name": competitor.name}
        ) from error


def _save_presence(presence: CompetitorPresence, data: Mapping[str, Any]) -> CompetitorPresence:
    refuse_unknown(data, PRESENCE_FIELDS)
    apply(presence, PRESENCE_FIELDS, data)
    presence.full_clean()
    presence.save()
    return presence


@transaction.atomic
def presence_create(*, account: Account, by: User, data: Mapping[str, Any]) -> CompetitorPresence:
    """Record a competitor working on the account (once per competitor and account)."""
    return _save_presence(CompetitorPresence(account=account), data)


@transaction.atomic
def presence_update(*, presence: CompetitorPresence, by: User, data: Mapping[str, Any]) -> CompetitorPresence:
    return _save_presence(CompetitorPresence.objects.select_for_update().get(pk=presence.pk), data)


@transaction.atomic
def presence_delete(*, presence: CompetitorPresence, by: User) -> None:
    presence.delete()
