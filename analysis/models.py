"""Segmentation policies, runs and their per-account results (append-only snapshots)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Account
from common.model_fields import JSONTextField

from .engine.policy import Policy

# The defaults of every policy field are the engine's (stated once, in analysis.engine.policy).
DEFAULTS = Policy()


class AnalysisPolicy(models.Model):
    """The segmentation parameters. Versioned: an edit adds a row; the newest one is in force."""

    class Basis(models.TextChoices):
        REVENUE = "revenue", _("Revenue")
        MARGIN = "margin", _("Margin")

    class XyzMethod(models.TextChoices):
        CV = "cv", _("Coefficient of variation")
        FREQUENCY = "frequency", _("Purchase frequency")

    class KeyAccounts(models.TextChoices):
        FLAGGED = "flagged", _("Key-client type or strategic")
        # xgettext:no-python-format
        ABC_A = "abc_a", _("Class A (about 80 % of sales by construction)")
        BOTH = "both", _("Class A, key-client type or strategic")

    SHARE_RANGE = [MinValueValidator(0), MaxValueValidator(1)]
    basis = models.CharField(_("basis"), max_length=8, choices=Basis.choices, default=DEFAULTS.basis)
    window_months = models.PositiveSmallIntegerField(
        _("window (months)"),
        default=DEFAULTS.window_months,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    abc_a = models.DecimalField(
        _("A up to (cumulative share)"),
        default=DEFAULTS.abc_a,
        max_digits=5,
        decimal_places=4,
        validators=SHARE_RANGE,
    )
    abc_b = models.DecimalField(
        _("B up to (cumulative share)"),
        default=DEFAULTS.abc_b,
        max_digits=5,
        decimal_places=4,
        validators=SHARE_RANGE,
    )
    xyz_method = models.CharField(
        _("XYZ method"), max_length=10, choices=XyzMethod.choices, default=DEFAULTS.xyz_method
    )
    xyz_x = models.DecimalField(_("X threshold"), default=DEFAULTS.xyz_x, max_digits=6, decimal_places=4)
    xyz_y = models.DecimalField(_("Y threshold"), default=DEFAULTS.xyz_y, max_digits=6, decimal_places=4)
    min_months = models.PositiveSmallIntegerField(
        _("minimum months of history"), default=DEFAULTS.min_months, validators=[MinValueValidator(1)]
    )
    key_accounts = models.CharField(
        _("key accounts"), max_length=8, choices=KeyAccounts.choices, default=DEFAULTS.key_accounts
    )
    # Churn status (ARCHITECTURE.md): with >= 2 purchase dates lost when the days since the last one
    # exceed max(multiplier x median interval, minimum days), at risk likewise; one date: fixed days.
    lost_interval_multiplier = models.DecimalField(
        _("Lost after (x median interval)"),
        default=DEFAULTS.lost_interval_multiplier,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    lost_min_days = models.PositiveSmallIntegerField(
        _("Lost after at least (days)"), default=DEFAULTS.lost_min_days
    )
    at_risk_interval_multiplier = models.DecimalField(
        _("At risk after (x median interval)"),
        default=DEFAULTS.at_risk_interval_multiplier,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    at_risk_min_days = models.PositiveSmallIntegerField(
        _("At risk after at least (days)"), default=DEFAULTS.at_risk_min_days
    )
    single_lost_days = models.PositiveSmallIntegerField(
        _("One purchase: lost after (days)"), default=DEFAULTS.single_lost_days
    )
    single_at_risk_days = models.PositiveSmallIntegerField(
        _("One purchase: at risk after (days)"), default=DEFAULTS.single_at_risk_days
    )
    churn_horizon_months = models.PositiveSmallIntegerField(
        _("Churn risk horizon (months)"),
        default=DEFAULTS.churn_horizon_months,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("analysis policy")
        verbose_name_plural = _("analysis policies")

    def __str__(self) -> str:
        return f"Policy #{self.pk} ({self.basis}, {self.window_months} months, XYZ by {self.xyz_method})"


class AnalysisRun(models.Model):
    """One segmentation as of a date. Its segments are visible only once it is complete."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        COMPLETE = "complete", _("Complete")
        FAILED = "failed", _("Failed")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nightly")
        MANUAL = "manual", _("Manual")
        API = "api", _("API")
        COMMAND = "command", _("Command")
        DEMO = "demo", _("Demo data")

    as_of = models.DateField(_("as of"))
    window_first = models.DateField(_("window from"), null=True, blank=True)
    policy = models.ForeignKey(
        AnalysisPolicy, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    policy_values = models.JSONField(
        _("policy values"), default=dict, help_text=_("The parameters this run used")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.MANUAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    input_hash = models.CharField(_("input fingerprint"), max_length=64, blank=True)
    result_hash = models.CharField(_("result fingerprint"), max_length=64, blank=True)
    account_count = models.PositiveIntegerField(_("accounts"), default=0)
    concentration = models.JSONField(default=dict, blank=True)
    pareto = models.JSONField(default=list, blank=True)
    churn_model = models.JSONField(
        default=dict, blank=True, help_text=_("How the churn risk score was made: method, cut-offs, fit")
    )
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = _("analysis run")
        verbose_name_plural = _("analysis runs")
        indexes = [models.Index(fields=["status", "as_of"], name="analysisrun_status_asof_idx")]

    def __str__(self) -> str:
        return f"Run #{self.pk} as of {self.as_of}"

    @property
    def cache_key(self) -> str:
        """The run in a cache key: its id and creation moment, as a rebuilt or restored database (a
        test database) may give the id to another run."""
        return f"{self.pk}.{self.created_at.timestamp():.6f}"

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None

    @property
    def churn_horizon_months(self) -> int:
        """The months the run's churn risk looks ahead (the default for a run that did not record it)."""
        return int(self.policy_values.get("churn_horizon_months", DEFAULTS.churn_horizon_months))


class AccountSegment(models.Model):
    """One account's classes and figures in one run."""

    class ChurnStatus(models.TextChoices):
        """The run's rhythm status of a customer: the account's buying statuses but "prospect"."""

        ACTIVE = Account.Status.ACTIVE.value, Account.Status.ACTIVE.label
        AT_RISK = Account.Status.AT_RISK.value, Account.Status.AT_RISK.label
        LOST = Account.Status.LOST.value, Account.Status.LOST.label

    # No index of its own: the (run, …) indexes below lead with it. With one, the planner picked it
    # for a run newer than the statistics (estimated one row) and filtered 10k rows per account look-up.
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="segments", db_index=False)
    # No index of its own either: the unique (account, run) below leads with it. One index fewer for
    # the nightly run to fill; with (run, account) and (account) it spent ~0.45 s of a 100k-account
    # run in them (the accounts arrive in rank order, so both were filled at random pages).
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="segments", db_index=False)
    rank = models.PositiveIntegerField(_("rank"))
    abc_class = models.CharField(_("ABC class"), max_length=1)
    xyz_class = models.CharField(_("XYZ class"), max_length=3)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    share = models.FloatField(_("share of value"))
    cum_share = models.FloatField(_("cumulative share"))
    cv = models.FloatField(_("CV of monthly value"), null=True, blank=True)
    months = models.PositiveSmallIntegerField(_("months measured"))
    monthly_mean = models.DecimalField(max_digits=16, decimal_places=2)
    monthly_std = models.DecimalField(max_digits=16, decimal_places=2)
    months_with_purchase = models.PositiveSmallIntegerField()
    orders = models.PositiveIntegerField(help_text=_("Distinct purchase dates in the window"))
    purchase_dates = models.PositiveIntegerField(help_text=_("Distinct purchase dates, all history"))
    months_active = models.PositiveSmallIntegerField()
    # None for an account whose lines are all returns: it is in the run but never bought.
    first_purchase = models.DateField(null=True, blank=True)
    last_purchase = models.DateField(null=True, blank=True)
    days_since_last_purchase = models.PositiveIntegerField(null=True, blank=True)
    median_interval_days = models.FloatField(null=True, blank=True)
    churn_status = models.CharField(
        _("buying status in the run"), max_length=8, choices=ChurnStatus.choices, default=ChurnStatus.ACTIVE
    )
    churn_score = models.FloatField(
        null=True, blank=True, help_text=_("Probability of no purchase in the policy's churn horizon")
    )
    churn_drivers = JSONTextField(  # written with every segment of every run, never searched inside
        default=list,
        blank=True,
        help_text=_("The features that drive the score: feature, value, contribution"),
    )
    key_account = models.BooleanField(
        default=False, help_text=_("Counted as a key account in the concentration (the policy's rule)")
    )
    # Kept with the run so that the at-risk list sorts by it without summing the rollups of every
    # visible account on each page; empty in runs made before it was kept.
    revenue_last_12_months = models.DecimalField(
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Revenue of the 12 calendar months to the as-of month: what is at stake if the account goes"
        ),
    )

    class Meta:
        ordering = ["run", "rank"]
        verbose_name = _("account segment")
        verbose_name_plural = _("account segments")
        constraints = [models.UniqueConstraint(fields=["account", "run"], name="segment_once_per_run")]
        indexes = [
            models.Index(fields=["run", "abc_class", "xyz_class"], name="segment_run_classes_idx"),
            models.Index(fields=["run", "churn_status"], name="segment_run_churn_idx"),
            # The segment list's page in rank (= value) order reads 25 rows, not every visible one.
            models.Index(fields=["run", "rank"], name="segment_run_rank_idx"),
            # "Does this run keep the 12 months' value?" (runs made before it was kept): empty for
            # every later run, so the check reads nothing instead of the run's segments.
            models.Index(
                fields=["run"],
                condition=models.Q(revenue_last_12_months__isnull=True),
                name="segment_run_no_12m_idx",
            ),
            # The at-risk card and list, most value first: the first rows in order, not a sort of all.
            models.Index("run", models.F("revenue_last_12_months").desc(), name="segment_run_12m_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.abc_class}{self.xyz_class} in run {self.run_id}"
