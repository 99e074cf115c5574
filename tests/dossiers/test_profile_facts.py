"""Headcount and the client's annual turnover are kept once, on the Account: the profile shows and
edits the Account's fields, and the migration moved the profile's old copies there."""

from __future__ import annotations

import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import Account
from dossiers import services
from dossiers.models import ProfileChange
from tests.factories import AccountFactory, UserFactory


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_profile_edit_on_the_page_changes_the_accounts_headcount(kam, account):
    Account.objects.filter(pk=account.pk).update(headcount=417, annual_revenue=52_125_000)
    client = logged_in(kam)
    tab = client.get(reverse("dossiers:account-tab", args=[account.pk])).content.decode()
    assert 'name="headcount" value="417"' in tab  # the form starts from the Account's values

    response = client.post(
        reverse("dossiers:profile-edit", args=[account.pk]),
        {"description": "Steel mill", "headcount": "422", "annual_revenue": "52125000", "version": "0"},
    )

    assert response.status_code == 302
    account.refresh_from_db()
    assert (account.headcount, account.annual_revenue, account.version) == (422, Decimal("52125000"), 2)
    assert set(ProfileChange.objects.values_list("field", "old", "new")) == {
        ("description", "", "Steel mill"),
        ("headcount", "417", "422"),
    }
    header = client.get(reverse("accounts:detail", args=[account.pk])).content.decode()
    assert "422" in header and "52,125,000" in header


@pytest.mark.django_db
def test_an_edit_that_leaves_the_facts_out_keeps_them(kam, account):
    Account.objects.filter(pk=account.pk).update(headcount=417)
    logged_in(kam).post(reverse("dossiers:profile-edit", args=[account.pk]), {"history": "Since 1901"})
    account.refresh_from_db()
    assert account.headcount == 417


@pytest.mark.django_db
def test_the_api_reads_and_writes_the_accounts_fields(kam, account):
    Account.objects.filter(pk=account.pk).update(headcount=417)
    client = logged_in(kam)
    assert client.get(f"/api/v1/profiles/{account.pk}/").json()["headcount"] == 417

    response = client.patch(
        f"/api/v1/profiles/{account.pk}/",
        {"headcount": 500, "annual_revenue": "1000.00"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["headcount"], response.json()["annual_revenue"]) == (500, "1000.00")
    account.refresh_from_db()
    assert (account.headcount, account.annual_revenue) == (500, Decimal("1000.00"))
    bad = client.patch(f"/api/v1/profiles/{account.pk}/", {"headcount": -1}, content_type="application/json")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_a_negative_turnover_is_refused_by_the_service(kam, account):
    with pytest.raises(ValidationError, match="annual_revenue"):
        services.profile_update(account=account, by=kam, annual_revenue=Decimal(-1))


def copy_migration():
    return importlib.import_module("dossiers.migrations.0010_profile_facts_on_account")


@pytest.mark.django_db(transaction=True)
def test_the_migration_copies_the_profile_values_only_where_the_account_has_none():
    with override_settings(MIGRATION_MODULES={}):  # the tests run without migrations: read them
        # The steps as they were, not the squashed migration that replaces them for new databases.
        loader = MigrationLoader(None, replace_migrations=False)
        old = loader.project_state(("dossiers", "0009_referrals_and_letters")).apps
    OldProfile, OldChange = (
        old.get_model("dossiers", "AccountProfile"),
        old.get_model("dossiers", "ProfileChange"),
    )
    dropped = [OldProfile._meta.get_field(name) for name in ("headcount", "annual_sales")]
    with connection.schema_editor() as editor:  # the profile's columns as they were before
        for field in dropped:
            editor.add_field(OldProfile, field)
    try:
        empty = AccountFactory(name="Empty", headcount=None, annual_revenue=None, owner=UserFactory())
        filled = AccountFactory(name="Filled", headcount=417, annual_revenue=52_125_000, owner=UserFactory())
        OldProfile.objects.create(account_id=empty.pk, headcount=422, annual_sales=5_212_500)
        kept = OldProfile.objects.create(account_id=filled.pk, headcount=422, annual_sales=5_212_500)
        OldChange.objects.create(profile_id=kept.pk, field="annual_sales", old="", new="5212500")

        copy_migration().copy_to_accounts(old, None)
    finally:
        with connection.schema_editor() as editor:
            for field in dropped:
                editor.remove_field(OldProfile, field)

    empty.refresh_from_db()
    filled.refresh_from_db()
    assert (empty.headcount, empty.annual_revenue) == (422, Decimal("5212500"))
    assert (filled.headcount, filled.annual_revenue) == (417, Decimal("52125000"))
    assert list(ProfileChange.objects.values_list("field", flat=True)) == ["annual_revenue"]
