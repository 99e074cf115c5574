"""The interaction timeline and the tasks (reminders) that come out of it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact, User, of_visible_accounts

from .base import AccountScopedQuerySet

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


# The kinds that cost money and carry a value: what a service plan's budget is spent on.
VALUED_KINDS = ("gift", "greeting_card", "hospitality")


class Interaction(models.Model):
    """One touch with the client: a call, a meeting, a delivery, a complaint…"""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        VISIT = "visit", _("Visit")
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Letter")
        DELIVERY = "delivery", _("Delivery")
        COMPLAINT = "complaint", _("Complaint")
        FEEDBACK = "feedback", _("Feedback")
        REFERRAL = "referral", _("Referral")
        RECOMMENDATION_LETTER = "recommendation_letter", _("Recommendation letter")
        EXHIBITION = "exhibition", _("Exhibition")
        COMPETITOR_VISIT = "competitor_visit", _("Competitor visit")
        BUSINESS_REVIEW = "business_review", _("Business review")
        GIFT = "gift", _("Gift")
        GREETING_CARD = "greeting_card", _("Greeting card")
        HOSPITALITY = "hospitality", _("Hospitality")

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="interactions", verbose_name=_("account")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    summary = models.TextField(_("summary"))
    outcome = models.TextField(_("outcome"), blank=True)
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="interactions", verbose_name=_("contacts present")
    )
    users = models.ManyToManyField(
        User, blank=True, related_name="interactions", verbose_name=_("users present")
    )
    value = models.DecimalField(
        _("value"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What a gift, greeting card or hospitality cost (only for those kinds)."),
    )
    next_step = models.CharField(_("next step"), max_length=255, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
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
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["account", "-occurred_at"], name="interaction_timeline_idx"),
            models.Index(fields=["kind"], name="interaction_kind_idx"),
            # The newest first over everything a user sees (the API's list, a head's 30,000 at 10k
            # accounts): the first page walks this index instead of sorting every visible row.
            models.Index(fields=["-occurred_at", "-id"], name="interaction_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_step_due__isnull=True) | ~Q(next_step=""),
                name="interaction_due_date_needs_next_step",
            ),
            # A gift, card or hospitality has a value of zero or more; no other kind has one.
            models.CheckConstraint(
                condition=Q(kind__in=VALUED_KINDS, value__isnull=False, value__gte=0)
                | (~Q(kind__in=VALUED_KINDS) & Q(value__isnull=True)),
                name="interaction_value_only_for_gifts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.account} · {self.occurred_at:%Y-%m-%d}"


class TaskQuerySet(AccountScopedQuerySet):
    def visible_to(self, user: User | AnonymousUser) -> TaskQuerySet:
        """One's own tasks, and the tasks on accounts one may see."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role or user.is_analyst:
            return self.all()
        return self.filter(Q(owner=user) | of_visible_accounts(user))

    def open(self) -> TaskQuerySet:
        return self.filter(done=False)

    def overdue(self, today: dt.date) -> TaskQuerySet:
        """Still open after the day they were due: the query twin of `Task.is_overdue`."""
        return self.open().filter(due_on__lt=today)


class Task(models.Model):
    """Something a user has to do by a date, optionally about an account, interaction or tender."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("owner"))
    title = models.CharField(_("title"), max_length=255)
    due_on = models.DateField(_("due on"))
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("account"),
    )
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("interaction"),
    )
    tender = models.ForeignKey(
        "dossiers.Tender",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("tender"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["done", "due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done", "due_on"], name="task_owner_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done=False, done_at__isnull=True) | Q(done=True, done_at__isnull=False),
                name="task_done_at_iff_done",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"

    def is_overdue(self, today: dt.date) -> bool:
        """Still open after the day it was due."""
        return not self.done and self.due_on < today
