"""The sales ledger: lines as imported, the batches they came in, the rollups the analytics read,
and the sales plans they are measured against."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Department

from .periods import Period


class ProductLine(models.Model):
    """A "direction" of sales: the product group a line belongs to."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name or self.code


class ImportBatch(models.Model):
    """One import: who, when, from what, what it did, and what was wrong with it."""

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Upload")
        COMMAND = "command", _("Command")
        API_FILE = "api_file", _("API file")
        API_JSON = "api_json", _("API JSON")
        API_SYNC = "api_sync", _("API sync")
        DEMO = "demo", _("Demo data")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        CHECKED = "checked", _("Checked (dry run, nothing written)")
        REFUSED = "refused", _("Refused (bad input)")
        FAILED = "failed", _("Failed")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    upload = models.FileField(_("uploaded file"), upload_to="imports/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True, db_index=True)
    options = models.JSONField(_("reading options"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    rows = models.PositiveIntegerField(_("rows read"), default=0)
    inserted = models.PositiveIntegerField(_("lines inserted"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates skipped"), default=0)
    rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    accounts_created = models.PositiveIntegerField(_("accounts created"), default=0)
    # Every bad row: {"row": n, "column": name, "value": text, "reason": text} (first 1,000 kept).
    errors = models.JSONField(_("problems"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("number of problems"), default=0)
    message = models.TextField(_("message"), blank=True)
    rejects = models.FileField(_("rejected rows file"), upload_to="imports/rejects/%Y/%m/", blank=True)
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rolled back by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return str(
            _("Import #%(number)s %(name)s")
            % {"number": self.pk, "name": self.file_name or self.get_source_display()}
        )

    def get_absolute_url(self) -> str:
        return reverse("sales:batch", args=[self.pk])

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.PENDING, self.Status.RUNNING)


class SalesLine(models.Model):
    """One invoice or credit-note line. Negative amounts are returns; zero-amount lines are kept."""

    # The (account, date) index serves the account look-ups; no separate one on the key alone.
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        related_name="sales_lines",
        db_index=False,
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3, null=True, blank=True)
    margin = models.DecimalField(_("margin"), max_digits=14, decimal_places=2, null=True, blank=True)
    # The import inserts lines by joining the product lines and batches it has just written, so the
    # database checks of these two keys (a third of a large import's time) add no safety.
    product_line = models.ForeignKey(
        ProductLine,
        verbose_name=_("product line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    # Text, exactly as imported; unique when given, so re-imports insert nothing twice.
    external_id = models.CharField(_("external id"), max_length=64, null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name=_("batch"),
        on_delete=models.PROTECT,
        related_name="lines",
        db_constraint=False,
    )
    # When the source system last changed the line (the sync endpoint): an older version is ignored.
    updated_at = models.DateTimeField(_("changed in the source"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["external_id"], name="salesline_external_id_unique")]
        indexes = [models.Index(fields=["account", "date"], name="salesline_account_date_idx")]

    def __str__(self) -> str:
        return f"{self.date} {self.account_id} {self.amount}"


class MonthlySales(models.Model):
    """Rollup per account, calendar month and product line; always equal to the lines it sums."""

    # Derived from the lines in the same transaction: no database checks of the keys.
    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    month = models.DateField(_("month"), help_text=_("First day of the month"))
    product_line = models.ForeignKey(
        ProductLine,
        verbose_name=_("product line"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    revenue = models.DecimalField(_("revenue"), max_digits=16, decimal_places=2)
    margin = models.DecimalField(_("margin"), max_digits=16, decimal_places=2)
    margin_lines = models.PositiveIntegerField(_("margin lines"), help_text=_("Lines that carried a margin"))
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3)
    line_count = models.PositiveIntegerField(_("line count"))
    purchase_dates = models.PositiveIntegerField(
        _("purchase dates"), help_text=_("Distinct dates with a line")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "month", "product_line"],
                name="monthly_sales_key",
                nulls_distinct=False,
            )
        ]
        verbose_name_plural = _("monthly sales")

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m} {self.product_line_id or '-'}: {self.revenue}"


class DailySales(models.Model):
    """Rollup per account and date with a line: the account's buying rhythm.

    A date is a purchase date when at least one of its lines is not negative (a zero-amount line is a
    delivery, e.g. a free one); a date whose every line is negative (returns only) is not.
    """

    account = models.ForeignKey(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    date = models.DateField(_("date"))
    revenue = models.DecimalField(_("revenue"), max_digits=16, decimal_places=2)
    margin = models.DecimalField(_("margin"), max_digits=16, decimal_places=2)
    line_count = models.PositiveIntegerField(_("line count"))
    purchase_lines = models.PositiveIntegerField(
        _("purchase lines"),
        default=0,
        help_text=_("Lines of the day that are not negative: more than 0 makes it a purchase date"),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "date"], name="daily_sales_key")]
        verbose_name_plural = _("daily sales")

    def __str__(self) -> str:
        return f"{self.account_id} {self.date}: {self.revenue}"


class AccountRhythm(models.Model):
    """Rollup per account of its daily rows: when it bought, how often, and every purchase date.

    Rebuilt from `DailySales` for the accounts an import touched (sales/rhythm.py), so the nightly
    run reads one row per account. A purchase date is a date of `DailySales` with a line that is
    not negative.
    """

    account = models.OneToOneField(
        Account,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    first_line = models.DateField(_("first line"), help_text=_("First date with a line, returns included"))
    last_line = models.DateField(_("last line"), help_text=_("Last date with a line, returns included"))
    first_purchase = models.DateField(_("first purchase"), null=True, blank=True)
    last_purchase = models.DateField(_("last purchase"), null=True, blank=True)
    purchase_dates = models.PositiveIntegerField(_("purchase dates"), help_text=_("Distinct purchase dates"))
    median_gap_days = models.FloatField(
        _("median days between purchases"),
        null=True,
        blank=True,
        help_text=_("Median of the days between consecutive purchase dates"),
    )
    purchase_days = models.BinaryField(
        _("purchase days"),
        help_text=_("Every purchase date: days since 1970-01-01, 4 bytes big-endian each, ascending"),
    )
    months = models.BinaryField(
        _("months"),
        help_text=_(
            "Every month of the monthly rollup, ascending: months since 1970-01 (4 bytes), revenue and "
            "margin in cents (8 bytes each), big-endian"
        ),
    )

    def __str__(self) -> str:
        return f"{self.account_id}: {self.purchase_dates} purchase dates to {self.last_purchase}"


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
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

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
