"""The yearly account plan: goals, joint activities, actions with owners."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account

from .base import AccountScopedQuerySet


class AccountPlan(models.Model):
    """The account's plan for a year. Its revenue target is the account's yearly sales plan
    (sales.SalesPlan), stated there once."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="plans", verbose_name=_("account")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    share_of_wallet_target = models.DecimalField(
        _("share of wallet target (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    joint_activities = models.TextField(_("joint activities and promotions"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("account plan")
        verbose_name_plural = _("account plans")
        ordering = ["account", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="plan_once_per_account_year"),
            models.CheckConstraint(
                condition=Q(share_of_wallet_target__isnull=True)
                | Q(share_of_wallet_target__gte=0, share_of_wallet_target__lte=100),
                name="plan_share_of_wallet_0_to_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.year}"


class PlanActionQuerySet(AccountScopedQuerySet):
    account_lookup = "plan__account"


class PlanAction(models.Model):
    plan = models.ForeignKey(
        AccountPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("account plan")
    )
    title = models.CharField(_("title"), max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["plan", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="plan_action_progress_0_to_100"),
        ]

    def __str__(self) -> str:
        return self.title
