"""Promises made to the client and kept on time (DOMAIN.md: keep promises on time)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact, User

from .base import AccountScopedQuerySet
from .interactions import Interaction


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """A promise still open after the day it was due."""
    return Q(**{f"{prefix}status": "open", f"{prefix}due_on__lt": today})


class Commitment(models.Model):
    """What we promised the client, to whom, by when and who on our side keeps the promise."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        BROKEN = "broken", _("Broken")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("account")
    )
    what = models.CharField(_("what we promised"), max_length=255)
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("promised to"),
    )
    due_on = models.DateField(_("due on"))
    owner = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("kept by")
    )
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("made during"),
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    kept_on = models.DateField(_("kept on"), null=True, blank=True)
    broken_on = models.DateField(_("broken on"), null=True, blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("Why a promise was broken, or how it was kept.")
    )
    # Optimistic lock: an edit made on a stale copy is refused instead of overwriting.
    version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="commitment_owner_due_idx"),
            models.Index(fields=["account", "status", "due_on"], name="commitment_account_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", kept_on__isnull=True, broken_on__isnull=True)
                | Q(status="kept", kept_on__isnull=False, broken_on__isnull=True)
                | Q(status="broken", kept_on__isnull=True, broken_on__isnull=False),
                name="commitment_dates_match_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what} ({self.due_on})"

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today
