"""Sales plans per account, KAM or department and period, and the management policy."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Department
from sales.models import ProductLine

from .periods import Period
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
        _("strategic accounts at most (% of customers)"),
        default=DEFAULTS.strategic_share_cap,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("management policy")
        verbose_name_plural = _("management policies")

    def __str__(self) -> str:
        return (
            f"Management policy of {self.created_at:%Y-%m-%d %H:%M}"
            if self.created_at
            else "Management policy"
        )


class SalesPlan(models.Model):
    """A revenue target for one account, one KAM or one department over one period, for every
    product line or for one."""

    class PeriodKind(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(
        _("period start"), help_text=_("The first day of the month, quarter or year")
    )
    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sales_plans",
        verbose_name=_("account"),
    )
    kam = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sales_plans",
        verbose_name=_("KAM"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sales_plans",
        verbose_name=_("department"),
    )
    product_line = models.ForeignKey(
        ProductLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product line"),
        help_text=_("Empty: every product line"),
    )
    amount = models.DecimalField(_("planned revenue"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # Optimistic lock: an edit made on a stale copy is refused instead of overwriting.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period_start", "period_kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(account__isnull=False, kam__isnull=True, department__isnull=True)
                    | Q(account__isnull=True, kam__isnull=False, department__isnull=True)
                    | Q(account__isnull=True, kam__isnull=True, department__isnull=False)
                ),
                name="sales_plan_one_target",
                violation_error_message=_("A plan is for exactly one account, one KAM or one department."),
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="sales_plan_amount_not_negative"),
            models.UniqueConstraint(
                fields=["account", "kam", "department", "period_kind", "period_start", "product_line"],
                name="sales_plan_once_per_target_period_line",
                nulls_distinct=False,
                violation_error_message=_("This target already has a plan for that period and product line."),
            ),
        ]
        indexes = [
            models.Index(fields=["period_kind", "period_start"], name="sales_plan_period_idx"),
            models.Index(fields=["kam", "period_start"], name="sales_plan_kam_idx"),
            models.Index(fields=["account", "period_start"], name="sales_plan_account_idx"),
            models.Index(fields=["department", "period_start"], name="sales_plan_department_idx"),
        ]

    def __str__(self) -> str:
        target = self.account or self.kam or self.department
        return f"{target} {self.period} {self.product_line or ''}".strip()

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.period_start)
