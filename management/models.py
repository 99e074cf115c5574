"""The management policy."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .rules import DEFAULTS


class ManagementPolicy(models.Model):
    """The management rules. Versioned: an edit adds a row; the newest one is in force."""

    kam_load_target = models.PositiveSmallIntegerField(
        _("key accounts per KAM (target load)"),
        default=DEFAULTS.kam_load_target,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    neglect_days = models.PositiveSmallIntegerField(
        _("neglected after (days without contact)"),
        default=DEFAULTS.neglect_days,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    strategic_share_cap = models.DecimalField(
        # xgettext:no-python-format
        _("strategic accounts at most (% of customers)"),
        default=DEFAULTS.strategic_share_cap,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    sla_days_critical = models.PositiveSmallIntegerField(
        _("complaint SLA, critical (days)"),
        default=DEFAULTS.sla_days_critical,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    sla_days_high = models.PositiveSmallIntegerField(
        _("complaint SLA, high (days)"),
        default=DEFAULTS.sla_days_high,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    sla_days_medium = models.PositiveSmallIntegerField(
        _("complaint SLA, medium (days)"),
        default=DEFAULTS.sla_days_medium,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    sla_days_low = models.PositiveSmallIntegerField(
        _("complaint SLA, low (days)"),
        default=DEFAULTS.sla_days_low,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    access_log_retention_months = models.PositiveSmallIntegerField(
        _("personal-data access log kept (months)"),
        default=DEFAULTS.access_log_retention_months,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Older entries of the access log are deleted every night."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("management policy")
        verbose_name_plural = _("management policies")

    def __str__(self) -> str:
        return (
            _("Management policy of %(when)s")
            % {"when": date_format(self.created_at, "SHORT_DATETIME_FORMAT")}
            if self.created_at
            else str(_("Management policy"))
        )

    def sla_days(self, severity: str) -> int:
        """Days a complaint case of `severity` may stay unresolved."""
        return int(getattr(self, f"sla_days_{severity}"))


# The consumption report's bulk runs live with the rest of the report (management/consumption/).
from .calendar_feed.models import CalendarFeed  # noqa: E402
from .consumption.models import ConsumptionReportFile, ConsumptionRun  # noqa: E402
from .personal_data.models import ErasureReviewFlag, PersonalDataErasure  # noqa: E402

__all__ = [
    "CalendarFeed",
    "ConsumptionReportFile",
    "ConsumptionRun",
    "ErasureReviewFlag",
    "ManagementPolicy",
    "PersonalDataErasure",
]


class DigestSubscription(models.Model):
    """A user's e-mail digests: which they receive, and the day each was last sent (a job run twice
    on one day sends nothing the second time)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_subscription",
    )
    daily = models.BooleanField(_("daily digest"), default=True)
    weekly = models.BooleanField(_("weekly digest"), default=True)
    daily_sent_on = models.DateField(_("daily digest last sent"), null=True, blank=True)
    weekly_sent_on = models.DateField(_("weekly digest last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self) -> str:
        return str(self.user)
