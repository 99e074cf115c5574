"""Signed webhooks: a user's subscriptions to events and the log of every delivery attempt."""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User

EVENTS = (
    "account.created",
    "account.updated",
    "account.status_changed",
    "segment.changed",
    "analysis_run.completed",
    "import.finished",
    "proposal.status_changed",
    "complaint.opened",
    "complaint.past_sla",
)


def new_secret() -> str:
    return f"whsec_{secrets.token_hex(24)}"


class WebhookSubscription(models.Model):
    owner = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="webhook_subscriptions", verbose_name=_("owner")
    )
    target_url = models.URLField(_("target URL"), max_length=500)
    events = models.JSONField(_("events"), default=list, help_text=_("The event names to deliver."))
    secret = models.CharField(_("secret"), max_length=80, default=new_secret, editable=False)
    active = models.BooleanField(_("active"), default=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    paused_reason = models.CharField(_("paused because"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.target_url

    def wants(self, event: str) -> bool:
        return self.active and event in self.events


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        RETRYING = "retrying", _("retrying")
        CANCELLED = "cancelled", _("cancelled")

    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("subscription"),
    )
    event = models.CharField(_("event"), max_length=40)
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4)
    # The account the event is about: checked against the owner's visibility when it is sent.
    account = models.ForeignKey(
        Account, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("account")
    )
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_code = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    response_ms = models.PositiveIntegerField(_("response time (ms)"), null=True, blank=True)
    response_body = models.TextField(_("response body"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["subscription", "-created_at"], name="webhook_delivery_log_idx"),
            # The sweep's question, over the unsettled few of a log that keeps every attempt.
            models.Index(
                fields=["status", "next_attempt_at"],
                name="webhook_delivery_due_idx",
                condition=models.Q(status__in=["pending", "retrying"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id}"
