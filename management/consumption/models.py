"""Bulk runs of the semester consumption report and the files they wrote."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Account


class ConsumptionRun(models.Model):
    """One bulk run: the reports of one half-year for every account its starter may see (every
    account for the scheduled run), with its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    half = models.CharField(_("half-year"), max_length=6, help_text=_('As "2026H1"'))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    scheduled = models.BooleanField(
        _("scheduled"),
        default=False,
        help_text=_("Started by the schedule after the half-year closed: every account"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    total = models.PositiveIntegerField(
        _("accounts in all"), default=0, help_text=_("Accounts to write reports for")
    )
    done = models.PositiveIntegerField(
        _("accounts done"), default=0, help_text=_("Accounts whose reports are written")
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["started_by", "-created_at"], name="consumption_run_starter_idx")]

    def __str__(self) -> str:
        return _("Consumption reports %(half)s (%(status)s)") % {
            "half": self.half,
            "status": self.get_status_display(),
        }

    def get_absolute_url(self) -> str:
        return reverse("management:consumption-run", args=[self.pk])

    @property
    def half_label(self) -> str:
        """ "H1 2026", as the reports print it."""
        return f"H{self.half[-1]} {self.half[:4]}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.is_finished or not self.total else min(100, self.done * 100 // self.total)


def report_path(instance: ConsumptionReportFile, filename: str) -> str:
    """reports/consumption/<half>/<run>/<file>: a run's files side by side, runs never mixed."""
    return f"reports/consumption/{instance.run.half}/{instance.run_id}/{filename}"


class ConsumptionReportFile(models.Model):
    """The workbook and PDF a run wrote for one account."""

    run = models.ForeignKey(
        ConsumptionRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="files"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("The file name the client sees, without extension")
    )
    xlsx = models.FileField(_("XLSX file"), upload_to=report_path, max_length=300)
    pdf = models.FileField(_("PDF file"), upload_to=report_path, max_length=300)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "account"], name="consumption_file_one_per_account")
        ]

    def __str__(self) -> str:
        return self.name
