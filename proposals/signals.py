"""Signals of the proposals, for the apps built on them (integrations send webhooks)."""

from django.dispatch import Signal

# A proposal changed status (sent inside the transition's transaction; kwargs: proposal, transition).
status_changed = Signal()
