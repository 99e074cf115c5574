"""Signals of the ledger, for the apps built on it (retention updates buying statuses)."""

from django.dispatch import Signal

# Sent inside the import's (or rollback's) transaction once the rollups of the touched accounts are
# rebuilt (kwargs: account_ids). What a receiver writes commits with the lines, or not at all.
purchases_recorded = Signal()

# An import batch finished, done or failed (kwargs: batch); sent once its status is saved.
import_finished = Signal()
