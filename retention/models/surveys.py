"""Satisfaction surveys: 5-level questions and free text, answered once through a private link."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Contact, User
from dossiers.models.base import AccountScopedQuerySet, RegistryQuerySet

SCALE = (1, 5)
# The longest free-text answer a respondent may send (the public form is open to anyone with a link).
ANSWER_MAX_LENGTH = 2000


class Survey(models.Model):
    """A questionnaire; the same survey is sent to many contacts over time."""

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    is_active = models.BooleanField(_("can be sent"), default=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    class Kind(models.TextChoices):
        SCALE = "scale", _("Scale 1 to 5")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    position = models.PositiveSmallIntegerField(default=0, verbose_name=_("position"))
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices, default=Kind.SCALE)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("survey question")
        verbose_name_plural = _("survey questions")
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class SurveyInvitation(models.Model):
    """One contact's private link to a survey: only a hash of its token is stored; expires; answered once.

    Answers given by phone are entered by a user on the contact's behalf: an invitation of the
    "phone" channel, answered as it is created (its token is never shown)."""

    class Channel(models.TextChoices):
        WEB = "web", _("Web link")
        PHONE = "phone", _("Phone")

    survey = models.ForeignKey(
        Survey, on_delete=models.PROTECT, related_name="invitations", verbose_name=_("survey")
    )
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="survey_invitations", verbose_name=_("account")
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("contact")
    )
    token_hash = models.CharField(max_length=64, unique=True, verbose_name=_("link fingerprint"))
    sent_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("sent by")
    )
    sent_at = models.DateTimeField(auto_now_add=True, verbose_name=_("sent"))
    expires_at = models.DateTimeField(verbose_name=_("expires"))
    answered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("answered"))
    average_score = models.DecimalField(
        max_digits=3, decimal_places=2, null=True, blank=True, verbose_name=_("average score")
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices, default=Channel.WEB)

    objects = AccountScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["account", "-answered_at"], name="invitation_account_idx")]

    def __str__(self) -> str:
        return f"{self.survey} → {self.contact or self.account}"


class SurveyAnswer(models.Model):
    invitation = models.ForeignKey(
        SurveyInvitation, on_delete=models.CASCADE, related_name="answers", verbose_name=_("invitation")
    )
    question = models.ForeignKey(
        SurveyQuestion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(SCALE[0]), MaxValueValidator(SCALE[1])],
        verbose_name=_("score"),
    )
    text = models.TextField(blank=True, max_length=ANSWER_MAX_LENGTH, verbose_name=_("text"))

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["invitation", "question__position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["invitation", "question"], name="answer_once_per_question"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="answer_score_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.score or self.text[:40]}"
