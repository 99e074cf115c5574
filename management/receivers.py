"""How the management app answers the other apps' events and fills their hooks."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Account, User
from common.locale import in_language_of
from dossiers.models import StrategicAssessment
from retention.services import notification_create

from .strategic import strategic_share

HANDOVER_KIND = "handover"
TWO_FACTOR_RESET_KIND = "two_factor_reset"


def handover_url(account: Account) -> str:
    return reverse("management:handover", args=[account.pk])


def notify_new_owner(sender: Any, *, account: Account, by: User | None = None, **kwargs: Any) -> None:
    """The new owner of an account gets its handover brief (unless they gave it to themselves)."""
    owner = account.owner
    if owner is None or (by is not None and owner.pk == by.pk):
        return
    with in_language_of(owner):
        _tell_new_owner(owner, account, by)


def _tell_new_owner(owner: User, account: Account, by: User | None) -> None:
    notification_create(
        user=owner,
        kind=HANDOVER_KIND,
        title=_("You now own %(account)s: read the handover brief") % {"account": account.name},
        body=_(
            "%(by)s gave you the account. The brief lists its buying centre, open tasks and tenders, "
            "the last interactions, the plans and the risks."
        )
        % {"by": by or _("Someone")},
        url=handover_url(account),
        account=account,
    )


def notify_two_factor_reset(sender: Any, *, user: User, by: User, **kwargs: Any) -> None:
    """A user whose second factor an administrator removed is told, so that a reset they did not ask
    for does not go unnoticed."""
    with in_language_of(user):
        notification_create(
            user=user,
            kind=TWO_FACTOR_RESET_KIND,
            title=_("Your two-factor sign-in was reset"),
            body=_(
                "%(by)s removed your authenticator and backup codes. Set up two-factor sign-in again; "
                "if you did not ask for this, tell an administrator at once."
            )
            % {"by": by},
            url=reverse("two-factor"),
        )


def strategic_cap_warning(user: User, assessment: StrategicAssessment) -> str | None:
    """After a strategic assessment is saved: a warning when strategic accounts now exceed the
    policy's share of the customers (over what the user sees)."""
    if not assessment.is_strategic:
        return None
    share = strategic_share(user=user)
    if not share.exceeded:
        return None
    return _(
        "Strategic accounts are now %(percent)s%% of the customers you see (%(strategic)s of "
        "%(customers)s), above the %(cap)s%% the management policy allows: is every one of them "
        "really strategic?"
    ) % {"percent": share.percent, "strategic": share.strategic, "customers": share.customers,
         "cap": format(share.cap.normalize(), "f")}  # fmt: skip
