"""Who sees which accounts (ARCHITECTURE.md, "Visibility")."""

import pytest

from accounts.models import Account, Contact
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
