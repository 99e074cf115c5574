"""Complaint cases: a client's complaint followed from opening to the client's confirmation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact
from sales.models import ImportBatch, ProductLine, SalesLine

from .base import AccountScopedQuerySet


def past_sla_q(today: dt.date) -> Q:
    """Unresolved after the due date: the query twin of `ComplaintCase.is_past_sla`."""
    return Q(status__in=ComplaintCase.UNRESOLVED, due_on__lt=today)


class ComplaintQuerySet(AccountScopedQuerySet):
    def unresolved(self) -> ComplaintQuerySet:
        """Open or in progress: still the company's move."""
        return self.filter(status__in=ComplaintCase.UNRESOLVED)

    def past_sla(self, today: dt.date | None = None) -> ComplaintQuerySet:
        """Unresolved after their due date (as of `today`, by default the local date)."""
        return self.filter(past_sla_q(today or timezone.localdate()))


class ComplaintCase(models.Model):
    """A complaint of the client, with an owner, a due date from the SLA of its severity, and a life:
    open → in progress → resolved → confirmed by the client (a resolved case may be reopened)."""

    class Severity(models.TextChoices):
        LOW = "low", _("Low")
        MEDIUM = "medium", _("Medium")
        HIGH = "high", _("High")
        CRITICAL = "critical", _("Critical")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CONFIRMED = "confirmed", _("Confirmed by the client")

    UNRESOLVED = (Status.OPEN, Status.IN_PROGRESS)

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="complaint_cases", verbose_name=_("account")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaint_cases",
        verbose_name=_("contact"),
    )  # fmt: skip
    product_line = models.ForeignKey(
        ProductLine, on_delete=models.PROTECT, null=True, blank=True, related_name="complaint_cases",
        verbose_name=_("product line"),
    )  # fmt: skip
    severity = models.CharField(_("severity"), max_length=12, choices=Severity.choices)
    description = models.TextField(_("description"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaint_cases",
        verbose_name=_("owner"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField(_("due on"), help_text=_("From the SLA of the severity (management policy)."))
    resolution = models.TextField(_("resolution"), blank=True)
    resolution_cost = models.DecimalField(
        _("cost of the resolution"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    sales_lines = models.ManyToManyField(
        SalesLine, blank=True, related_name="complaint_cases", verbose_name=_("sales lines concerned")
    )
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaint_cases",
        verbose_name=_("import batch concerned"),
    )  # fmt: skip
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The due date whose breach was announced (the nightly check): each breach is announced once,
    # and a new due date (another severity) can be breached, and announced, again.
    sla_breach_announced_for = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint case")
        verbose_name_plural = _("complaint cases")
        ordering = ["-opened_at", "-pk"]
        indexes = [
            models.Index(fields=["account", "-opened_at"], name="complaint_account_idx"),
            models.Index(fields=["status", "due_on"], name="complaint_status_due_idx"),
            models.Index(fields=["owner", "status"], name="complaint_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution_cost__isnull=True) | Q(resolution_cost__gte=0),
                name="complaint_cost_not_negative",
            ),
            # Resolved and confirmed cases say how; open ones may keep an earlier, reopened resolution.
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "confirmed"])
                | (~Q(resolution="") & Q(resolved_at__isnull=False)),
                name="complaint_resolved_has_resolution",
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="complaint_confirmed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_severity_display()} complaint · {self.account} · {self.opened_at:%Y-%m-%d}"

    @property
    def is_past_sla(self) -> bool:
        return self.status in self.UNRESOLVED and self.due_on < timezone.localdate()
