"""A satisfaction survey for the demo: sent to contacts of the biggest accounts, most of them answered."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from accounts.models import Account, Contact, User

from .models import Survey, SurveyInvitation
from .survey_services import invitation_create, survey_answer, survey_answer_by_phone, survey_create

QUESTIONS = (
    ("How satisfied are you with our delivery reliability?", "scale"),
    ("How satisfied are you with the quality of our products?", "scale"),
    ("How well does your account manager understand your needs?", "scale"),
    ("What should we do better?", "text"),
)
COMMENTS = (
    "Faster answers to quotes.",
    "Keep the same account manager.",
    "",
    "More stock of the premium range.",
)


def load_demo_surveys(*, rng: random.Random, accounts: list[Account], by: User, today: dt.date) -> str:
    survey = survey_create(
        by=by,
        title="Annual satisfaction survey",
        intro="Five minutes to tell us how we are doing.",
        questions=[{"text": text, "kind": kind, "required": kind == "scale"} for text, kind in QUESTIONS],
    )
    questions = list(survey.questions.order_by("position", "pk"))
    answered = 0
    for index, account in enumerate(accounts):
        contact = Contact.objects.filter(account=account).order_by("-influence", "pk").first()
        invitation, token = invitation_create(survey=survey, account=account, contact=contact, by=by)
        if index % 4 == 3:
            continue  # sent, not answered yet
        low = index == 1  # one unhappy client: its owner gets a follow-up task
        answers = {
            q.pk: (str(rng.choice((1, 2)) if low else rng.choice((3, 4, 4, 5, 5))) if q.kind == "scale"
                   else COMMENTS[index % len(COMMENTS)])
            for q in questions
        }  # fmt: skip
        survey_answer(token=token, answers=answers)
        # Spread the answers over the past months, so that the results have a history.
        SurveyInvitation.objects.filter(pk=invitation.pk).update(
            answered_at=timezone.now() - dt.timedelta(days=20 + 37 * index)
        )
        answered += 1
    phoned = _phone_answer(rng, survey, accounts, by)
    return f"survey “{survey.title}” sent to {len(accounts)} contacts, {answered} answered, {phoned} by phone"


def _phone_answer(rng: random.Random, survey: Survey, accounts: list[Account], by: User) -> int:
    """One client who would not use the link answered on the phone: its owner entered the answers."""
    unanswered = [account for index, account in enumerate(accounts) if index % 4 == 3]
    if not unanswered:
        return 0
    account = unanswered[0]
    contact = Contact.objects.filter(account=account).order_by("-influence", "pk").first()
    answers = {
        q.pk: str(rng.choice((3, 4, 5))) if q.kind == "scale" else "Call me rather than e-mail."
        for q in survey.questions.all()
    }
    survey_answer_by_phone(
        survey=survey, account=account, contact=contact, by=account.owner or by, answers=answers
    )
    return 1
