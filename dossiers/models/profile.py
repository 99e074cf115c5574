"""The account's profile with its change history, the strategic assessment and the 3P qualification."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account

from .base import AccountScopedQuerySet

# An account whose assessment ticks at least this many criteria is treated as strategic.
STRATEGIC_MIN_SCORE = 3


class AccountProfile(models.Model):
    """What a KAM taking over the account must know about the client; every change is kept."""

    # Facts about the client kept once, on the Account, and edited with the profile.
    ACCOUNT_FIELDS = ("headcount", "annual_revenue")
    # The fields whose changes are written to ProfileChange (the account's facts included).
    TRACKED_FIELDS = (
        "description",
        "history",
        "org_structure",
        "environment",
        *ACCOUNT_FIELDS,
        "sales_forecast",
        "certificates",
        "achievements",
        "projects",
    )

    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, related_name="profile", verbose_name=_("account")
    )
    description = models.TextField(_("description"), blank=True)
    history = models.TextField(_("history"), blank=True)
    org_structure = models.TextField(_("organisational structure"), blank=True)
    environment = models.TextField(
        _("environment"), blank=True, help_text=_("The client's market and its own competitors.")
    )
    sales_forecast = models.DecimalField(
        _("client's sales forecast"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    certificates = models.TextField(_("certificates"), blank=True)
    achievements = models.TextField(_("achievements"), blank=True)
    projects = models.TextField(_("projects"), blank=True)
    next_review_due = models.DateField(_("next profile review due"), null=True, blank=True)
    # Optimistic lock: an edit made on a stale copy is refused instead of overwriting.
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("account profile")
        verbose_name_plural = _("account profiles")
        ordering = ["account"]
        indexes = [models.Index(fields=["next_review_due"], name="profile_review_due_idx")]

    def __str__(self) -> str:
        return str(_("Profile of %(account)s") % {"account": self.account})


class ProfileChangeQuerySet(AccountScopedQuerySet):
    account_lookup = "profile__account"


class ProfileChange(models.Model):
    """One field of a profile changed: who, when, old → new. Append-only."""

    profile = models.ForeignKey(
        AccountProfile, on_delete=models.CASCADE, related_name="changes", verbose_name=_("profile")
    )
    field = models.CharField(_("field"), max_length=40)
    old = models.TextField(_("old value"), blank=True)
    new = models.TextField(_("new value"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    objects = ProfileChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("profile change")
        verbose_name_plural = _("profile changes")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["profile", "-changed_at"], name="profile_change_time_idx")]

    def __str__(self) -> str:
        return f"{self.field}: {self.old!r} → {self.new!r}"


class StrategicAssessment(models.Model):
    """The strategic-client checklist (score = ticked criteria) and the privileges granted."""

    CRITERIA = (
        "money_volume_and_payment",
        "distributor",
        "volume",
        "profitability",
        "growth_potential",
        "loyalty",
        "test_client",
        "absorbs_slow_stock",
        "prestige_brand",
        "multinational",
        "pays_cash",
    )
    PRIVILEGES = (
        "priority_dispatch",
        "no_minimum_order",
        "production_priority",
        "personalised_invoicing",
        "controlled_contact_plan",
        "joint_plans_and_promotions",
    )

    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, related_name="strategic_assessment", verbose_name=_("account")
    )
    money_volume_and_payment = models.BooleanField(_("money volume and payment habits"), default=False)
    distributor = models.BooleanField(_("distributor"), default=False)
    volume = models.BooleanField(_("volume (units, kg)"), default=False)
    profitability = models.BooleanField(_("profitability"), default=False)
    growth_potential = models.BooleanField(_("growth potential"), default=False)
    loyalty = models.BooleanField(_("loyalty / continuity"), default=False)
    test_client = models.BooleanField(_("test client for new products"), default=False)
    absorbs_slow_stock = models.BooleanField(_("absorbs slow stock"), default=False)
    prestige_brand = models.BooleanField(_("prestige brand"), default=False)
    multinational = models.BooleanField(_("multinational"), default=False)
    pays_cash = models.BooleanField(_("pays cash"), default=False)
    priority_dispatch = models.BooleanField(_("priority dispatch"), default=False)
    no_minimum_order = models.BooleanField(_("no minimum order"), default=False)
    production_priority = models.BooleanField(_("production priority"), default=False)
    personalised_invoicing = models.BooleanField(_("personalised invoicing and collection"), default=False)
    controlled_contact_plan = models.BooleanField(_("controlled visit, call and budget plan"), default=False)
    joint_plans_and_promotions = models.BooleanField(_("joint plans and promotions"), default=False)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategic assessment")
        verbose_name_plural = _("strategic assessments")
        ordering = ["account"]

    def __str__(self) -> str:
        return str(
            _("Assessment of %(account)s (%(score)s)") % {"account": self.account, "score": self.score}
        )

    @property
    def score(self) -> int:
        """How many strategic criteria the account meets."""
        return sum(bool(getattr(self, name)) for name in self.CRITERIA)

    @property
    def is_strategic(self) -> bool:
        return self.score >= STRATEGIC_MIN_SCORE


class ProspectQualification(models.Model):
    """The 3P rule for a prospect: need, solvency, authority — each confirmed by someone, at a time."""

    CRITERIA = ("need", "solvency", "authority")

    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, related_name="qualification", verbose_name=_("account")
    )
    need_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("need confirmed by"),
    )
    need_confirmed_at = models.DateTimeField(_("need confirmed at"), null=True, blank=True)
    solvency_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("solvency confirmed by"),
    )
    solvency_confirmed_at = models.DateTimeField(_("solvency confirmed at"), null=True, blank=True)
    authority_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("authority confirmed by"),
    )
    authority_confirmed_at = models.DateTimeField(_("authority confirmed at"), null=True, blank=True)
    # Set once, when the last of the three is confirmed: the prospect is then a qualified prospect.
    qualified_at = models.DateTimeField(_("qualified at"), null=True, blank=True)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("prospect qualification")
        verbose_name_plural = _("prospect qualifications")
        ordering = ["account"]
        constraints = [
            models.CheckConstraint(
                condition=Q(qualified_at__isnull=True)
                | Q(
                    need_confirmed_at__isnull=False,
                    solvency_confirmed_at__isnull=False,
                    authority_confirmed_at__isnull=False,
                ),
                name="qualification_needs_all_three",
            ),
        ]

    def __str__(self) -> str:
        return str(_("3P qualification of %(account)s") % {"account": self.account})

    def is_confirmed(self, criterion: str) -> bool:
        return getattr(self, f"{criterion}_confirmed_at") is not None

    @property
    def is_qualified(self) -> bool:
        return all(self.is_confirmed(c) for c in self.CRITERIA)


__all__ = [
    "STRATEGIC_MIN_SCORE",
    "AccountProfile",
    "ProfileChange",
    "ProspectQualification",
    "StrategicAssessment",
]
