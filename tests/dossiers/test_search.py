"""Search finds what the user may see, by a word, and nothing else; personal fields are never searched."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.visibility import cached_subtree_ids as keep_visible_ids
from dossiers.search import FIELDS, LIMIT, search
from tests.factories import AccountFactory, ContactFactory, InteractionFactory, TenderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(account, contact):
    """A word of each kind at the KAM's account: the interaction and tender say 'Kryolith'."""
    return {
        "interaction": InteractionFactory(account=account, summary="Kryolith furnace relining discussed"),
        "tender": TenderFactory(account=account, title="Kryolith supply framework 2027"),
    }


@pytest.fixture
def foreign_dossier(foreign_account, foreign_contact):
    return {
        "interaction": InteractionFactory(account=foreign_account, summary="Kryolith pricing call"),
        "tender": TenderFactory(account=foreign_account, title="Kryolith tender of the Baltic group"),
    }


def test_a_kam_finds_their_account_contact_interaction_and_tender(kam, account, contact, dossier):
    assert search(user=kam, query="nordic").accounts == [account]
    assert search(user=kam, query="Virtanen").contacts == [contact]
    found = search(user=kam, query="kryolith")
    assert found.interactions == [dossier["interaction"]]
    assert found.tenders == [dossier["tender"]]


def test_a_kam_never_finds_another_kams_records(kam, dossier, foreign_dossier, foreign_contact):
    found = search(user=kam, query="Kryolith")
    assert foreign_dossier["interaction"] not in found.interactions
    assert foreign_dossier["tender"] not in found.tenders
    assert search(user=kam, query="Baltic").accounts == []
    assert search(user=kam, query="Ivanova").contacts == []


def test_the_other_kam_finds_only_their_own(outsider, dossier, foreign_dossier, foreign_account):
    found = search(user=outsider, query="Kryolith")
    assert found.interactions == [foreign_dossier["interaction"]]
    assert found.tenders == [foreign_dossier["tender"]]
    assert search(user=outsider, query="Baltic").accounts == [foreign_account]


def test_every_word_must_match(kam, account):
    assert search(user=kam, query="Nordic Steel").accounts == [account]
    assert search(user=kam, query="Nordic Copper").accounts == []


def test_analysts_find_accounts_but_not_by_contacts_personal_fields(analyst, account, foreign_account):
    ContactFactory(account=account, first_name="Pekka", last_name="Laine", hobbies="bouldering")
    assert search(user=analyst, query="Nordic").accounts == [account]
    assert search(user=analyst, query="Baltic").accounts == [foreign_account]
    assert search(user=analyst, query="bouldering").contacts == []


def test_personal_fields_are_never_searched_even_for_the_owner(kam, account):
    ContactFactory(account=account, hobbies="bouldering", family="Twins")
    assert search(user=kam, query="bouldering").total == 0
    assert not set(FIELDS["contacts"]) & set(ContactFactory._meta.model.PERSONAL_FIELDS)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text ranking is PostgreSQL's")
def test_on_postgresql_whole_word_matches_rank_before_partial_ones(kam, department):
    partial = AccountFactory(name="Steelworks Anderson", owner=kam, department=department)
    whole = AccountFactory(name="Anderson Steel", owner=kam, department=department)
    assert search(user=kam, query="steel").accounts == [whole, partial]


def test_an_empty_query_finds_nothing_without_querying(kam, account, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert search(user=kam, query="   ").total == 0


def test_results_are_capped_per_kind(kam, department):
    for n in range(LIMIT + 3):
        AccountFactory(name=f"Quartz Works {n}", owner=kam, department=department)
    assert len(search(user=kam, query="quartz").accounts) == LIMIT


def test_the_page_groups_results_with_links(kam, account, contact, dossier, foreign_dossier):
    client = Client()
    client.force_login(kam)
    page = client.get(reverse("dossiers:search"), {"q": "Kryolith"}).content.decode()
    tab = reverse("dossiers:account-tab", args=[account.pk])
    assert f'href="{tab}#timeline"' in page
    assert f'href="{tab}#tenders"' in page
    assert "Kryolith supply framework 2027" in page
    assert "Baltic group" not in page
    page = client.get(reverse("dossiers:search"), {"q": "Laura"}).content.decode()
    assert reverse("accounts:contact", args=[contact.pk]) in page


def test_the_navbar_search_box_submits_to_the_search_page(kam):
    client = Client()
    client.force_login(kam)
    page = client.get(reverse("home")).content.decode()
    assert f'action="{reverse("dossiers:search")}"' in page


def test_anonymous_visitors_are_sent_to_log_in():
    response = Client().get(reverse("dossiers:search"), {"q": "Nordic"})
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_page_runs_one_query_per_kind_whatever_it_finds(
    kam, account, contact, dossier, django_assert_num_queries
):
    for n in range(5):
        InteractionFactory(account=account, summary=f"Kryolith follow-up {n}")
        TenderFactory(account=account, title=f"Kryolith lot {n}")
    client = Client()
    client.force_login(kam)
    keep_visible_ids(kam)  # as after a first request: a KAM's account ids are kept (accounts.visibility)
    # session, user, then one query each for accounts, contacts, interactions and tenders
    with django_assert_num_queries(6):
        response = client.get(reverse("dossiers:search"), {"q": "Kryolith"})
    assert response.status_code == 200
