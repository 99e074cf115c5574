"""The follow-up after sending: one open step at a time, each a task of the author on the home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.templatetags.ui import overdue_on
from common.calendar import add_working_days
from dossiers import services as dossier_services
from dossiers.models import Task
from management.digests.kinds import DAILY
from management.digests.render import digest_render
from proposals import services
from proposals.models import FollowUpStep, Proposal, ProposalPolicy
from proposals.policy import FOLLOW_UP_STEPS
from tests.proposals.conftest import add_line

S = Proposal.Status
State = FollowUpStep.State


@pytest.fixture
def sent(draft, kam):
    add_line(draft)
    return services.proposal_transition(proposal=draft, to=S.SENT, by=kam)


def steps(proposal):
    return list(FollowUpStep.objects.filter(proposal=proposal).select_related("task").order_by("position"))


def states(proposal):
    return [step.state for step in steps(proposal)]


def open_step(proposal):
    return FollowUpStep.objects.select_related("task").get(proposal=proposal, state=State.OPEN)


def move(proposal, to, by, **extra):
    return services.proposal_transition(proposal=proposal, to=to, by=by, **extra)


def test_sending_lays_out_the_policy_steps_and_opens_the_first_as_a_task_of_the_author(sent, kam):
    laid_out = steps(sent)
    assert [(s.position, s.key, s.title, s.working_days) for s in laid_out] == [
        (n, step["key"], step["title"], step["working_days"]) for n, step in enumerate(FOLLOW_UP_STEPS, 1)
    ]
    assert states(sent) == ["open", "waiting", "waiting", "waiting"]
    first = laid_out[0]
    assert first.due_on == add_working_days(timezone.localdate(sent.sent_at), 1)
    task = first.task
    assert (task.owner, task.created_by, task.account, task.due_on, task.done) == (
        kam,
        kam,
        sent.account,
        first.due_on,
        False,
    )
    assert task.title == f"{sent.number} · Confirm receipt of the proposal"
    assert all(s.task is None and s.due_on is None for s in laid_out[1:])


def test_the_steps_are_those_of_the_policy_in_force_when_sent(draft, kam):
    ProposalPolicy.objects.create(
        follow_up_steps=[
            {"key": "call", "title": "Call the buyer", "working_days": 3},
            {"key": "visit", "title": "Visit", "working_days": 5},
        ]
    )
    add_line(draft)
    move(draft, S.SENT, kam)
    assert [(s.key, s.state) for s in steps(draft)] == [("call", "open"), ("visit", "waiting")]
    assert open_step(draft).due_on == add_working_days(timezone.localdate(), 3)


def test_the_author_sees_the_open_step_on_the_home_page(client, sent, kam, teammate):
    client.force_login(kam)
    assert f"{sent.number} · Confirm receipt of the proposal" in client.get(reverse("home")).content.decode()
    client.force_login(teammate)
    assert sent.number not in client.get(reverse("home")).content.decode()


def test_closing_the_open_step_records_who_ticks_its_task_and_opens_the_next(sent, kam, teammate):
    first = open_step(sent)

    closed = services.follow_up_close(step=first, by=teammate)

    assert (closed.state, closed.closed_by) == (State.DONE, teammate) and closed.closed_at is not None
    assert Task.objects.get(pk=first.task_id).done
    following = open_step(sent)
    assert following.key == "next_steps"
    assert following.due_on == add_working_days(timezone.localdate(), 2)
    assert following.task.title == f"{sent.number} · Ask about the next steps"
    assert (following.task.owner, following.task.created_by) == (kam, teammate)


def test_a_skipped_step_also_opens_the_next(sent, kam):
    services.follow_up_close(step=open_step(sent), by=kam, skipped=True)
    assert states(sent) == ["skipped", "open", "waiting", "waiting"]
    assert steps(sent)[0].task.done


def test_only_the_open_step_can_be_closed(sent, kam):
    waiting = steps(sent)[2]
    with pytest.raises(ValidationError, match="only the open step"):
        services.follow_up_close(step=waiting, by=kam)
    first = open_step(sent)
    services.follow_up_close(step=first, by=kam)
    with pytest.raises(ValidationError, match="is done"):
        services.follow_up_close(step=first, by=kam)
    assert states(sent) == ["done", "open", "waiting", "waiting"]


def test_the_sequence_ends_after_the_last_step(sent, kam):
    for _ in FOLLOW_UP_STEPS:
        services.follow_up_close(step=open_step(sent), by=kam)
    assert states(sent) == ["done"] * 4
    assert Task.objects.filter(owner=kam, done=True).count() == 4
    assert not Task.objects.filter(done=False).exists()


def test_ticking_the_task_off_on_the_home_page_closes_its_step(client, sent, kam):
    first = open_step(sent)
    client.force_login(kam)

    response = client.post(reverse("dossiers:task-done", args=[first.task_id]), {"next": "/"})

    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.state, first.closed_by) == (State.DONE, kam)
    assert open_step(sent).key == "next_steps"
    agenda = client.get(reverse("home")).context["agenda"]
    assert [t.title for t in agenda.overdue + agenda.upcoming] == [
        f"{sent.number} · Ask about the next steps"
    ]


def test_completing_the_task_twice_or_an_unrelated_task_changes_no_step(sent, kam, account):
    first = open_step(sent)
    dossier_services.task_complete(task=first.task)
    dossier_services.task_complete(task=first.task)
    other = dossier_services.task_create(by=kam, title="Visit", due_on=timezone.localdate(), account=account)
    dossier_services.task_complete(task=other)
    assert states(sent) == ["done", "open", "waiting", "waiting"]


def test_a_recorded_receipt_settles_the_open_receipt_step_and_opens_the_next(sent, kam):
    move(sent, S.RECEIVED, kam, comment="Buyer confirmed by e-mail")
    first = steps(sent)[0]
    assert (first.state, first.closed_by) == (State.DONE, kam) and first.task.done
    assert open_step(sent).key == "next_steps"


def test_a_receipt_recorded_before_its_step_is_reached_settles_it_in_advance(draft, kam):
    ProposalPolicy.objects.create(
        follow_up_steps=[
            {"key": "call", "title": "Call the buyer", "working_days": 1},
            {"key": "confirm_receipt", "title": "Confirm receipt", "working_days": 1},
            {"key": "meeting", "title": "Agree a meeting", "working_days": 3},
        ]
    )
    add_line(draft)
    move(draft, S.SENT, kam)
    move(draft, S.RECEIVED, kam)
    assert states(draft) == ["open", "done", "waiting"]  # the call still stands

    services.follow_up_close(step=open_step(draft), by=kam)

    assert states(draft) == ["done", "done", "open"]
    assert open_step(draft).key == "meeting"


def test_the_receipt_step_is_skipped_when_the_receipt_is_known_as_it_would_open(draft, kam):
    ProposalPolicy.objects.create(
        follow_up_steps=[
            {"key": "call", "title": "Call the buyer", "working_days": 1},
            {"key": "confirm_receipt", "title": "Confirm receipt", "working_days": 1},
            {"key": "meeting", "title": "Agree a meeting", "working_days": 3},
        ]
    )
    add_line(draft)
    move(draft, S.SENT, kam)
    Proposal.objects.filter(pk=draft.pk).update(received_at=timezone.now())  # known, not yet settled

    services.follow_up_close(step=open_step(draft), by=kam)

    assert states(draft) == ["done", "skipped", "open"]
    assert steps(draft)[1].task is None


@pytest.mark.parametrize(
    ("to", "extra"),
    [
        (S.WON, {"reason": "value"}),
        (S.LOST, {"reason": "price"}),
        (S.WITHDRAWN, {}),
    ],
)
def test_a_decision_skips_what_is_left_and_ticks_off_the_open_task(sent, kam, to, extra):
    services.follow_up_close(step=open_step(sent), by=kam)
    move(sent, to, kam, **extra)
    assert states(sent) == ["done", "skipped", "skipped", "skipped"]
    assert all(s.closed_at is not None for s in steps(sent))
    assert not Task.objects.filter(done=False).exists()
    assert [s.task is not None for s in steps(sent)] == [True, True, False, False]


def test_expiry_skips_what_is_left_with_no_one_recorded(sent, kam):
    Proposal.objects.filter(pk=sent.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    move(sent, S.EXPIRED, None, comment="Past its validity date")
    assert states(sent) == ["skipped"] * 4
    assert {s.closed_by for s in steps(sent)} == {None}
    assert not Task.objects.filter(done=False).exists()


def test_a_failing_effect_leaves_the_move_unmade(sent, kam, monkeypatch):
    from proposals import effects

    def broken(**kwargs):
        raise RuntimeError("mail server on fire")

    monkeypatch.setattr(effects, "follow_up_receipt", broken)
    with pytest.raises(RuntimeError):
        move(sent, S.RECEIVED, kam)
    assert Proposal.objects.get(pk=sent.pk).status == S.SENT
    assert not sent.transitions.filter(to_status=S.RECEIVED).exists()


def test_an_open_step_past_its_day_is_overdue_on_the_page_in_the_digest_and_in_the_scorecard_query(
    client, sent, kam
):
    today = timezone.localdate()
    step = open_step(sent)
    assert not step.is_overdue(today) and not step.is_overdue(step.due_on)
    FollowUpStep.objects.filter(pk=step.pk).update(due_on=today - dt.timedelta(days=1))
    step.refresh_from_db()
    waiting = FollowUpStep.objects.filter(proposal=sent, state=State.WAITING).first()
    assert step.is_overdue(today) and not waiting.is_overdue(today)
    assert list(FollowUpStep.objects.overdue(today)) == [step]
    assert overdue_on(step, today) and not overdue_on(step, None)  # no `today` in a template: not overdue

    client.force_login(kam)
    page = client.get(reverse("proposals:detail", args=[sent.pk])).content.decode()
    assert page.count('follow-up-step state-open overdue"') == 1

    mail = digest_render(user=kam, kind=DAILY, today=today)
    for part in (mail.text, mail.html):
        [line] = [row for row in part.splitlines() if step.title in row]
        assert line.removesuffix("</li>").endswith("(overdue)"), line
    # Due today is due, not overdue.
    mail = digest_render(user=kam, kind=DAILY, today=step.due_on)
    assert "(overdue)" not in mail.text
