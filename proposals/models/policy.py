"""The proposal policy: versioned, an edit adds a row and the newest one is in force."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..policy import DEFAULTS, FOLLOW_UP_STEPS

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def default_follow_up_steps() -> list[dict[str, object]]:
    return [dict(step) for step in FOLLOW_UP_STEPS]


def validate_follow_up_steps(value: object) -> None:
    """A list of {"key", "title", "working_days"} with distinct keys and 0-60 working days."""
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Give at least one follow-up step."))
    keys = set()
    for position, step in enumerate(value, start=1):
        if not isinstance(step, dict) or not {"key", "title", "working_days"} <= set(step):
            raise ValidationError(_("Step %(n)s needs a key, a title and working_days.") % {"n": position})
        days = step["working_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 60:
            raise ValidationError(_("Step %(n)s: working_days must be 0 to 60.") % {"n": position})
        if not str(step["key"]).strip() or not str(step["title"]).strip() or step["key"] in keys:
            raise ValidationError(_("Step %(n)s needs a distinct key and a title.") % {"n": position})
        keys.add(step["key"])


class ProposalPolicy(models.Model):
    validity_days = models.PositiveSmallIntegerField(
        _("valid for (days)"), default=DEFAULTS.validity_days, validators=[MinValueValidator(1)]
    )
    line_discount_threshold = models.DecimalField(
        _("approval above a line discount of (%)"),
        default=DEFAULTS.line_discount_threshold,
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
    )
    average_discount_threshold = models.DecimalField(
        _("approval above an average discount of (%)"),
        default=DEFAULTS.average_discount_threshold,
        max_digits=5,
        decimal_places=2,
        validators=PERCENT,
    )
    approval_total = models.DecimalField(
        _("approval above a total of"),
        default=DEFAULTS.approval_total,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    expiring_soon_days = models.PositiveSmallIntegerField(
        _("expiring soon within (days)"), default=DEFAULTS.expiring_soon_days
    )
    follow_up_steps = models.JSONField(
        _("follow-up steps"), default=default_follow_up_steps, validators=[validate_follow_up_steps]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal policy")
        verbose_name_plural = _("proposal policies")

    def __str__(self) -> str:
        return (
            f"Proposal policy of {self.created_at:%Y-%m-%d %H:%M}" if self.created_at else "Proposal policy"
        )
