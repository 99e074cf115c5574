"""Who sees which accounts (ARCHITECTURE.md, "Visibility")."""

import pytest
from django.conf import settings

from accounts import visibility
from accounts.models import Account, AccountTeamMember, Contact
from accounts.services import account_update, accounts_create_for_ledger
from accounts.visibility import cached_subtree_ids, visibility_generation
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def visible_names(user):
    return set(Account.objects.visible_to(user).values_list("name", flat=True))


def test_owner_sees_own_account_and_its_subsidiaries(kam, account, subsidiary, foreign_account):
    assert visible_names(kam) == {"Nordic Steel", "Nordic Steel Logistics"}


def test_team_member_sees_the_account_and_its_group(teammate, account, subsidiary, foreign_account):
    assert visible_names(teammate) == {"Nordic Steel", "Nordic Steel Logistics"}


def test_subsidiaries_are_visible_at_any_depth(kam, account, outsider, department):
    middle = AccountFactory(name="Middle", parent=account, owner=outsider, department=department)
    AccountFactory(name="Bottom", parent=middle, owner=outsider, department=department)
    assert visible_names(kam) == {"Nordic Steel", "Middle", "Bottom"}


def test_kam_does_not_see_the_parent_of_an_account_they_manage(outsider, account, subsidiary):
    assert visible_names(outsider) == {"Nordic Steel Logistics"}


def test_kam_never_sees_another_kams_account(kam, foreign_account, account):
    assert "Baltic Foods" not in visible_names(kam)


def test_similar_ids_do_not_leak_through_the_path_prefix(kam, department):
    # Paths "/1/" and "/12/" share a text prefix but not a hierarchy.
    accounts = [AccountFactory(owner=UserFactory(), department=department) for _ in range(12)]
    accounts[0].owner = kam
    accounts[0].save()
    assert visible_names(kam) == {accounts[0].name}


def test_head_sees_all_accounts_of_their_departments_only(head, other_head, account, foreign_account):
    assert visible_names(head) == {"Nordic Steel", "Baltic Foods"}
    assert visible_names(other_head) == set()


def test_analyst_and_admin_see_everything(analyst, admin_user, account, foreign_account):
    assert visible_names(analyst) == {"Nordic Steel", "Baltic Foods"}
    assert visible_names(admin_user) == {"Nordic Steel", "Baltic Foods"}


def test_contacts_follow_their_account(kam, contact, foreign_contact):
    assert list(Contact.objects.visible_to(kam)) == [contact]


def test_anonymous_sees_nothing(account):
    from django.contrib.auth.models import AnonymousUser

    assert not Account.objects.visible_to(AnonymousUser()).exists()


# --- the kept ids of a KAM's accounts (accounts.visibility.cached_subtree_ids) ----------------------

needs_shared_cache = pytest.mark.skipif(
    not settings.REDIS_URL, reason="the ids are kept only in a shared cache (REDIS_URL)"
)


@needs_shared_cache
def test_a_kams_account_ids_are_kept_and_read_without_a_query(
    kam, account, subsidiary, django_assert_num_queries
):
    assert sorted(cached_subtree_ids(kam)) == sorted([account.pk, subsidiary.pk])
    with django_assert_num_queries(0):
        assert sorted(cached_subtree_ids(kam)) == sorted([account.pk, subsidiary.pk])


@needs_shared_cache
def test_the_kept_ids_follow_every_change_of_who_sees_what(
    kam, teammate, account, outsider, admin_user, department
):
    assert visible_names(teammate) == {"Nordic Steel"}  # kept now
    AccountTeamMember.objects.filter(account=account, user=teammate).delete()
    assert visible_names(teammate) == set()

    other = AccountFactory(name="Other", owner=outsider, department=department)
    assert "Other" not in visible_names(kam)
    account_update(account=other, by=admin_user, parent=account)  # the subtree's paths: a bulk update
    assert "Other" in visible_names(kam)
    assert visible_names(outsider) == {"Other"}

    account_update(account=other, by=admin_user, parent=None, owner=kam)
    assert visible_names(outsider) == set()
    assert "Other" in visible_names(kam)


@needs_shared_cache
def test_accounts_a_ledger_import_creates_renew_the_token(account):
    before = visibility_generation()
    accounts_create_for_ledger(accounts=[("NEW-1", "New one")], department_id=account.department_id)
    assert visibility_generation() != before


def test_past_the_limit_the_subtree_test_runs_in_sql(kam, account, subsidiary, monkeypatch):
    monkeypatch.setattr(visibility, "SUBTREE_IDS_MAX", 1)
    assert cached_subtree_ids(kam) is None
    assert visible_names(kam) == {"Nordic Steel", "Nordic Steel Logistics"}
