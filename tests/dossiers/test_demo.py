"""The dossiers' demo data: filled through the services, deterministic, and added only once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import timezone

from accounts.demo import seed_demo
from accounts.models import Account, Contact
from dossiers.demo import load_demo_dossiers
from dossiers.models import (
    AccountPlan,
    AccountProfile,
    Commitment,
    Competitor,
    CompetitorPresence,
    Interaction,
    ProfileChange,
    ProspectQualification,
    StrategicAssessment,
    Task,
    Tender,
    TenderMilestone,
)
from tests.dossiers.conftest import load_default_preparation_plan
from tests.module_data import module_transaction

pytestmark = pytest.mark.django_db
MODELS = (
    AccountProfile,
    ProfileChange,
    StrategicAssessment,
    ProspectQualification,
    Interaction,
    Task,
    Tender,
    TenderMilestone,
    Competitor,
    CompetitorPresence,
    AccountPlan,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def _snapshot() -> list[tuple]:
    return sorted(
        Interaction.objects.values_list(
            "account__external_id", "kind", "summary", "occurred_at", "next_step_due"
        )
    )


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker) -> Iterator[str]:
    with module_transaction(django_db_blocker):
        load_default_preparation_plan()
        seed_demo()
        yield load_demo_dossiers()


@pytest.fixture
def seeded(seeded_once, db) -> str:
    return seeded_once


def test_the_demo_fills_every_part_of_the_dossiers(seeded):
    assert "12 accounts filled" in seeded
    assert all(count > 0 for count in _counts().values()), _counts()
    today = timezone.localdate()
    kam_tasks = Task.objects.filter(owner__username__in=("kam1", "kam2", "kam3"))
    assert kam_tasks.filter(due_on__lt=today, done=False).exists()  # overdue
    assert kam_tasks.filter(due_on__gte=today, done=False).exists()  # upcoming
    assert set(Tender.objects.values_list("status", flat=True)) == {"planned", "preparing", "won", "lost"}
    assert not Tender.objects.filter(status__in=("won", "lost"), outcome_reason="").exists()
    assert TenderMilestone.objects.filter(tender__status="planned", done=False).exists()
    assert CompetitorPresence.objects.exclude(pressure="").count() == CompetitorPresence.objects.count()
    assert AccountPlan.objects.filter(year=today.year, actions__isnull=False).exists()
    assert ProspectQualification.objects.filter(qualified_at__isnull=False).exists()
    # Profiles were edited twice: the history shows an old value replaced by a new one.
    assert (
        ProfileChange.objects.filter(field="projects").exclude(old="").count()
        == AccountProfile.objects.count()
    )
    assert Interaction.objects.filter(contacts__isnull=False).exists()
    promises = Commitment.objects.filter(owner__username__in=("kam1", "kam2", "kam3"))
    assert promises.filter(status="open", due_on__lt=today).exists()  # overdue
    assert promises.filter(status="kept").exists() and promises.filter(status="broken").exists()


def test_at_least_one_filled_dossier_lacks_a_financial_approver(seeded):
    filled = Account.objects.filter(profile__isnull=False)
    approvers = Contact.objects.filter(dmu_role=Contact.DmuRole.FINANCIAL_APPROVER)
    assert filled.exclude(contacts__in=approvers).exists()


def test_a_second_run_adds_nothing(seeded):
    counts, snapshot = _counts(), _snapshot()
    assert load_demo_dossiers() == "Dossiers: already filled, nothing added."
    assert (_counts(), _snapshot()) == (counts, snapshot)


def test_the_demo_writes_the_same_dossiers_again_from_scratch(seeded):
    first = _snapshot()
    for model in (
        Commitment,
        Task,
        Interaction,
        Tender,
        CompetitorPresence,
        AccountPlan,
        ProspectQualification,
    ):
        model.objects.all().delete()
    AccountProfile.objects.all().delete()
    StrategicAssessment.objects.all().delete()
    load_demo_dossiers()
    assert _snapshot() == first
