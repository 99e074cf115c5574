"""Win-back campaigns: a goal, a method and a budget, the lost accounts targeted, what came back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, User, of_visible_accounts
from dossiers.models.base import AccountScopedQuerySet

from .churn import ChurnStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.forms import ModelForm


class CampaignQuerySet(models.QuerySet["WinBackCampaign"]):
    def visible_to(self, user: User | AnonymousUser) -> CampaignQuerySet:
        """Its creator, anyone who sees one of its targets, heads of its department, admins, analysts."""
        if not user.is_authenticated:
            return self.none()
        if user.is_admin_role or user.is_analyst:
            return self.all()
        targets = CampaignTarget.objects.filter(of_visible_accounts(user))
        condition = Q(created_by=user) | Q(pk__in=targets.values("campaign_id"))
        if user.is_head:
            condition |= Q(department__in=user.departments.all())
        return self.filter(condition).distinct()


class WinBackCampaign(models.Model):
    class Method(models.TextChoices):
        SPECIAL_OFFER = "special_offer", _("Special offer")
        GIFT = "gift", _("Gift")
        DISCOUNT = "discount", _("Discount")
        PERSONAL_VISIT = "personal_visit", _("Personal visit")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    goal = models.TextField(_("goal"))
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, default=0)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    department = models.ForeignKey(
        "accounts.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("win-back campaign")
        verbose_name_plural = _("win-back campaigns")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(budget__gte=0), name="campaign_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class CampaignTarget(models.Model):
    """One account in a campaign: the steps taken and how it ended."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("In progress")
        WON_BACK = "won_back", _("Won back")
        DECLINED = "declined", _("Declined")
        NO_ANSWER = "no_answer", _("No answer")

    campaign = models.ForeignKey(
        WinBackCampaign, on_delete=models.CASCADE, related_name="targets", verbose_name=_("campaign")
    )
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="winback_targets", verbose_name=_("account")
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # What the account looked like when targeted: status and the 12 months' value before the start.
    status_at_start = models.CharField(max_length=8, blank=True, verbose_name=_("status at start"))
    value_before = models.DecimalField(
        max_digits=16, decimal_places=2, default=0, verbose_name=_("value in the 12 months before")
    )
    added_at = models.DateTimeField(auto_now_add=True, verbose_name=_("added"))
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AccountScopedQuerySet.as_manager()

    # Not stored; set by the campaign page on each row of its results.
    editable: bool
    form: ModelForm

    class Meta:
        verbose_name = _("campaign target")
        verbose_name_plural = _("campaign targets")
        ordering = ["campaign", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "account"], name="target_once_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.account} in {self.campaign}"

    @property
    def status_at_start_label(self) -> str:
        labels = dict(ChurnStatus.choices)
        return str(labels.get(self.status_at_start, "")) if self.status_at_start else ""


class CampaignStepQuerySet(AccountScopedQuerySet):
    account_lookup = "target__account"


class CampaignStep(models.Model):
    """Something done to win a target back: a call, the offer sent, the visit."""

    target = models.ForeignKey(
        CampaignTarget, on_delete=models.CASCADE, related_name="steps", verbose_name=_("target")
    )
    on = models.DateField(_("date"))
    action = models.CharField(_("what was done"), max_length=255)
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    objects = CampaignStepQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign step")
        verbose_name_plural = _("campaign steps")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return self.action
