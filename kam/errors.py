"""Errors shared by every app's services."""

from django.core.exceptions import ValidationError


class StaleEditError(ValidationError):
    """The object changed since the editor loaded it; saving would overwrite someone's work."""
