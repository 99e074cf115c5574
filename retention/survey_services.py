"""Satisfaction surveys: questionnaires, private links to them, and the one-time answer."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
import smtplib
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from typing_extensions import Unpack

from accounts.models import Account, Contact, User
from common.fields import assign, fields_of
from dossiers.services import task_create

from .models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion
from .models.surveys import ANSWER_MAX_LENGTH, SCALE

logger = logging.getLogger(__name__)

QUESTION_FIELDS = ("text", "kind", "required")
TOKEN_BYTES = 32
DEFAULT_VALID_DAYS = 30
MAX_VALID_DAYS = 365
# A result this low asks the account owner to call the client.
LOW_AVERAGE = Decimal("2.5")
LOW_SCORE = 2
FOLLOW_UP_DAYS = 3

# Why a survey link is refused; the public page answers each with its own message and status.
LINK_INVALID, LINK_EXPIRED, LINK_ANSWERED = "invalid", "expired", "answered"


class SurveyFields(TypedDict, total=False):
    title: str
    intro: str
    is_active: bool


class SurveyLinkRefused(ValidationError):
    """The link cannot be answered: unknown (or tampered with), expired, or already answered."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_path(token: str) -> str:
    """The public answer page of a link (relative: the caller makes it absolute)."""
    return reverse("retention:survey-answer", args=[token])


def answer_field(question: SurveyQuestion) -> str:
    """The name of a question's input on the answer form, and of its errors."""
    return f"question_{question.pk}"


def question_error_key(index: int, field: str) -> str:
    """`questions-<n>-<field>`: the name of that input in the survey form's question rows."""
    return f"questions-{index}-{field}"


# --- surveys ------------------------------------------------------------------------------------


def _refuse_unknown(data: Mapping[str, Any], allowed: Sequence[str], prefix: str = "") -> dict[str, str]:
    return {
        f"{prefix}{name}": _("This field cannot be set here.") for name in sorted(set(data) - set(allowed))
    }


def _field_errors(obj: Any, exclude: Sequence[str], prefix: str = "") -> dict[str, list[str]]:
    try:
        obj.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        return {f"{prefix}{name}": messages for name, messages in error.message_dict.items()}
    return {}


def _build_questions(questions: Sequence[Mapping[str, Any]]) -> tuple[list[SurveyQuestion], dict[str, Any]]:
    built: list[SurveyQuestion] = []
    errors: dict[str, Any] = {}
    if not questions:
        errors["questions"] = _("Add at least one question.")
    for index, data in enumerate(questions):
        prefix = question_error_key(index, "")
        question = SurveyQuestion(position=index)
        assign(question, {name: data[name] for name in QUESTION_FIELDS if name in data})
        errors |= _refuse_unknown(data, QUESTION_FIELDS, prefix)
        errors |= _field_errors(question, ["survey"], prefix)
        built.append(question)
    return built, errors


@transaction.atomic
def survey_create(
    *, by: User, questions: Sequence[Mapping[str, Any]], **fields: Unpack[SurveyFields]
) -> Survey:
    """A survey created by `by`, with its questions in the given order (rows of text, kind
    scale|text, required)."""
    survey = Survey(created_by=by)
    assign(survey, fields_of(SurveyFields, fields))
    errors: dict[str, Any] = _field_errors(survey, ["created_by"])
    built, question_errors = _build_questions(questions)
    if errors or question_errors:
        raise ValidationError(errors | question_errors)
    survey.save()
    for question in built:
        question.survey = survey
    SurveyQuestion.objects.bulk_create(built)
    return survey


@transaction.atomic
def survey_update(*, survey: Survey, **fields: Unpack[SurveyFields]) -> Survey:
    """Title, introduction, and whether it can still be sent; questions are fixed once created,
    so that every answer stays comparable."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    assign(survey, fields_of(SurveyFields, fields))
    errors = _field_errors(survey, ["created_by"])
    if errors:
        raise ValidationError(errors)
    survey.save()
    return survey


# --- invitations --------------------------------------------------------------------------------


def _check_invitation(survey: Survey, account: Account, contact: Contact | None, valid_days: int) -> None:
    errors: dict[str, str] = {}
    if not survey.is_active:
        errors["survey"] = _("This survey can no longer be sent.")
    if contact is None:
        errors["contact"] = _("Choose the contact who answers.")
    elif contact.account_id != account.pk:
        errors["contact"] = _("%(contact)s is not a contact of %(account)s.") % {
            "contact": contact,
            "account": account.name,
        }
    if not 1 <= valid_days <= MAX_VALID_DAYS:
        errors["valid_days"] = _("A link is valid from 1 to %(max)s days.") % {"max": MAX_VALID_DAYS}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def invitation_create(
    *,
    survey: Survey,
    account: Account,
    contact: Contact | None,
    by: User,
    valid_days: int = DEFAULT_VALID_DAYS,
) -> tuple[SurveyInvitation, str]:
    """A private link for one contact of the account. The token is returned here only: the
    database keeps its sha256, so nobody can rebuild the link later."""
    _check_invitation(survey, account, contact, valid_days)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = SurveyInvitation.objects.create(
        survey=survey,
        account=account,
        contact=contact,
        token_hash=token_hash(token),
        sent_by=by,
        expires_at=timezone.now() + dt.timedelta(days=valid_days),
    )
    return invitation, token


def _invitation_body(invitation: SurveyInvitation, link: str) -> str:
    """The invitation's text in the active language: the survey's own intro, the link, its validity."""
    expires = date_format(timezone.localtime(invitation.expires_at).date(), "DATE_FORMAT")
    return "\n\n".join(
        part
        for part in (
            invitation.survey.intro,
            _("Please answer here: %(link)s") % {"link": link},
            _("The link is personal and can be used once, until %(date)s.") % {"date": expires},
        )
        if part
    )


def invitation_send(*, invitation: SurveyInvitation, link: str, language: str | None = None) -> bool:
    """E-mail the link to the contact; False when there is no address or the mail could not go out
    (the caller then shows the link to copy). Written in `language` (the sender's), else the site's."""
    email = invitation.contact.email if invitation.contact else ""
    if not email:
        return False
    survey = invitation.survey
    with translation.override(language or settings.LANGUAGE_CODE):
        body = _invitation_body(invitation, link)
    try:
        send_mail(survey.title, body, None, [email])
    except (smtplib.SMTPException, OSError):
        logger.exception("survey invitation %s: the e-mail could not be sent", invitation.pk)
        return False
    return True


# --- answering ----------------------------------------------------------------------------------


def open_invitation(*, token: str, lock: bool = False) -> SurveyInvitation:
    """The invitation a link names, if it can still be answered; SurveyLinkRefused otherwise."""
    queryset = SurveyInvitation.objects.select_related("survey")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise SurveyLinkRefused(_("This link is not valid."), code=LINK_INVALID)
    if invitation.answered_at is not None:
        raise SurveyLinkRefused(_("This survey has already been answered."), code=LINK_ANSWERED)
    if invitation.expires_at <= timezone.now():
        raise SurveyLinkRefused(_("This survey link has expired."), code=LINK_EXPIRED)
    return invitation


def _scale_value(raw: Any) -> int | None:
    try:
        value = int(str(raw).strip())
    except ValueError:
        return None
    return value if SCALE[0] <= value <= SCALE[1] and str(raw).strip() == str(value) else None


def _answer(invitation: SurveyInvitation, question: SurveyQuestion, raw: Any) -> SurveyAnswer | str | None:
    """The answer row, None for a skipped optional question, or the error message."""
    if raw is None or str(raw).strip() == "":
        return _("Please answer this question.") if question.required else None
    if question.kind == SurveyQuestion.Kind.TEXT:
        text = str(raw).strip()
        if len(text) > ANSWER_MAX_LENGTH:
            return _("Please keep this answer to %(max)s characters; it has %(count)s.") % {
                "max": ANSWER_MAX_LENGTH,
                "count": len(text),
            }
        return SurveyAnswer(invitation=invitation, question=question, text=text)
    score = _scale_value(raw)
    if score is None:
        return _("Choose a score from %(low)s to %(high)s.") % {"low": SCALE[0], "high": SCALE[1]}
    return SurveyAnswer(invitation=invitation, question=question, score=score)


def _answer_rows(invitation: SurveyInvitation, answers: Mapping[Any, Any]) -> list[SurveyAnswer]:
    questions = list(invitation.survey.questions.all())
    given = {str(key): value for key, value in answers.items()}
    errors: dict[str, str] = {}
    unknown = set(given) - {str(q.pk) for q in questions}
    if unknown:
        errors["answers"] = _("These are not questions of this survey: %(ids)s.") % {
            "ids": ", ".join(sorted(unknown))
        }
    rows: list[SurveyAnswer] = []
    for question in questions:
        outcome = _answer(invitation, question, given.get(str(question.pk)))
        if isinstance(outcome, str):
            errors[answer_field(question)] = outcome
        elif outcome is not None:
            rows.append(outcome)
    if errors:
        raise ValidationError(errors)
    return rows


def _average(scores: Sequence[int]) -> Decimal | None:
    if not scores:
        return None
    return (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def is_low_result(scores: Sequence[int]) -> bool:
    average = _average(scores)
    return average is not None and (average <= LOW_AVERAGE or min(scores) <= LOW_SCORE)


def _follow_up(invitation: SurveyInvitation) -> None:
    """A task for the account owner; nobody is logged in, so the owner is also its author."""
    owner = invitation.account.owner
    if owner is None:
        return
    title = _("Low satisfaction on “%(survey)s”: average %(average)s — call the client") % {
        "survey": invitation.survey.title,
        "average": invitation.average_score,
    }
    task_create(
        by=owner,
        owner=owner,
        title=title[:255],
        due_on=timezone.localdate() + dt.timedelta(days=FOLLOW_UP_DAYS),
        account=invitation.account,
    )


@transaction.atomic
def survey_answer(*, token: str, answers: Mapping[Any, Any]) -> SurveyInvitation:
    """Record the answers of a link, once: {question id: score 1 to 5, or text}.

    The invitation row is locked, so of two submissions at once exactly one is recorded; every
    error (per question, or the link's) leaves nothing written.
    """
    invitation = open_invitation(token=token, lock=True)
    return _record(invitation, _answer_rows(invitation, answers))


def _record(invitation: SurveyInvitation, rows: list[SurveyAnswer]) -> SurveyInvitation:
    """Store validated answers, the average, and the follow-up task of a low result."""
    SurveyAnswer.objects.bulk_create(rows)
    scores = [row.score for row in rows if row.score is not None]
    invitation.answered_at = timezone.now()
    invitation.average_score = _average(scores)
    invitation.save(update_fields=["answered_at", "average_score"])
    if is_low_result(scores):
        invitation.account = Account.objects.select_related("owner").get(pk=invitation.account_id)
        _follow_up(invitation)
    return invitation


@transaction.atomic
def survey_answer_by_phone(
    *, survey: Survey, account: Account, contact: Contact | None, by: User, answers: Mapping[Any, Any]
) -> SurveyInvitation:
    """Record the answers a contact gave by phone, entered by `by`: an invitation of the "phone"
    channel answered at once. The same checks as a link and its answers; an error writes nothing."""
    _check_invitation(survey, account, contact, DEFAULT_VALID_DAYS)
    invitation = SurveyInvitation.objects.create(
        survey=survey,
        account=account,
        contact=contact,
        # Never shown nor answerable through a link: a random, unknown token.
        token_hash=token_hash(secrets.token_urlsafe(TOKEN_BYTES)),
        sent_by=by,
        expires_at=timezone.now(),
        channel=SurveyInvitation.Channel.PHONE,
    )
    return _record(invitation, _answer_rows(invitation, answers))
