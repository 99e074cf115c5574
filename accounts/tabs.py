"""The account page's header and tabs, shared by every app that fills a tab."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import permissions
from .models import Account, User

# key, label, URL name (taking the account's pk); each app serves its own tab.
ACCOUNT_TABS = (
    ("overview", _("Overview"), "accounts:detail"),
    ("contacts", _("Contacts"), "accounts:contacts"),
    ("group", _("Group structure"), "accounts:hierarchy"),
    ("dossier", _("Dossier"), "dossiers:account-tab"),
    ("timeline", _("Timeline"), "dossiers:timeline"),
    ("plan", _("Plan"), "dossiers:plans"),
    ("sales", _("Sales"), "sales:account-tab"),
    ("analysis", _("Analysis"), "analysis:account-tab"),
    ("retention", _("Retention"), "retention:account-tab"),
    ("proposals", _("Proposals"), "proposals:account-tab"),
    ("history", _("History"), "audit:account"),
)


def account_page_context(*, user: User, account: Account, tab: str) -> dict[str, Any]:
    """What the account header needs: the account, its tab links and what the user may do."""
    tabs = [(key, label, reverse(url_name, args=[account.pk])) for key, label, url_name in ACCOUNT_TABS]
    return {
        "account": account,
        "tabs": tabs,
        "tab": tab,
        "can_edit": permissions.can_edit_account(user, account),
        "can_delete": permissions.can_delete_account(user, account),
    }
