"""Signals of the accounts app, for the apps built on it (which accounts must not import)."""

from django.dispatch import Signal

# An account got a new owner (sent inside the changing transaction): account, old_owner_id, by.
# The management app answers with the handover brief for the new owner.
owner_changed = Signal()

# An account was created or edited by a person (sent inside the transaction): account, by.
account_created = Signal()
account_updated = Signal()
# Buying statuses changed (sent inside the transaction): changes, a list of (account id, old, new).
statuses_changed = Signal()

# An administrator removed a user's second factor (sent inside the transaction): user, by.
two_factor_reset = Signal()
