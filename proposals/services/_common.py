"""Helpers the proposal services share."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.errors import check_version

from ..models import Proposal

__all__ = ["check_editable", "clean", "editable_draft", "lock"]


def clean(obj: Any, *, exclude: Iterable[str] = ()) -> None:
    """Model validation with field errors; database constraints are checked by the database."""
    obj.full_clean(exclude=list(exclude), validate_constraints=False)


def check_editable(proposal: Proposal) -> None:
    """Content changes only in a draft: what was approved or sent stays as it was approved or sent."""
    if not proposal.is_editable:
        raise ValidationError(
            _(
                "The proposal is %(status)s: only a draft can be changed. Return it to draft first "
                "(an approval then lapses), or copy it to a new draft."
            )
            % {"status": proposal.get_status_display().lower()}
        )


def lock(proposal: Proposal) -> Proposal:
    """The proposal's row, locked for this transaction (writers of one proposal go one at a time)."""
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def editable_draft(proposal: Proposal, expected_version: int | None) -> Proposal:
    """The proposal's row locked for a content change: refused when stale or no longer a draft."""
    proposal = lock(proposal)
    check_version(proposal, expected_version)
    check_editable(proposal)
    return proposal
