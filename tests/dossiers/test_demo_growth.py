"""The growth demo: sources on every account, prospects at every funnel stage, a won referral with
its first order in the ledger, a letter; deterministic, and added only once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from accounts.demo import seed_demo
from accounts.models import Account, LeadSource, User
from dossiers.demo import load_demo_dossiers
from dossiers.demo_growth import load_demo_growth
from dossiers.models import RecommendationLetter, Referral
from management.funnel import prospect_funnel
from tests.dossiers.conftest import load_default_preparation_plan
from tests.module_data import module_transaction

pytestmark = pytest.mark.django_db
SOURCES = ("cold_call", "referral", "exhibition", "inbound", "partner", "other")


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), module_transaction(django_db_blocker):
        load_default_preparation_plan()
        for position, code in enumerate(SOURCES):  # the migration's list (tests run without migrations)
            LeadSource.objects.get_or_create(code=code, defaults={"name": code.title(), "position": position})
        seed_demo()
        load_demo_dossiers()
        yield load_demo_growth()


@pytest.fixture
def seeded(seeded_once, db) -> str:
    return seeded_once


def test_the_demo_stages_prospects_from_three_sources_and_a_won_referral(seeded):
    assert "2 referrals" in seeded
    assert not Account.objects.filter(lead_source__isnull=True).exists()
    won = Referral.objects.get(outcome="won")
    won.account.refresh_from_db()
    assert won.account.status != Account.Status.PROSPECT  # its first order was imported
    assert won.account.sales_lines.count() == 2
    prospect_sources = set(
        Account.objects.filter(status=Account.Status.PROSPECT, created_at__isnull=False)
        .exclude(lead_source__code="referral")
        .values_list("lead_source__code", flat=True)
    )
    assert {"cold_call", "exhibition", "inbound"} <= prospect_sources
    letter = RecommendationLetter.objects.get()
    assert letter.file and letter.delivery is not None


def test_the_demo_funnel_has_an_account_at_every_stage(seeded):
    head = User.objects.get(username="head")
    stages = prospect_funnel(user=head).stages
    assert all(stage.at_stage > 0 for stage in stages), [(s.key, s.at_stage) for s in stages]
    assert stages[1].median_days is not None


def test_a_second_run_adds_nothing(seeded):
    counts = Referral.objects.count(), RecommendationLetter.objects.count()
    assert "nothing added" in load_demo_growth()
    assert (Referral.objects.count(), RecommendationLetter.objects.count()) == counts
