"""The strategic client's yearly service plan: visits, calls, reviews and a budget for gifts."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account

from .base import AccountScopedQuerySet


class ServicePlan(models.Model):
    """How much contact a strategic account gets in a year; set against the logged interactions."""

    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="service_plans", verbose_name=_("account")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    visits = models.PositiveSmallIntegerField(_("visits"), default=0, validators=[MaxValueValidator(1000)])
    calls = models.PositiveSmallIntegerField(_("calls"), default=0, validators=[MaxValueValidator(5000)])
    reviews = models.PositiveSmallIntegerField(
        _("business reviews"), default=0, validators=[MaxValueValidator(100)]
    )
    budget = models.DecimalField(
        _("budget for special services and gifts"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    note = models.TextField(_("note"), blank=True)
    # Optimistic lock: an edit made on a stale copy is refused instead of overwriting.
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service plan")
        verbose_name_plural = _("service plans")
        ordering = ["account", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["account", "year"], name="service_plan_one_per_year"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="service_plan_budget_not_negative"),
        ]
        indexes = [models.Index(fields=["year"], name="service_plan_year_idx")]

    def __str__(self) -> str:
        return str(_("Service plan %(year)s of %(account)s") % {"year": self.year, "account": self.account})
