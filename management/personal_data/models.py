"""The record of erasures of contacts' personal data, and the free texts left for a person to review."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PersonalDataErasure(models.Model):
    """One erasure: who, when, which contact, which fields were cleared (never the cleared values)."""

    contact = models.ForeignKey(
        "accounts.Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="erasures",
        verbose_name=_("contact"),
    )
    # Kept when the contact row itself is deleted later.
    contact_ref = models.PositiveBigIntegerField(_("contact id"))
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("erased by"),
    )
    erased_at = models.DateTimeField(_("erased at"), auto_now_add=True)
    cleared_fields = models.JSONField(_("fields cleared"), default=list)

    class Meta:
        ordering = ["-erased_at", "-pk"]
        verbose_name = _("personal data erasure")
        verbose_name_plural = _("personal data erasures")

    def __str__(self) -> str:
        return f"#{self.contact_ref} {self.erased_at:%Y-%m-%d %H:%M}"


class ErasureReviewFlag(models.Model):
    """A free text elsewhere (an interaction's summary, a complaint's description…) that named an
    erased contact: a person reads it and rewrites or keeps it, then marks the flag resolved."""

    erasure = models.ForeignKey(
        PersonalDataErasure, on_delete=models.CASCADE, related_name="flags", verbose_name=_("erasure")
    )
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="+", verbose_name=_("account")
    )
    record_type = models.CharField(_("record"), max_length=60)  # "dossiers.interaction"
    record_id = models.PositiveBigIntegerField(_("record id"))
    field = models.CharField(_("field"), max_length=60)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        ordering = ["resolved_at", "-pk"]
        verbose_name = _("erasure review flag")
        verbose_name_plural = _("erasure review flags")
        constraints = [
            models.UniqueConstraint(
                fields=["erasure", "record_type", "record_id", "field"], name="erasure_flag_once"
            ),
        ]
        indexes = [
            models.Index(
                fields=["resolved_at"], condition=Q(resolved_at__isnull=True), name="erasure_flag_open_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type} #{self.record_id} · {self.field}"
