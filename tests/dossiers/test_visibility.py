"""Every dossier model is seen through its account: owner, teammate, head, analyst, admin — not outsiders."""

import pytest
from django.contrib.auth.models import AnonymousUser

from dossiers import services
from dossiers.models import (
    AccountPlan,
    AccountProfile,
    Competitor,
    CompetitorPresence,
    Interaction,
    PlanAction,
    ProfileChange,
    Task,
    Tender,
    TenderMilestone,
)
from tests.factories import InteractionFactory, PlanFactory, PresenceFactory, TaskFactory, TenderFactory

pytestmark = pytest.mark.django_db

SEES = {"kam": True, "teammate": True, "outsider": False, "head": True, "other_head": False}
SEES |= {"analyst": True, "admin_user": True}


@pytest.fixture
def dossier(kam, account):
    """One row of every model on `account`."""
    services.profile_update(account=account, by=kam, description="Steel")
    tender = TenderFactory(account=account)
    services.milestone_complete(
        milestone=TenderMilestone.objects.create(
            tender=tender, title="Kick-off", due_on=tender.submission_on
        ),
    )
    plan = PlanFactory(account=account)
    PlanAction.objects.create(plan=plan, title="Joint promotion")
    InteractionFactory(account=account)
    PresenceFactory(account=account)
    TaskFactory(owner=kam, account=account)


MODELS = [AccountProfile, ProfileChange, Interaction, Task, Tender, TenderMilestone, CompetitorPresence]
MODELS += [AccountPlan, PlanAction]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@pytest.mark.parametrize("role", SEES)
def test_dossier_rows_follow_the_accounts_visibility(request, dossier, role, model):
    user = request.getfixturevalue(role)
    assert model.objects.visible_to(user).exists() == SEES[role]


@pytest.mark.parametrize("model", [*MODELS, Competitor], ids=lambda m: m.__name__)
def test_anonymous_sees_nothing(dossier, model):
    assert not model.objects.visible_to(AnonymousUser()).exists()


def test_the_competitor_registry_is_shared(dossier, outsider):
    assert Competitor.objects.visible_to(outsider).count() == 1


def test_a_users_own_task_stays_visible_to_them_on_an_account_they_do_not_see(outsider, account):
    task = TaskFactory(owner=outsider, account=account)
    assert list(Task.objects.visible_to(outsider)) == [task]
