"""Reads of the satisfaction surveys, always over the invitations of accounts the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Account, User

from .filters import SurveyFilter
from .models import Survey, SurveyAnswer, SurveyInvitation, SurveyQuestion
from .models.surveys import SCALE

SUMMARY_MONTHS = 12
TEXT_ANSWERS_SHOWN = 10


def survey_queryset(*, user: User) -> QuerySet[Survey]:
    # An explicit order: a model's default ordering is dropped from GROUP BY queries.
    return (
        Survey.objects.visible_to(user)
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("-created_at", "-pk")
    )


def invitation_queryset(*, user: User) -> QuerySet[SurveyInvitation]:
    return SurveyInvitation.objects.visible_to(user).select_related("survey", "account", "contact")


def survey_get(*, user: User, pk: int) -> Survey:
    """A survey the user may see, or 404."""
    return get_object_or_404(Survey.objects.visible_to(user), pk=pk)


def active_surveys(*, user: User) -> QuerySet[Survey]:
    return Survey.objects.visible_to(user).filter(is_active=True).order_by("title")


@dataclass
class SurveyRow:
    survey: Survey
    invited: int
    answered: int
    average: Decimal | None


def survey_filter(*, user: User, filters: Any = None) -> SurveyFilter:
    """The surveys, newest first, filtered; `.rows`, `.form`."""
    return SurveyFilter(filters or None, queryset=survey_queryset(user=user), user=user)


def survey_list(*, user: User, surveys: QuerySet[Survey] | None = None) -> list[SurveyRow]:
    """Every survey (or those given), newest first, with its invitations counted over the accounts
    the user sees."""
    shown = survey_queryset(user=user) if surveys is None else surveys
    stats: dict[int, dict[str, Any]] = {
        row["survey"]: row
        for row in SurveyInvitation.objects.visible_to(user)
        .order_by()
        .values("survey")
        .annotate(
            invited=Count("pk"),
            answered=Count("pk", filter=Q(answered_at__isnull=False)),
            average=Avg("average_score"),
        )
    }
    return [
        SurveyRow(
            survey=survey,
            invited=stats.get(survey.pk, {}).get("invited", 0),
            answered=stats.get(survey.pk, {}).get("answered", 0),
            average=_round(stats.get(survey.pk, {}).get("average")),
        )
        for survey in shown.select_related("created_by")
    ]


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answers: int
    average: Decimal | None
    # Scores 1..5 → how many answers gave each (scale questions).
    distribution: dict[int, int] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)  # the latest free-text answers


@dataclass
class Average:
    """An average of invitations' scores over a month or an account."""

    label: str
    answered: int
    average: Decimal | None
    key: Any = None  # the month (a date) or the account id


@dataclass
class SurveyResults:
    survey: Survey
    invited: int
    answered: int
    average: Decimal | None
    questions: list[QuestionResult]
    months: list[Average]
    accounts: list[Average]


def _round(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _question_results(survey: Survey, answered: QuerySet[SurveyInvitation]) -> list[QuestionResult]:
    answers = SurveyAnswer.objects.filter(invitation__in=answered.values("pk"))
    stats: dict[int, dict[str, Any]] = {
        row["question"]: dict(row)
        for row in answers.values("question").annotate(
            n=Count("pk", filter=Q(score__isnull=False) | ~Q(text="")), average=Avg("score")
        )
    }
    counts: dict[int, dict[int, int]] = {}
    for question_id, score, n in (
        answers.filter(score__isnull=False).values_list("question", "score").annotate(n=Count("pk"))
    ):
        counts.setdefault(question_id, {})[score] = n
    text_rows = answers.exclude(text="").order_by("-invitation__answered_at", "-pk")
    results = []
    for question in survey.questions.all():
        row = stats.get(question.pk, {})
        distribution = {
            score: counts.get(question.pk, {}).get(score, 0) for score in range(SCALE[0], SCALE[1] + 1)
        }
        results.append(
            QuestionResult(
                question=question,
                answers=row.get("n", 0),
                average=_round(row.get("average")),
                distribution=distribution if question.kind == SurveyQuestion.Kind.SCALE else {},
                texts=(
                    list(
                        text_rows.filter(question=question).values_list("text", flat=True)[
                            :TEXT_ANSWERS_SHOWN
                        ]
                    )
                    if question.kind == SurveyQuestion.Kind.TEXT
                    else []
                ),
            )
        )
    return results


def _per_month(answered: QuerySet[SurveyInvitation]) -> list[Average]:
    rows = (
        answered.annotate(month=TruncMonth("answered_at"))
        .values("month")
        .annotate(n=Count("pk"), average=Avg("average_score"))
        .order_by("month")
    )
    return [
        Average(
            label=row["month"].strftime("%Y-%m"),
            answered=row["n"],
            average=_round(row["average"]),
            key=row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"],
        )
        for row in rows
    ]


def survey_results(*, user: User, survey: Survey, channel: str = "") -> SurveyResults:
    """Per question (answers, average, 1..5 distribution), per month and per account (worst first),
    counting only the invitations on accounts the user may see; of one `channel` (web, phone) if given."""
    invitations = SurveyInvitation.objects.visible_to(user).filter(survey=survey).order_by()
    if channel:
        invitations = invitations.filter(channel=channel)
    answered = invitations.filter(answered_at__isnull=False)
    totals = invitations.aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
    )
    per_account = (
        answered.values("account", "account__name")
        .annotate(n=Count("pk"), average=Avg("average_score"))
        .order_by("average", "account__name")
    )
    return SurveyResults(
        survey=survey,
        invited=totals["invited"],
        answered=totals["answered"],
        average=_round(answered.aggregate(a=Avg("average_score"))["a"]),
        questions=_question_results(survey, answered),
        months=_per_month(answered),
        accounts=[
            Average(
                label=row["account__name"],
                answered=row["n"],
                average=_round(row["average"]),
                key=row["account"],
            )
            for row in per_account
        ],
    )


@dataclass
class AccountSurveySummary:
    answered: list[SurveyInvitation]  # newest first
    average_12_months: Decimal | None
    months: list[Average]
    open: list[SurveyInvitation]  # sent, not answered, not expired


def account_survey_summary(*, user: User, account: Account) -> AccountSurveySummary:
    """The account's survey history for its page: answers newest first with their averages, the
    average over the last 12 months, the series per month, and the links still open."""
    invitations = invitation_queryset(user=user).filter(account=account)
    answered = invitations.filter(answered_at__isnull=False)
    since = timezone.now() - dt.timedelta(days=365)
    recent = answered.filter(answered_at__gte=since).order_by().aggregate(a=Avg("average_score"))["a"]
    return AccountSurveySummary(
        answered=list(answered.order_by("-answered_at", "-pk")),
        average_12_months=_round(recent),
        months=_per_month(answered.order_by()),
        open=list(invitations.filter(answered_at__isnull=True, expires_at__gt=timezone.now())),
    )


def answered_invitations(*, account: Account, limit: int = 50) -> list[SurveyInvitation]:
    """The account's answered surveys, newest first, for its timeline (`account` is one the user
    may already see)."""
    return list(
        SurveyInvitation.objects.filter(account=account, answered_at__isnull=False)
        .select_related("survey", "contact")
        .order_by("-answered_at", "-pk")[:limit]
    )
