"""Dossier services: every validation refuses with a field error and writes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Account
from common.calendar import add_months
from common.errors import StaleEditError
from dossiers import services
from dossiers.models import (
    AccountProfile,
    Interaction,
    MilestoneTemplate,
    ProfileChange,
    StrategicAssessment,
    Task,
    Tender,
    TenderMilestone,
)
from dossiers.signals import task_completed
from tests.factories import AccountFactory, CompetitorFactory, ContactFactory, PlanFactory

pytestmark = pytest.mark.django_db

MEETING = {"kind": "meeting", "occurred_at": timezone.now(), "summary": "Volumes for 2027"}


# --- profile ---


def test_a_profile_edit_records_one_change_per_changed_field(kam, account):
    services.profile_update(account=account, by=kam, description="Steel mill", headcount=120)
    profile = services.profile_update(
        account=account, by=kam, description="Steel mill", headcount=150, version=1
    )
    changes = list(
        ProfileChange.objects.filter(profile=profile).order_by("pk").values_list("field", "old", "new")
    )
    assert changes == [
        ("description", "", "Steel mill"),
        ("headcount", "", "120"),
        ("headcount", "120", "150"),
    ]
    assert ProfileChange.objects.filter(profile=profile, changed_by=kam).count() == 3
    assert profile.version == 2


def test_a_stale_profile_edit_is_refused_and_writes_nothing(kam, teammate, account):
    services.profile_update(account=account, by=kam, description="First")
    services.profile_update(account=account, by=teammate, description="Second", version=1)

    with pytest.raises(StaleEditError) as error:
        services.profile_update(account=account, by=kam, description="Mine", version=1)

    assert "version" in error.value.message_dict
    profile = AccountProfile.objects.get(account=account)
    assert (profile.description, profile.version) == ("Second", 2)
    assert ProfileChange.objects.filter(profile=profile).count() == 2


def test_an_unknown_profile_field_is_refused(kam, account):
    with pytest.raises(ValidationError) as error:
        services.profile_update(account=account, by=kam, version=7)
    assert "version" in error.value.message_dict
    assert not AccountProfile.objects.exists()


def test_a_strategic_account_gets_its_next_review_six_months_ahead(kam, account):
    services.assessment_update(account=account, by=kam, volume=True, loyalty=True, pays_cash=True)
    profile = services.profile_update(account=account, by=kam, history="Since 1998")
    today = timezone.localdate()
    assert add_months(today, 6) == profile.next_review_due
    assert (profile.next_review_due - today).days in range(180, 185)


def test_an_account_that_is_not_strategic_gets_no_review_date(kam, account):
    services.assessment_update(account=account, by=kam, volume=True)
    assert services.profile_update(account=account, by=kam, history="x").next_review_due is None


def test_the_assessment_score_counts_ticked_criteria_not_privileges(kam, account):
    assessment = services.assessment_update(
        account=account, by=kam, distributor=True, prestige_brand=True, priority_dispatch=True
    )
    assert assessment.score == 2
    assert not StrategicAssessment.objects.get(account=account).is_strategic


# --- 3P qualification ---


def test_three_confirmations_qualify_a_prospect(kam, teammate, account):
    Account.objects.filter(pk=account.pk).update(status=Account.Status.PROSPECT)
    account.refresh_from_db()
    services.qualification_confirm(account=account, criterion="need", by=kam)
    partial = services.qualification_confirm(account=account, criterion="solvency", by=teammate)
    assert not partial.is_qualified and partial.qualified_at is None

    qualification = services.qualification_confirm(account=account, criterion="authority", by=kam)

    assert qualification.is_qualified and qualification.qualified_at is not None
    assert (qualification.need_confirmed_by, qualification.solvency_confirmed_by) == (kam, teammate)


def test_only_prospects_are_qualified_and_only_by_the_three_criteria(kam, account):
    with pytest.raises(ValidationError, match="Only prospects"):
        services.qualification_confirm(account=account, criterion="need", by=kam)
    Account.objects.filter(pk=account.pk).update(status=Account.Status.PROSPECT)
    account.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.qualification_confirm(account=account, criterion="budget", by=kam)
    assert "criterion" in error.value.message_dict


# --- interactions and tasks ---


def test_a_meeting_with_two_contacts_and_a_next_step_creates_a_task_for_the_author(kam, account):
    laura, pekka = ContactFactory(account=account), ContactFactory(account=account)
    due = timezone.localdate() + dt.timedelta(days=3)

    interaction = services.interaction_create(
        account=account,
        by=kam,
        **{**MEETING, "contacts": [laura, pekka], "next_step": "Send the offer", "next_step_due": due},
    )

    assert set(interaction.contacts.all()) == {laura, pekka}
    task = Task.objects.get()
    assert (task.owner, task.title, task.due_on, task.account, task.interaction) == (
        kam,
        "Send the offer",
        due,
        account,
        interaction,
    )


def test_moving_the_next_step_moves_its_open_task(kam, account):
    due = timezone.localdate() + dt.timedelta(days=3)
    interaction = services.interaction_create(
        account=account, by=kam, **{**MEETING, "next_step": "Call", "next_step_due": due}
    )
    services.interaction_update(interaction=interaction, by=kam, next_step_due=due + dt.timedelta(days=2))
    assert list(Task.objects.values_list("due_on", flat=True)) == [due + dt.timedelta(days=2)]


def test_a_contact_of_another_account_is_refused_on_the_field(kam, account, foreign_contact):
    with pytest.raises(ValidationError) as error:
        services.interaction_create(account=account, by=kam, **{**MEETING, "contacts": [foreign_contact]})
    assert "contacts" in error.value.message_dict
    assert not Interaction.objects.exists()


def test_a_next_step_due_date_without_a_next_step_is_refused(kam, account):
    with pytest.raises(ValidationError) as error:
        services.interaction_create(
            account=account, by=kam, **{**MEETING, "next_step_due": timezone.localdate()}
        )
    assert "next_step" in error.value.message_dict
    assert not Interaction.objects.exists() and not Task.objects.exists()


def test_a_task_is_completed_once(kam, account):
    task = services.task_create(by=kam, title="Visit", due_on=timezone.localdate(), account=account)
    done = services.task_complete(task=task)
    again = services.task_complete(task=task)
    assert done.done and again.done_at == done.done_at


def test_completing_a_task_is_announced_once(kam, account):
    task = services.task_create(by=kam, title="Visit", due_on=timezone.localdate(), account=account)
    heard = []

    def listen(sender, task, **kwargs):
        heard.append(task.pk)

    task_completed.connect(listen)
    try:
        services.task_complete(task=task)
        services.task_complete(task=task)
    finally:
        task_completed.disconnect(listen)
    assert heard == [task.pk]


def test_a_task_linked_to_another_accounts_interaction_is_refused(kam, account, foreign_account):
    interaction = services.interaction_create(account=foreign_account, by=kam, **MEETING)
    with pytest.raises(ValidationError) as error:
        services.task_create(
            by=kam,
            title="x",
            due_on=timezone.localdate(),
            account=account,
            interaction=interaction,
        )
    assert "interaction" in error.value.message_dict


# --- tenders ---

TENDER = {
    "title": "Rolling stock 2027",
    "announced_on": dt.date(2026, 1, 10),
    "submission_on": dt.date(2026, 10, 15),
}


def test_a_submission_before_the_announcement_is_refused_on_the_field(kam, account):
    with pytest.raises(ValidationError) as error:
        services.tender_create(account=account, **{**TENDER, "submission_on": dt.date(2026, 1, 9)})
    assert "submission_on" in error.value.message_dict
    assert not Tender.objects.exists() and not TenderMilestone.objects.exists()


def test_a_decision_before_the_submission_is_refused_on_the_field(kam, account):
    with pytest.raises(ValidationError) as error:
        services.tender_create(account=account, **{**TENDER, "decision_on": dt.date(2026, 10, 1)})
    assert "decision_on" in error.value.message_dict


def test_the_preparation_plan_counts_nine_months_back_from_the_submission(kam, account):
    tender = services.tender_create(account=account, **TENDER)

    milestones = list(tender.milestones.order_by("due_on"))
    assert len(milestones) == MilestoneTemplate.objects.count() == 11
    assert milestones[0].due_on == dt.date(2026, 1, 15)  # nine months before 15 October
    assert milestones[-1].due_on == dt.date(2026, 10, 15)  # submit the bid
    assert dt.date(2026, 10, 8) in {m.due_on for m in milestones}  # final check a week ahead


def test_a_new_submission_date_moves_the_open_milestones_but_not_the_done_ones(kam, account):
    tender = services.tender_create(account=account, **TENDER)
    first = tender.milestones.order_by("due_on").first()
    services.milestone_complete(milestone=first)

    services.tender_update(tender=tender, submission_on=dt.date(2026, 11, 15), version=1)

    assert TenderMilestone.objects.get(pk=first.pk).due_on == dt.date(2026, 1, 15)
    assert tender.milestones.order_by("-due_on").first().due_on == dt.date(2026, 11, 15)
    assert tender.milestones.count() == 11


def test_an_edited_template_shapes_the_next_plans(kam, account):
    MilestoneTemplate.objects.all().delete()
    MilestoneTemplate.objects.create(title="Kick-off", months_before_submission=3)
    tender = services.tender_create(account=account, **TENDER)
    assert list(tender.milestones.values_list("title", "due_on")) == [("Kick-off", dt.date(2026, 7, 15))]


def test_a_stale_tender_edit_is_refused(kam, teammate, account):
    tender = services.tender_create(account=account, **TENDER)
    services.tender_update(tender=tender, title="Theirs", version=1)
    with pytest.raises(StaleEditError):
        services.tender_update(tender=tender, title="Mine", version=1)
    assert Tender.objects.get().title == "Theirs"


def test_a_tender_without_a_submission_date_has_no_plan_until_it_gets_one(kam, account):
    tender = services.tender_create(account=account, title="Early days")
    assert not tender.milestones.exists()
    services.tender_update(tender=tender, submission_on=dt.date(2026, 10, 15))
    assert tender.milestones.count() == 11


# --- competitors and plans ---


def test_a_competitor_is_recorded_once_per_account(kam, account):
    rival = CompetitorFactory(name="SteelCo")
    services.presence_create(account=account, competitor=rival, pressure="price")
    with pytest.raises(ValidationError):
        services.presence_create(account=account, competitor=rival)


def test_presence_ranges_are_checked(kam, account):
    rival = CompetitorFactory(name="SteelCo")
    with pytest.raises(ValidationError) as error:
        services.presence_create(account=account, competitor=rival, estimated_share=101, threat_level=6)
    assert {"estimated_share", "threat_level"} <= set(error.value.message_dict)


def test_a_competitor_recorded_at_an_account_cannot_be_deleted(kam, account):
    rival = CompetitorFactory(name="SteelCo")
    services.presence_create(account=account, competitor=rival)
    with pytest.raises(ValidationError, match="SteelCo"):
        services.competitor_delete(competitor=rival)


def test_one_plan_per_account_and_year(kam, account):
    PlanFactory(account=account, year=2026)
    with pytest.raises(ValidationError) as error:
        services.plan_create(account=account, year=2026)
    assert "year" in error.value.message_dict
    assert services.plan_create(account=account, year=2027).year == 2027


def test_plan_action_progress_is_a_percentage(kam, account):
    plan = PlanFactory(account=AccountFactory(owner=kam))
    with pytest.raises(ValidationError) as error:
        services.plan_action_create(plan=plan, title="Joint promo", progress=120)
    assert "progress" in error.value.message_dict
