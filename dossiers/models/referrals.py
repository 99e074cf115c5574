"""Growth through satisfied customers: recommendation letters received and referrals given."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact

from .base import AccountScopedQuerySet
from .interactions import Interaction


class Referral(models.Model):
    """A contact of a customer referred a prospect (`account`): who, whether they phoned, and how it
    ended. Scoped by the prospect: those who see the prospect see who referred it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        MEETING_HELD = "meeting_held", _("Meeting held")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="referrals_received", verbose_name=_("prospect")
    )
    referrer = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="referrals_given", verbose_name=_("referred by")
    )
    referred_on = models.DateField(_("referred on"))
    referrer_called = models.BooleanField(_("the referrer phoned the prospect"), default=False)
    called_on = models.DateField(_("phoned on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices, default=Outcome.PENDING)
    note = models.TextField(_("note"), blank=True)
    # Optimistic lock: an edit made on a stale copy is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(called_on__isnull=True) | Q(referrer_called=True),
                name="referral_called_on_needs_call",
            ),
        ]
        indexes = [models.Index(fields=["account", "referred_on"], name="referral_account_idx")]

    def __str__(self) -> str:
        return f"{self.referrer} → {self.account}"


def letter_path(letter: RecommendationLetter, filename: str) -> str:
    """Under MEDIA, one folder per account: the file name as uploaded is kept readable."""
    return f"recommendation_letters/{letter.account_id}/{filename}"


class RecommendationLetter(models.Model):
    """A letter of recommendation a customer wrote, after a delivery (an interaction of kind delivery)."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="recommendation_letters", verbose_name=_("account")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendation_letters",
        verbose_name=_("written by"),
    )
    delivery = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendation_letters",
        verbose_name=_("delivery"),
        limit_choices_to={"kind": Interaction.Kind.DELIVERY},
    )
    received_on = models.DateField(_("received on"))
    file = models.FileField(_("letter"), upload_to=letter_path, max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("recommendation letter")
        verbose_name_plural = _("recommendation letters")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["account", "received_on"], name="letter_account_idx")]

    def __str__(self) -> str:
        return str(_("Recommendation letter from %(account)s") % {"account": self.account})
