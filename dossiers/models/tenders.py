"""Tenders with their preparation plan, and the competitors met at accounts."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account

from .base import AccountScopedQuerySet, RegistryQuerySet


class Competitor(models.Model):
    """A competitor in the shared registry."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CompetitorPresence(models.Model):
    """A competitor working on an account, and how it presses."""

    class Pressure(models.TextChoices):
        PRICE = "price", _("Price")
        PAYMENT_DEFERRAL = "payment_deferral", _("Payment deferral")
        STOCK_AVAILABILITY = "stock_availability", _("Stock availability")
        RELATIONSHIP = "relationship", _("Relationship")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="competitor_presences", verbose_name=_("account")
    )
    competitor = models.ForeignKey(
        Competitor, on_delete=models.PROTECT, related_name="presences", verbose_name=_("competitor")
    )
    product_lines = models.TextField(_("product lines"), blank=True)
    estimated_share = models.PositiveSmallIntegerField(
        _("estimated share (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    pressure = models.CharField(_("pressure"), max_length=20, choices=Pressure.choices, blank=True)
    threat_level = models.PositiveSmallIntegerField(
        _("threat level"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    last_seen = models.DateField(_("last seen"), null=True, blank=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("competitor presence")
        verbose_name_plural = _("competitor presences")
        ordering = ["account", "-threat_level", "competitor"]
        constraints = [
            models.UniqueConstraint(fields=["account", "competitor"], name="presence_once_per_account"),
            models.CheckConstraint(
                condition=Q(estimated_share__isnull=True) | Q(estimated_share__lte=100),
                name="presence_share_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(threat_level__gte=1, threat_level__lte=5), name="presence_threat_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competitor} at {self.account}"


class MilestoneTemplate(models.Model):
    """One step of the tender preparation plan, counted back from the submission date."""

    title = models.CharField(_("title"), max_length=200)
    months_before_submission = models.PositiveSmallIntegerField(
        _("months before submission"), null=True, blank=True, validators=[MaxValueValidator(24)]
    )
    days_before = models.PositiveSmallIntegerField(
        _("days before submission"), null=True, blank=True, validators=[MaxValueValidator(366)]
    )

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone template")
        verbose_name_plural = _("milestone templates")
        ordering = [F("months_before_submission").desc(nulls_last=True), "-days_before", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(months_before_submission__isnull=True, days_before__isnull=False)
                | Q(months_before_submission__isnull=False, days_before__isnull=True),
                name="milestone_template_months_or_days",
            ),
            models.CheckConstraint(
                condition=Q(months_before_submission__isnull=True) | Q(months_before_submission__lte=24),
                name="milestone_template_months_le_24",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Tender(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PREPARING = "preparing", _("Preparing")
        SUBMITTED = "submitted", _("Submitted")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        CANCELLED = "cancelled", _("Cancelled")

    class OutcomeReason(models.TextChoices):
        PRICE = "price", _("Price")
        QUALITY = "quality", _("Quality")
        TERMS = "terms", _("Payment and delivery terms")
        RELATIONSHIP = "relationship", _("Relationship")
        SPECIFICATION = "specification", _("Technical specification")
        OTHER = "other", _("Other")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="tenders", verbose_name=_("account")
    )
    title = models.CharField(_("title"), max_length=255)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    submission_on = models.DateField(_("submission on"), null=True, blank=True)
    decision_on = models.DateField(_("decision on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    outcome_reason = models.CharField(
        _("win/loss reason"), max_length=16, choices=OutcomeReason.choices, blank=True
    )
    outcome_notes = models.TextField(_("win/loss notes"), blank=True)
    competitors = models.ManyToManyField(
        Competitor, blank=True, related_name="tenders", verbose_name=_("competitors")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["submission_on", "pk"]
        indexes = [
            models.Index(fields=["account", "submission_on"], name="tender_account_submission_idx"),
            models.Index(fields=["status"], name="tender_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(announced_on__isnull=True)
                | Q(submission_on__isnull=True)
                | Q(submission_on__gte=F("announced_on")),
                name="tender_submission_after_announcement",
            ),
            models.CheckConstraint(
                condition=Q(submission_on__isnull=True)
                | Q(decision_on__isnull=True)
                | Q(decision_on__gte=F("submission_on")),
                name="tender_decision_after_submission",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="tender_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MilestoneQuerySet(AccountScopedQuerySet):
    account_lookup = "tender__account"

    def overdue(self, today: dt.date) -> MilestoneQuerySet:
        """Not done after the day they were due: the query twin of `TenderMilestone.is_overdue`."""
        return self.filter(done=False, due_on__lt=today)


class TenderMilestone(models.Model):
    tender = models.ForeignKey(
        Tender, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("tender")
    )
    # The template step it was generated from: moving the submission date moves it too.
    template = models.ForeignKey(
        MilestoneTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("milestone template"),
    )
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("due on"))
    done = models.BooleanField(_("done"), default=False)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("tender milestone")
        verbose_name_plural = _("tender milestones")
        ordering = ["tender", "due_on", "pk"]
        indexes = [models.Index(fields=["due_on", "done"], name="milestone_due_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"

    def is_overdue(self, today: dt.date) -> bool:
        """Not done after the day it was due."""
        return not self.done and self.due_on < today
