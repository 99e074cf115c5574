"""Survey services and selectors: a private link answered once, follow-ups on low results, scoped results."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from dossiers.models import Task
from retention.models import Survey, SurveyAnswer, SurveyInvitation
from retention.survey_selectors import account_survey_summary, answered_invitations, survey_results
from retention.survey_services import (
    LINK_ANSWERED,
    LINK_EXPIRED,
    LINK_INVALID,
    SurveyLinkRefused,
    answer_field,
    invitation_create,
    invitation_send,
    survey_answer,
    survey_create,
    survey_update,
    token_hash,
)
from tests.factories import ContactFactory, SurveyFactory


@pytest.fixture
def survey(db):
    return SurveyFactory(title="Yearly satisfaction")


def send(survey, account, contact, **kwargs):
    return invitation_create(survey=survey, account=account, contact=contact, by=account.owner, **kwargs)


def answers(survey, score=4, comment="Fine"):
    scale, text = survey.questions.order_by("position")
    return {scale.pk: score, text.pk: comment}


# --- creating surveys ---------------------------------------------------------------------------


def test_a_survey_is_created_with_its_questions_in_order(kam):
    survey = survey_create(
        by=kam,
        title="After delivery",
        intro="Two minutes",
        questions=[
            {"text": "On time?", "kind": "scale"},
            {"text": "Anything else?", "kind": "text", "required": False},
        ],
    )
    assert survey.created_by == kam and survey.is_active
    assert list(survey.questions.values_list("position", "text", "kind", "required")) == [
        (0, "On time?", "scale", True),
        (1, "Anything else?", "text", False),
    ]


def test_a_survey_needs_a_title_and_a_question(kam):
    with pytest.raises(ValidationError) as caught:
        survey_create(by=kam, title="", questions=[])
    assert set(caught.value.message_dict) == {"title", "questions"}
    assert not Survey.objects.exists()


def test_a_bad_question_is_named_by_its_row(kam):
    with pytest.raises(ValidationError) as caught:
        survey_create(by=kam, title="T", questions=[{"text": "Ok"}, {"text": "", "kind": "stars"}])
    assert set(caught.value.message_dict) == {"questions-1-text", "questions-1-kind"}
    assert not Survey.objects.exists()


def test_a_survey_can_be_closed_but_its_questions_stay(kam, survey):
    survey_update(survey=survey, is_active=False)
    survey.refresh_from_db()
    assert not survey.is_active and survey.questions.count() == 2
    with pytest.raises(TypeError, match="questions"):
        survey_update(survey=survey, questions=[])  # type: ignore[call-arg]


# --- invitations --------------------------------------------------------------------------------


def test_only_the_hash_of_the_token_is_stored(survey, account, contact):
    invitation, token = send(survey, account, contact)
    assert len(token) >= 43
    assert invitation.token_hash == token_hash(token) != token
    assert not SurveyInvitation.objects.filter(token_hash=token).exists()
    assert invitation.expires_at - invitation.sent_at == pytest.approx(
        dt.timedelta(days=30), abs=dt.timedelta(seconds=5)
    )


def test_a_contact_of_another_account_is_refused(survey, account, foreign_contact):
    with pytest.raises(ValidationError) as caught:
        send(survey, account, foreign_contact)
    assert "contact" in caught.value.message_dict
    assert not SurveyInvitation.objects.exists()


def test_a_closed_survey_cannot_be_sent(survey, account, contact):
    Survey.objects.filter(pk=survey.pk).update(is_active=False)
    survey.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        send(survey, account, contact)
    assert "survey" in caught.value.message_dict


def test_the_link_is_e_mailed_to_the_contact(survey, account, contact, mailoutbox):
    invitation, token = send(survey, account, contact)
    assert invitation_send(invitation=invitation, link=f"https://kam.example/s/{token}/")
    (mail,) = mailoutbox
    assert mail.to == [contact.email] and mail.subject == "Yearly satisfaction"
    assert f"https://kam.example/s/{token}/" in mail.body


def test_without_an_e_mail_address_nothing_is_sent(survey, account, mailoutbox):
    contact = ContactFactory(account=account, email="")
    invitation, token = send(survey, account, contact)
    assert invitation_send(invitation=invitation, link=f"https://kam.example/s/{token}/") is False
    assert mailoutbox == []


# --- answering ----------------------------------------------------------------------------------


def test_an_answer_is_recorded_once_with_its_average(survey, account, contact):
    _invitation, token = send(survey, account, contact)
    invitation = survey_answer(token=token, answers=answers(survey, score=4))
    assert invitation.answered_at is not None and invitation.average_score == Decimal("4.00")
    assert list(SurveyAnswer.objects.values_list("score", "text")) == [(4, ""), (None, "Fine")]
    with pytest.raises(SurveyLinkRefused) as caught:
        survey_answer(token=token, answers=answers(survey, score=1))
    assert caught.value.code == LINK_ANSWERED
    assert SurveyAnswer.objects.count() == 2


@pytest.mark.parametrize(
    ("tamper", "code"),
    [(lambda t: t + "x", LINK_INVALID), (lambda t: t[:-1], LINK_INVALID), (lambda t: "", LINK_INVALID)],
)
def test_a_tampered_token_is_unknown(survey, account, contact, tamper, code):
    _invitation, token = send(survey, account, contact)
    with pytest.raises(SurveyLinkRefused) as caught:
        survey_answer(token=tamper(token), answers=answers(survey))
    assert caught.value.code == code
    assert not SurveyAnswer.objects.exists()


def test_an_expired_link_is_refused(survey, account, contact):
    invitation, token = send(survey, account, contact)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(SurveyLinkRefused) as caught:
        survey_answer(token=token, answers=answers(survey))
    assert caught.value.code == LINK_EXPIRED
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize("score", [0, 6, "abc", "4.5", True])
def test_scores_outside_one_to_five_are_field_errors_and_nothing_is_written(survey, account, contact, score):
    invitation, token = send(survey, account, contact)
    scale = survey.questions.get(kind="scale")
    with pytest.raises(ValidationError) as caught:
        survey_answer(token=token, answers={scale.pk: score})
    assert list(caught.value.message_dict) == [answer_field(scale)]
    invitation.refresh_from_db()
    assert invitation.answered_at is None and not SurveyAnswer.objects.exists()


def test_every_missing_required_question_is_named(account, contact):
    survey = SurveyFactory(questions=[("Q1", "scale", True), ("Q2", "text", True), ("Q3", "scale", False)])
    _invitation, token = send(survey, account, contact)
    q1, q2, q3 = survey.questions.order_by("position")
    with pytest.raises(ValidationError) as caught:
        survey_answer(token=token, answers={q1.pk: "", q3.pk: 5})
    assert set(caught.value.message_dict) == {answer_field(q1), answer_field(q2)}
    assert not SurveyAnswer.objects.exists() and not Task.objects.exists()


def test_an_optional_question_may_be_skipped(survey, account, contact):
    _invitation, token = send(survey, account, contact)
    scale = survey.questions.get(kind="scale")
    invitation = survey_answer(token=token, answers={str(scale.pk): "5"})
    assert invitation.average_score == Decimal("5.00") and SurveyAnswer.objects.count() == 1


def test_answers_to_questions_of_another_survey_are_refused(survey, account, contact):
    _invitation, token = send(survey, account, contact)
    stranger = SurveyFactory().questions.first()
    with pytest.raises(ValidationError) as caught:
        survey_answer(token=token, answers={**answers(survey), stranger.pk: 5})
    assert "answers" in caught.value.message_dict
    assert not SurveyAnswer.objects.exists()


# --- a low result asks the owner to call -----------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "low"),
    [([2, 5, 5], True), ([3, 3, 2], True), ([3, 2, 3], True), ([3, 3, 3], False), ([4, 3, 3], False)],
)
def test_a_low_result_becomes_a_task_for_the_account_owner(kam, account, contact, scores, low):
    survey = SurveyFactory(questions=[(f"Q{n}", "scale", True) for n in range(3)])
    _invitation, token = send(survey, account, contact)
    questions = survey.questions.order_by("position")
    survey_answer(token=token, answers={q.pk: s for q, s in zip(questions, scores, strict=True)})
    tasks = list(Task.objects.all())
    assert bool(tasks) == low
    if low:
        (task,) = tasks
        assert (task.owner, task.created_by, task.account) == (kam, kam, account)
        assert task.due_on == timezone.localdate() + dt.timedelta(days=3)
        assert survey.title in task.title


def test_an_average_of_exactly_two_and_a_half_is_low(kam, account, contact):
    survey = SurveyFactory(questions=[("Q1", "scale", True), ("Q2", "scale", True)])
    _invitation, token = send(survey, account, contact)
    q1, q2 = survey.questions.order_by("position")
    invitation = survey_answer(token=token, answers={q1.pk: 3, q2.pk: 2})
    assert invitation.average_score == Decimal("2.50") and Task.objects.filter(owner=kam).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")
def test_two_submissions_at_once_record_exactly_one_answer(transactional_db, kam, account, contact):
    survey = SurveyFactory(questions=[("Q1", "scale", True)])
    question = survey.questions.get()
    _invitation, token = send(survey, account, contact)
    start, outcomes = threading.Barrier(2), []

    def submit(score: int) -> None:
        start.wait()
        try:
            survey_answer(token=token, answers={question.pk: score})
            outcomes.append("answered")
        except SurveyLinkRefused as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(score,)) for score in (1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == sorted(["answered", LINK_ANSWERED])
    assert SurveyAnswer.objects.count() == 1
    assert Task.objects.count() == (1 if SurveyAnswer.objects.get().score == 1 else 0)


# --- results, scoped to what the user sees ---------------------------------------------------------


def answered(survey, account, contact, score, when=None):
    invitation, token = send(survey, account, contact)
    survey_answer(token=token, answers=answers(survey, score=score, comment=f"said {score}"))
    if when:
        SurveyInvitation.objects.filter(pk=invitation.pk).update(answered_at=when)
    return invitation


def test_results_per_question_month_and_account(admin_user, survey, account, contact, foreign_account):
    answered(survey, account, contact, 4, when=timezone.now().replace(year=2025, month=3, day=10))
    answered(survey, account, contact, 5, when=timezone.now().replace(year=2025, month=4, day=10))
    answered(survey, foreign_account, ContactFactory(account=foreign_account), 1)
    send(survey, account, contact)  # sent, not answered
    results = survey_results(user=admin_user, survey=survey)
    assert (results.invited, results.answered, results.average) == (4, 3, Decimal("3.33"))
    scale, text = results.questions
    assert (scale.answers, scale.average) == (3, Decimal("3.33"))
    assert scale.distribution == {1: 1, 2: 0, 3: 0, 4: 1, 5: 1}
    assert text.answers == 3 and set(text.texts) == {"said 1", "said 4", "said 5"} and text.distribution == {}
    assert [m.label for m in results.months][:2] == ["2025-03", "2025-04"]
    assert [(a.label, a.average) for a in results.accounts] == [
        ("Baltic Foods", Decimal("1.00")),
        ("Nordic Steel", Decimal("4.50")),
    ]


def test_an_outsider_s_results_leave_out_the_accounts_they_cannot_see(
    outsider, survey, account, contact, foreign_account
):
    answered(survey, account, contact, 5)
    answered(survey, foreign_account, ContactFactory(account=foreign_account), 1)
    results = survey_results(user=outsider, survey=survey)
    assert (results.invited, results.answered, results.average) == (1, 1, Decimal("1.00"))
    assert [a.label for a in results.accounts] == ["Baltic Foods"]
    assert results.questions[0].distribution == {1: 1, 2: 0, 3: 0, 4: 0, 5: 0}
    assert results.questions[1].texts == ["said 1"]


def test_the_account_summary(kam, survey, account, contact):
    old = answered(survey, account, contact, 1, when=timezone.now() - dt.timedelta(days=400))
    recent = answered(survey, account, contact, 4, when=timezone.now() - dt.timedelta(days=10))
    open_one, _token = send(survey, account, contact)
    expired, _token = send(survey, account, contact)
    SurveyInvitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    summary = account_survey_summary(user=kam, account=account)
    assert [i.pk for i in summary.answered] == [recent.pk, old.pk]
    assert summary.average_12_months == Decimal("4.00")
    assert [m.answered for m in summary.months] == [1, 1]
    assert [i.pk for i in summary.open] == [open_one.pk]
    assert [i.pk for i in answered_invitations(account=account, limit=1)] == [recent.pk]


def test_the_account_summary_of_an_account_one_cannot_see_is_empty(outsider, survey, account, contact):
    answered(survey, account, contact, 4)
    summary = account_survey_summary(user=outsider, account=account)
    assert summary.answered == [] and summary.open == [] and summary.average_12_months is None


def test_results_take_a_fixed_number_of_queries(
    admin_user, survey, account, contact, django_assert_num_queries
):
    for score in (1, 3, 5):
        answered(survey, account, contact, score)
    # totals, overall average, per-question stats, score counts, the questions, the latest comments
    # of the one text question, per month, per account
    with django_assert_num_queries(8):
        survey_results(user=admin_user, survey=survey)
    for score in (2, 4):
        answered(survey, account, contact, score)
    with django_assert_num_queries(8):
        survey_results(user=admin_user, survey=survey)
