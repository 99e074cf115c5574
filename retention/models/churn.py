"""When an account's churn status changes, who is told, and what the client declined and why."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User
from analysis.models import AccountSegment
from dossiers.models.base import AccountScopedQuerySet
from sales.models import ProductLine

ChurnStatus = AccountSegment.ChurnStatus


class Reason(models.TextChoices):
    """Why a client refuses or leaves (DOMAIN.md): the same list for refusals and losses."""

    SERVICE_DROP = "service_drop", _("Service or quality drop")
    MISSED_DEADLINES = "missed_deadlines", _("Missed deadlines")
    IGNORED_OPINION = "ignored_opinion", _("Opinion ignored")
    PRICE = "price", _("Price")
    COMPETITOR = "competitor", _("Competitor")
    NO_NEED = "no_need", _("No need")
    FORGOTTEN = "forgotten", _("Forgotten: nobody kept in touch")
    OTHER = "other", _("Other")


class StatusTransition(models.Model):
    """An account's churn status changed between two segmentation runs (at risk, lost, recovered)."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="churn_transitions", verbose_name=_("account")
    )
    run = models.ForeignKey(
        "analysis.AnalysisRun",
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("analysis run"),
    )
    old_status = models.CharField(_("from"), max_length=8, choices=ChurnStatus.choices, blank=True)
    new_status = models.CharField(_("to"), max_length=8, choices=ChurnStatus.choices)
    on = models.DateField(_("as of"))
    days_since_last_purchase = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("days since last purchase")
    )
    median_interval_days = models.FloatField(null=True, blank=True, verbose_name=_("usual interval (days)"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["run", "account"], name="transition_once_per_run")]
        indexes = [models.Index(fields=["account", "-on"], name="transition_account_idx")]

    def __str__(self) -> str:
        return f"{self.account_id}: {self.old_status or '—'} → {self.new_status} on {self.on}"

    @property
    def recovered(self) -> bool:
        return self.new_status == ChurnStatus.ACTIVE and self.old_status in (
            ChurnStatus.AT_RISK,
            ChurnStatus.LOST,
        )


class Notification(models.Model):
    """An in-app message to one user (also e-mailed when mail is configured)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("account")
    )
    kind = models.CharField(max_length=24, verbose_name=_("kind"))
    title = models.CharField(max_length=255, verbose_name=_("title"))
    body = models.TextField(blank=True, verbose_name=_("body"))
    url = models.CharField(max_length=255, blank=True, verbose_name=_("link"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title


class Refusal(models.Model):
    """The client declined an order, a proposal or a product line: when, which direction, why."""

    class Kind(models.TextChoices):
        ORDER = "order", _("Order")
        PROPOSAL = "proposal", _("Proposal")
        PRODUCT_LINE = "product_line", _("Product line")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="refusals", verbose_name=_("account")
    )
    on = models.DateField(_("date"))
    kind = models.CharField(_("what was declined"), max_length=14, choices=Kind.choices, default=Kind.ORDER)
    product_line = models.ForeignKey(
        ProductLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refusals",
        verbose_name=_("direction (product line)"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    text = models.TextField(_("details"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["account", "-on"], name="refusal_account_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} declined by {self.account} on {self.on}"


class LossRecord(models.Model):
    """Why an account was lost, as the KAM recorded it (the loss analysis reads these)."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="losses", verbose_name=_("account")
    )
    lost_on = models.DateField(_("lost on"))
    reason = models.CharField(_("main reason"), max_length=20, choices=Reason.choices)
    product_line = models.ForeignKey(
        ProductLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="losses",
        verbose_name=_("direction (product line)"),
    )
    competitor = models.ForeignKey(
        "dossiers.Competitor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="won_accounts",
        verbose_name=_("competitor"),
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    # The first purchase after lost_on, set by the nightly run: the account is recovered. Until then
    # the loss keeps the account's buying status "lost", whatever its rhythm says.
    recovered_on = models.DateField(_("recovered on"), null=True, blank=True, editable=False)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("loss record")
        verbose_name_plural = _("loss records")
        ordering = ["-lost_on", "-pk"]
        indexes = [
            models.Index(
                fields=["account"], condition=models.Q(recovered_on__isnull=True), name="loss_open_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} lost on {self.lost_on} ({self.get_reason_display()})"

    @property
    def is_open(self) -> bool:
        return self.recovered_on is None
