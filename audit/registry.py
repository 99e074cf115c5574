"""Which models the audit trail follows, and which of their fields it leaves out or masks.

Left out: what the code derives or bumps on every save (timestamps, version counters, the account
tree path, a proposal's recomputed sums) and bulk rows (sales lines: an import is followed through
its batch's status). Masked: secrets (password hashes, webhook signing secrets).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from auditlog.registry import auditlog
from django.apps import apps
from django.db.models import Model

from common.replica import reading_from_primary

STAMPS = ["created_at", "updated_at", "version"]

# app_label.Model: register() options. The "business" models of docs/audit.md.
FOLLOWED: dict[str, dict] = {
    "accounts.Account": {"exclude_fields": [*STAMPS, "path"]},
    "accounts.Contact": {"exclude_fields": STAMPS},
    "accounts.AccountTeamMember": {"exclude_fields": ["added_at"]},
    "accounts.User": {
        "exclude_fields": ["last_login", "date_joined"],
        "mask_fields": ["password"],
        # Roles and rights: the role field, plus the departments, groups and permissions given.
        "m2m_fields": {"departments", "groups", "user_permissions"},
    },
    "dossiers.AccountPlan": {"exclude_fields": STAMPS},
    "dossiers.PlanAction": {},
    "sales.SalesPlan": {"exclude_fields": STAMPS},
    # An import is its outcome: the lines it writes are not followed one by one.
    "sales.ImportBatch": {
        "include_fields": ["status", "source", "file_name", "rolled_back_at", "rolled_back_by"],
    },
    "proposals.Proposal": {
        "exclude_fields": [*STAMPS, "gross_amount", "max_line_discount"],
        "m2m_fields": {"team", "contacts"},
    },
    "proposals.ProposalLine": {"exclude_fields": ["line_total"]},
    "proposals.ProposalPolicy": {"exclude_fields": ["created_at"]},
    "management.ManagementPolicy": {"exclude_fields": ["created_at"]},
    "analysis.AnalysisPolicy": {"exclude_fields": ["created_at"]},
    "integrations.WebhookSubscription": {
        "exclude_fields": ["created_at", "consecutive_failures"],
        "mask_fields": ["secret"],
    },
}


def _reverse_relations(model: type[Model]) -> list[str]:
    """The other models' links to this one: auditlog lists them (as "None") when a row is created."""
    return [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]


def _on_primary(receiver: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(receiver)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with reading_from_primary():
            return receiver(*args, **kwargs)

    return wrapper


def register_models() -> None:
    # auditlog reads the row as it was before a save, and content types, as it writes an entry: on
    # the primary, even when the write happens inside a block whose reads go to the replica.
    if not getattr(auditlog, "kam_on_primary", False):
        auditlog._signals = {signal: _on_primary(receiver) for signal, receiver in auditlog._signals.items()}
        auditlog.kam_on_primary = True
    for label, options in FOLLOWED.items():
        model = apps.get_model(label)
        if auditlog.contains(model):
            continue
        exclude = [*options.get("exclude_fields", []), model._meta.pk.name, *_reverse_relations(model)]
        auditlog.register(model, **{**options, "exclude_fields": exclude})
